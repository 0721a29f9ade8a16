"""Plural rules and the per-form hints that keep forms sharing one source text apart."""

from __future__ import annotations

import re

import pytest

from l10n_qwen.formats.plurals import category_hint, rules_for, single_value_category
from l10n_qwen.gettext_plurals import gettext_hints, gettext_layout

RU_EXPR = "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"


def counts(hint: str) -> set[str]:
    """The numbers a hint names."""
    return set(re.findall(r"\d+(?:\.\d+)?", hint.partition("like")[2]))


AR_EXPR = "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"


@pytest.mark.parametrize(
    ("nplurals", "expr", "single"),
    [
        (6, AR_EXPR, {0, 1, 2}),
        (2, "(n != 1)", {0}),  # German: msgstr[0] is for 1 only
        (2, "(n > 1)", set()),  # French: msgstr[0] is for 0 and 1
        (3, RU_EXPR, set()),
        (1, "0", set()),
        (2, "n%0", set()),  # cannot be evaluated
    ],
)
def test_single_value_forms(nplurals: int, expr: str, single: set[int]) -> None:
    layout = gettext_layout(nplurals, expr, number_only_in_plural=False)
    assert layout.single == single


@pytest.mark.parametrize(
    ("locale", "ordinal", "single"),
    [
        ("de", False, {"zero", "one"}),  # i18next/Rails "zero" is 0 where CLDR has no zero
        ("ar", False, {"zero", "one", "two"}),
        ("fr", False, {"zero"}),  # "one" is 0 and 1, "many" every million
        ("lv", False, set()),  # CLDR "zero" is 0, 10-20, 30, ...
        ("ru", False, {"zero"}),
        ("en", True, set()),  # 1st, 21st, 31st
        ("fr", True, {"one"}),  # 1er
        ("xx-unknown", False, set()),
        (None, False, set()),
    ],
)
def test_single_value_categories(locale: str | None, ordinal: bool, single: set[str]) -> None:
    categories = ("zero", "one", "two", "few", "many", "other")
    found = {c for c in categories if single_value_category(locale, c, ordinal=ordinal)}
    assert found == single


def test_rules_for() -> None:
    assert rules_for("ru", "suffix").cardinal == ("one", "few", "many", "other")
    assert rules_for("ga", "suffix").cardinal == ("one", "two", "few", "many", "other")
    assert rules_for("xx-unknown", "suffix").cardinal == ()
    assert rules_for(None, "subkeys").cardinal == ()


def test_gettext_hints_name_the_counts_of_each_form() -> None:
    hints = gettext_hints(3, RU_EXPR)
    assert hints == (
        "Translate as the plural form used for counts like 1, 21, 31, 41, 51, 101.",
        "Translate as the plural form used for counts like 2, 3, 4, 22, 23, 102.",
        "Translate as the plural form used for counts like 0, 5, 6, 11, 12, 25.",
    )


@pytest.mark.parametrize(
    ("nplurals", "expr"),
    [
        (1, "0"),  # one form: nothing shares a source
        (3, "n%0"),  # division by zero
        (3, "EXPRESSION"),  # a template's placeholder
        (3, "n+1"),  # forms 3, 4, ... do not exist
        (3, "n; import os"),  # not a C expression at all
    ],
)
def test_no_gettext_hints(nplurals: int, expr: str) -> None:
    assert gettext_hints(nplurals, expr) == ()


def test_a_form_no_count_reaches_gets_no_hint() -> None:
    assert gettext_hints(3, "n==1 ? 0 : 1") == (
        "Translate as the plural form used for counts like 1.",
        "Translate as the plural form used for counts like 0, 2, 3, 5, 11, 12.",
        "",
    )


def test_category_hints_for_russian() -> None:
    hints = {cat: category_hint("ru", cat) for cat in ("one", "few", "many", "other")}
    assert hints["few"] == (
        "Translate as the Russian plural form for the CLDR category 'few' "
        "(counts like 2, 3, 4, 22, 23, 102)."
    )
    assert {"1", "21"} <= counts(hints["one"]) and "11" not in counts(hints["one"])
    assert {"5", "11"} <= counts(hints["many"])
    # no whole number is 'other' in Russian: the examples are fractions
    assert hints["other"].endswith("(fractional counts like 0.5, 1.5, 2.5).")
    assert len(set(hints.values())) == 4


def test_category_hint_special_cases() -> None:
    assert category_hint("ja", "other") == (
        "Translate as the Japanese plural form for the CLDR category 'other' "
        "(counts like 0, 1, 2, 3, 5, 11)."
    )
    # i18next/Rails use a "zero" key for 0 in every language
    assert category_hint("de", "zero") == "Translate as the German text used when the count is 0."
    assert category_hint("en", "two", ordinal=True) == (
        "Translate as the English ordinal form for the CLDR category 'two' "
        "(ordinal numbers like 2, 22, 32, 42, 52, 102)."
    )
    assert category_hint("fr", "many").endswith("(counts like 1000000).")
    assert category_hint(None, "few") == "Translate as the plural form for the CLDR category 'few'."
    assert category_hint("ga", "two").startswith("Translate as the Irish plural form")
