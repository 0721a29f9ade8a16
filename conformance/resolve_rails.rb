# Resolve every key of a Rails source locale file in a target file with Ruby's I18n, as Rails does.
#
# Reads jobs as JSON on stdin: [{"source": "en.yml", "target": "ru.yml"}, ...]; writes one result
# per job as JSON on stdout: the lookups made and the ones that failed, with why. Plural groups
# (and texts a target pluralizes) are looked up at counts 0, 1, 2, 5 and 21 with the locale's
# rule from rails-i18n; every %{name} of the source text is given a value. No fallbacks: a key
# the target lacks fails, as does a value of another kind than the source's (a translated
# :year symbol, an empty text).
require "json"
require "yaml"
require "i18n"
require "i18n/backend/pluralization"
Dir[File.join(Gem.loaded_specs["rails-i18n"]&.full_gem_path || "/usr/lib/ruby/vendor_ruby",
              "rails_i18n/common_pluralizations/*.rb")].sort.each { |f| require f }

I18n::Backend::Simple.include(I18n::Backend::Pluralization)
I18n.enforce_available_locales = false

P = RailsI18n::Pluralization
# The rule rails-i18n's rails/pluralization/<locale>.rb picks (Debian ships the common rules
# only); a locale not listed uses I18n's own default, one/other.
RULE = {
  "be" => P::EastSlavic, "ru" => P::EastSlavic, "uk" => P::EastSlavic,
  "cs" => P::WestSlavic, "sk" => P::WestSlavic,
  "fr" => P::OneUptoTwoOther,
  "ro" => P::Romanian,
  "ja" => P::Other, "ko" => P::Other, "zh" => P::Other, "id" => P::Other, "ms" => P::Other,
  "th" => P::Other, "vi" => P::Other, "km" => P::Other, "lo" => P::Other, "my" => P::Other,
}.freeze
# rails-i18n's own files for languages without a common rule.
OWN = {
  "pl" => lambda { |n|
    if n == 1 then :one
    elsif n.is_a?(Integer) && [2, 3, 4].include?(n % 10) && ![12, 13, 14].include?(n % 100) then :few
    elsif n.is_a?(Integer) then :many
    else :other end
  },
  "ar" => lambda { |n|
    m = n % 100
    if n == 0 then :zero elsif n == 1 then :one elsif n == 2 then :two
    elsif (3..10).include?(m) then :few elsif (11..99).include?(m) then :many else :other end
  },
  "lt" => lambda { |n|
    m10 = n % 10; m100 = n % 100
    if m10 == 1 && !(11..19).include?(m100) then :one
    elsif (2..9).include?(m10) && !(11..19).include?(m100) then :few
    else :other end
  },
}.freeze
PLURAL_KEYS = %w[zero one two few many other].freeze
COUNTS = [0, 1, 2, 5, 21].freeze

def install_rule(locale)
  lang = locale.to_s.split(/[-_]/).first
  if OWN.key?(lang)
    I18n.backend.store_translations(locale, i18n: { plural: { rule: OWN[lang] } })
  elsif RULE.key?(lang)
    I18n.backend.store_translations(locale, RULE[lang].with_locale(locale)[locale])
  end
end

def plural?(value)
  value.is_a?(Hash) && value.key?("other") && value.keys.all? { |k| PLURAL_KEYS.include?(k.to_s) }
end

def names(value)
  texts = value.is_a?(Hash) ? value.values : [value]
  texts.grep(String).flat_map { |t| t.scan(/%\{(\w+)\}|%<(\w+)>/).flatten.compact }.uniq
end

def leaves(node, path, &block)
  if node.is_a?(Hash) && !plural?(node)
    node.each { |k, v| leaves(v, path + [k.to_s], &block) }
  else
    yield path, node
  end
end

def same_kind?(source, found)
  return found.is_a?(String) && !found.empty? if source.is_a?(String) && !source.empty?
  return found.is_a?(Array) && found.map(&:class) == source.map(&:class) if source.is_a?(Array)
  return found.is_a?(String) || found.is_a?(Hash) if plural?(source)

  found.class == source.class
end

def lookup(locale, path, values, count = nil)
  options = { locale: locale, scope: path[0..-2], raise: true }.merge(values)
  options[:count] = count unless count.nil?
  I18n.t(path.last, **options)
end

def resolve(job)
  source = YAML.unsafe_load_file(job["source"])
  target_doc = YAML.unsafe_load_file(job["target"])
  unless target_doc.is_a?(Hash) && target_doc.size == 1
    return { "target" => job["target"], "lookups" => 0, "failures" => ["no root locale key"] }
  end

  locale = target_doc.keys.first.to_sym
  I18n.backend = I18n::Backend::Simple.new # each job on its own: nothing left from the last
  I18n.backend.load_translations(job["target"]) # I18n's own loader, as Rails loads the file
  install_rule(locale)
  lookups = 0
  failures = []
  leaves(source.values.first, []) do |path, value|
    values = names(value).reject { |n| n == "count" }.to_h { |n| [n.to_sym, "X"] }
    begin
      lookups += 1
      found = lookup(locale, path, values)
      if plural?(value) || found.is_a?(Hash)
        COUNTS.each do |n|
          lookups += 1
          text = lookup(locale, path, values, n)
          failures << "#{path.join('.')} (count #{n}): #{text.inspect}" unless text.is_a?(String) && !text.empty?
        end
      elsif !same_kind?(value, found)
        failures << "#{path.join('.')}: #{found.inspect} where the source has #{value.inspect}"
      end
    rescue StandardError => e
      failures << "#{path.join('.')}: #{e.class}: #{e.message.lines.first&.strip}"
    end
  end
  { "target" => job["target"], "lookups" => lookups, "failures" => failures }
end

jobs = JSON.parse($stdin.read)
puts JSON.generate(jobs.map { |job| resolve(job) })
