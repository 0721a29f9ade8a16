"""CLDR plural rules for JSON/YAML files: the categories a target gets, and hints.

>>> rules_for("ru", "suffix").cardinal
('one', 'few', 'many', 'other')
>>> rules_for("ja", "subkeys").cardinal
('other',)

Plural forms that share one source text (Russian ``few``/``many``/``other`` all come from the
English ``other``; PO ``msgstr[1]`` and ``msgstr[2]`` both from ``msgid_plural``) would be sent as
one request and get one translation. A per-form hint for the ``domains`` prompt keeps them apart
and tells the model which form to write, by naming the counts the form is used for:

>>> category_hint("de", "one")
"Translate as the German plural form for the CLDR category 'one' (counts like 1)."

PO's plural rules (a ``Plural-Forms`` expression) are ``gettext_plurals``'s; both sample counts
with ``plural_counts``.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable

import babel

from l10n_qwen.errors import L10nError
from l10n_qwen.formats.tree import CATEGORIES, PluralStyle, Rules
from l10n_qwen.languages import babel_locale, resolve
from l10n_qwen.plural_counts import COUNTS, FRACTIONS, PROBES, examples_of, listed


def _ordered(tags: set[str]) -> tuple[str, ...]:
    return tuple(c for c in CATEGORIES if c in tags | {"other"})


def _babel(locale: str) -> babel.Locale | None:
    """The Babel locale whose rules apply; a language Qwen-MT lacks (``ga``) still gets its own."""
    try:
        return babel_locale(locale)
    except L10nError:
        try:
            return babel.Locale.parse(locale.replace("-", "_"))
        except (ValueError, babel.UnknownLocaleError):
            return None


def rules_for(locale: str | None, style: PluralStyle) -> Rules:
    """Cardinal and ordinal categories for ``locale``; without known rules the source's are kept.

    A language Qwen-MT lacks (``ga``) still gets Babel's rules, so ``check`` works on its files.
    Categories no whole number falls in (Czech and Lithuanian ``many``) are ``fractions_only``:

    >>> rules_for("cs", "subkeys").fractions_only, rules_for("ru", "subkeys").fractions_only
    (('many',), ())
    """
    rules = _babel(locale) if locale is not None else None
    if rules is None:
        return Rules((), (), style)
    cardinal = _ordered(set(rules.plural_form.tags))
    whole = set(examples_of(rules.plural_form, PROBES))
    return Rules(
        cardinal,
        _ordered(set(rules.ordinal_form.tags)),
        style,
        # ``other`` is never optional: every group needs it (Russian's is for fractions only).
        fractions_only=tuple(c for c in cardinal if c not in whole and c != "other"),
    )


@functools.lru_cache(maxsize=64)
def _category_examples(locale: str, ordinal: bool) -> tuple[str, dict[Hashable, str]]:
    """The language's English name and, per category, "counts like ..." (empty if unknown)."""
    rules = _babel(locale)
    if rules is None:
        return "", {}
    try:
        name = resolve(locale).name
    except L10nError:
        name = babel.Locale.parse(rules.language).english_name or ""
    rule = rules.ordinal_form if ordinal else rules.plural_form
    noun = "ordinal numbers" if ordinal else "counts"
    examples = {cat: f"{noun} like {listed(ns)}" for cat, ns in examples_of(rule, COUNTS).items()}
    if not ordinal:
        for cat, fractions in examples_of(rule, FRACTIONS).items():
            examples.setdefault(cat, f"fractional counts like {listed(fractions)}")
    return name, examples


def category_hint(locale: str | None, category: str, *, ordinal: bool = False) -> str:
    """The ``domains`` hint for a JSON/YAML entry of one CLDR plural (or ordinal) category.

    Without known rules for ``locale`` it names the category only. An i18next/Rails ``zero`` key
    is used for a count of 0 in any language (CLDR ``zero`` where the language has one).
    """
    name, examples = _category_examples(locale, ordinal) if locale else ("", {})
    kind = "ordinal form" if ordinal else "plural form"
    language = f"{name} " if name else ""
    if category in examples:
        return (
            f"Translate as the {language}{kind} for the CLDR category '{category}' "
            f"({examples[category]})."
        )
    if category == "zero" and not ordinal:
        return f"Translate as the {language}text used when the count is 0."
    return f"Translate as the {language}{kind} for the CLDR category '{category}'."


@functools.lru_cache(maxsize=64)
def _single_value_categories(locale: str, ordinal: bool) -> frozenset[str] | None:
    rules = _babel(locale)
    if rules is None:
        return None
    rule = rules.ordinal_form if ordinal else rules.plural_form
    counts = examples_of(rule, PROBES)
    fractions = {} if ordinal else examples_of(rule, FRACTIONS)
    single = {cat for cat, ns in counts.items() if len(ns) == 1 and cat not in fractions}
    if not ordinal and "zero" not in counts and "zero" not in fractions:
        single.add("zero")  # the i18next/Rails key for a count of 0 (see ``category_hint``)
    return frozenset(str(cat) for cat in single)


def single_value_category(locale: str | None, category: str, *, ordinal: bool = False) -> bool:
    """Whether a JSON/YAML plural category is used for exactly one number in ``locale``.

    German ``one`` is 1 only, Arabic ``zero``/``one``/``two`` are 0/1/2, and an i18next/Rails
    ``zero`` key is 0 in a language without a CLDR ``zero``; French ``one`` (0 and 1) is not.
    False when the rules of ``locale`` are unknown.

    >>> single_value_category("de", "one"), single_value_category("fr", "one")
    (True, False)
    """
    single = _single_value_categories(locale, ordinal) if locale else None
    return single is not None and category in single
