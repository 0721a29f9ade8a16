"""Plural rules for locale files: the CLDR categories a JSON/YAML target gets, and hints.

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
>>> gettext_hints(3, "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && n%100/10!=1 ? 1 : 2")[1]
'Translate as the plural form used for counts like 2, 3, 4, 22, 23, 102.'
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from typing import TypeVar

import babel

from l10n_qwen.errors import L10nError
from l10n_qwen.formats.tree import CATEGORIES, PluralStyle, Rules
from l10n_qwen.languages import babel_locale, resolve

#: Counts tried first, so that the few examples of a form show what sets it apart (the teens,
#: 21/22/25, the hundreds) rather than just its smallest members; then 0..1000 in order.
_TELLING = (1, 2, 3, 5, 0, 11, 12, 21, 22, 25, 4, 6, 7, 10, 13, 14, 15, 20, 23, 100, 101, 102)
_COUNTS = tuple(dict.fromkeys((*_TELLING, *range(1001), 1_000_000)))
#: For CLDR categories that no whole number falls in (Russian and Polish ``other``).
_FRACTIONS = (Decimal("0.5"), Decimal("1.5"), Decimal("2.5"))
#: Where a form used for one number only shows itself (French ``many`` is 1,000,000 and more
#: millions: several large counts keep it from looking like a one-number form).
_PROBES = (*range(1001), 1_000_000, 1_000_001, 2_000_000, 1_000_000_000)
_EXAMPLES = 6

Number = TypeVar("Number", int, Decimal)


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
    whole = set(_examples(rules.plural_form, _PROBES))
    return Rules(
        cardinal,
        _ordered(set(rules.ordinal_form.tags)),
        style,
        # ``other`` is never optional: every group needs it (Russian's is for fractions only).
        fractions_only=tuple(c for c in cardinal if c not in whole and c != "other"),
    )


def _examples(
    form_of: Callable[[Number], Hashable], counts: Iterable[Number]
) -> dict[Hashable, list[Number]]:
    """Up to six telling counts per form, in numeric order."""
    found: dict[Hashable, list[Number]] = {}
    for n in counts:
        members = found.setdefault(form_of(n), [])
        if len(members) < _EXAMPLES:
            members.append(n)
    return {form: sorted(members) for form, members in found.items()}


def _listed(numbers: Iterable[object]) -> str:
    return ", ".join(str(n) for n in numbers)


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
    examples = {cat: f"{noun} like {_listed(ns)}" for cat, ns in _examples(rule, _COUNTS).items()}
    if not ordinal:
        for cat, fractions in _examples(rule, _FRACTIONS).items():
            examples.setdefault(cat, f"fractional counts like {_listed(fractions)}")
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
    counts = _examples(rule, _PROBES)
    fractions = {} if ordinal else _examples(rule, _FRACTIONS)
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


@functools.lru_cache(maxsize=64)
def single_value_forms(nplurals: int, expr: str) -> frozenset[int]:
    """The PO plural forms that the expression uses for exactly one ``n``.

    ``plural=(n != 1)`` uses form 0 for 1 only; Arabic's forms 0, 1 and 2 are 0, 1 and 2.
    Empty for an expression that cannot be evaluated.

    >>> sorted(single_value_forms(3, "n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2"))
    [0]
    """
    if nplurals < 2:
        return frozenset()
    try:
        examples = _examples(gettext.c2py(expr), _PROBES)
    except (ValueError, TypeError, ArithmeticError, RecursionError, SyntaxError):
        return frozenset()
    return frozenset(
        form
        for form, ns in examples.items()
        if isinstance(form, int) and 0 <= form < nplurals and len(ns) == 1
    )


def singular_form(nplurals: int, expr: str) -> int | None:
    """The PO plural form that ``msgid`` (the singular) translates: the form used for n = 1,
    when it is used for no other number; None when there is none (Russian's form for 1 is also
    the form for 21, 31...: it translates ``msgid_plural``, with its number).

    >>> singular_form(2, "n != 1"), singular_form(6, "n==0 ? 0 : n==1 ? 1 : 2")
    (0, 1)
    """
    if nplurals < 2:
        return None
    try:
        form = int(gettext.c2py(expr)(1))
    except (ValueError, TypeError, ArithmeticError, RecursionError, SyntaxError):
        return 0  # the usual layout, as when the rule is unknown
    return form if form in single_value_forms(nplurals, expr) else None


@functools.lru_cache(maxsize=64)
def gettext_hints(nplurals: int, expr: str) -> tuple[str, ...]:
    """Per plural form of a PO entry, a hint naming the counts it is used for.

    Only where forms share a source text, i.e. ``nplurals`` > 2 (form 0 from ``msgid``, all others
    from ``msgid_plural``); then every form gets one, form 0 too. ``()`` for fewer forms, and for
    an expression that cannot be evaluated or gives a form outside ``0..nplurals-1``.
    """
    if nplurals <= 2:
        return ()
    try:
        form_of = gettext.c2py(expr)
        examples = _examples(form_of, _COUNTS)
    except (ValueError, TypeError, ArithmeticError, RecursionError, SyntaxError):
        return ()  # e.g. "n%0", or "nplurals=INTEGER; plural=EXPRESSION" from a template
    if not set(examples) <= set(range(nplurals)):
        return ()
    return tuple(
        f"Translate as the plural form used for counts like {_listed(examples[i])}."
        if i in examples
        else ""
        for i in range(nplurals)
    )
