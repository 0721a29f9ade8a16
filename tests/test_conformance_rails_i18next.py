"""A bounded part of ``conformance/rails_i18next.py``: real files, filled, resolved by the runtimes.

Real Rails files (Debian's ruby-doorkeeper-i18n, Rails' own English files) and i18next files
(npm's zod-i18n-map) lose a third of their keys, are filled with the pseudo provider, and Ruby's
I18n or i18next must then resolve every source key, plural groups at counts 0, 1, 2, 5 and 21,
with no line of the file changed but the new ones. CI installs ruby, ruby-i18n, ruby-rails-i18n,
node and npm (see .ci/run); the corpora are fetched into the cache folder on first use.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conformance import rails_i18next as conf
from tests import test_verbatim
from tests.formats import test_shapes

LOCALES = ("de", "ru", "ja", "fr", "cs", "pl", "ar", "zh-CN", "pt-BR", "uk-UA")


def _assert_conforms(rows: list[conf.Row], files: int) -> None:
    assert len(rows) >= files
    for row in rows:
        where = f"{row.corpus} {row.target}"
        assert not row.refused, where
        assert row.changed == 0, where
        assert row.lookups > 0, where
        assert row.unresolved == [], where


def _assert_no_false_alarms(rows: list[conf.Row]) -> None:
    """``check`` fails a complete human-made file no more often than its runtime does."""
    for row in rows:
        assert 0 <= row.check_errors <= row.unresolved_original, (row.target, row.check_lines)


def test_doorkeeper_rails_files_fill_and_resolve_in_ruby_i18n() -> None:
    corpus = conf.doorkeeper().only(LOCALES)
    rows = conf.run_corpus(corpus, share=0.35)
    _assert_conforms(rows, files=6)
    assert sum(row.dropped for row in rows) > 50
    _assert_no_false_alarms(rows)


def test_rails_own_english_files_make_new_targets_that_resolve_at_every_count() -> None:
    # Action View's en.yml has the plural groups (distance_in_words): Russian, Polish, Arabic,
    # Japanese and French each get their own categories, and Ruby's I18n finds a form for every
    # count with rails-i18n's rules.
    (corpus,) = [c for c in conf.rails_core() if "actionview" in c.name]
    rows = conf.run_corpus(corpus.only(("ru", "pl", "ar", "ja", "fr")), share=0)
    _assert_conforms(rows, files=5)
    assert min(row.lookups for row in rows) > 60  # 12 plural groups at 5 counts, and more


def test_i18next_files_fill_and_resolve_in_i18next() -> None:
    # Also Russian's extra {{validation}} (an error i18next shows) and Uzbek's translated format
    # name (which i18next ignores: no error), Hebrew's dropped placeholders (warnings).
    corpus = conf.npm_package("zod-i18n-map", "locales/*/zod.json").only((*LOCALES, "uz", "he"))
    rows = conf.run_corpus(corpus, share=0.35)
    _assert_conforms(rows, files=8)
    _assert_no_false_alarms(rows)
    assert sum(row.check_warnings for row in rows) >= 5


def test_resolvers_see_a_missing_key_and_a_translated_symbol(tmp_path: Path) -> None:
    # The runtimes' verdict must be able to fail: a key left out, a :year turned into text.
    (tmp_path / "en.yml").write_text("en:\n  date:\n    order:\n    - :year\n  a: A\n  b: B\n")
    (tmp_path / "de.yml").write_text("de:\n  date:\n    order:\n    - year\n  a: A\n")
    jobs = [{"source": str(tmp_path / "en.yml"), "target": str(tmp_path / "de.yml")}]
    out = subprocess.run(
        ["ruby", str(conf.HERE / "resolve_rails.rb")],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (result,) = json.loads(out)
    assert len(result["failures"]) == 2
    assert result["failures"][0].startswith('date.order: ["year"] where the source has [:year]')
    assert result["failures"][1].startswith("b: I18n::MissingTranslationData")


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        ("a:\n  b: x\n", "a:\n  b: x\n  c: y\n", 0),
        ("a:\n  b: ~\n", "a:\n  b: y\n", 0),
        ("a:\n  b: long\n    text\n", "a:\n  b: long text\n", 2),
        ('{\n  "a": "x"\n}\n', '{\n  "a": "x",\n  "b": "y"\n}\n', 0),
        ('{\n  "a": "x"\n}\n', '{\n  "a": "z",\n  "b": "y"\n}\n', 1),
    ],
)
def test_changed_lines(before: str, after: str, changed: int) -> None:
    assert conf.changed_lines(before, after) == changed


# The shapes of test_shapes and the values no text of test_verbatim, in one source file.
RAILS_EN = test_shapes.EN_YML + test_verbatim.EN_YML.removeprefix("en:\n")
RAILS_TARGETS = {
    # Japanese writes one text where English pluralizes; the rest is missing.
    "ja.yml": "ja:\n  datetime:\n    about_x_hours: 約%{count}時間\n",
    # Russian pluralizes what English writes once, and blanks a plural.
    "ru.yml": (
        "ru:\n  units:\n    billion:\n      one: миллиард\n      few: миллиарда\n"
        '      many: миллиардов\n      other: миллиарда\n  errors:\n    too_long: ""\n'
    ),
    "ar.yml": "ar:\n  title: مرحبا\n",
    "pl.yml": "pl:\n  errors:\n    too_long:\n",
}


def test_every_rails_shape_fills_and_resolves_in_ruby_i18n(tmp_path: Path) -> None:
    (tmp_path / "en.yml").write_text(RAILS_EN, encoding="utf-8")
    for name, text in RAILS_TARGETS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    targets = tuple(tmp_path / name for name in RAILS_TARGETS)
    corpus = conf.Corpus("shapes", "rails", tmp_path / "en.yml", targets, ("cs", "lt"))
    rows = conf.run_corpus(corpus, share=0)
    _assert_conforms(rows, files=6)


def test_every_i18next_shape_fills_and_resolves_in_i18next(tmp_path: Path) -> None:
    source = {
        "$schema": "./$schema.json",
        "item_one": "{{count}} item",
        "item_other": "{{count}} items",
        "link": "https://example.com",
        "title": "Welcome",
    }
    targets = {"ja": {"item": "{{count}} 個"}, "ar": {"title": "مرحبا"}, "ru": {}}
    conf_dir = tmp_path / "locales"
    for locale, data in {"en": source, **targets}.items():
        path = conf_dir / locale / "app.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    paths = tuple(conf_dir / locale / "app.json" for locale in targets)
    corpus = conf.Corpus("shapes", "i18next", conf_dir / "en" / "app.json", paths, ("pl",))
    rows = conf.run_corpus(corpus, share=0)
    _assert_conforms(rows, files=4)
