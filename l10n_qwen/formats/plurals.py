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
from dataclasses import dataclass
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
    counts = _form_counts(nplurals, expr) if nplurals > 1 else None
    return frozenset(form for form, ns in (counts or {}).items() if len(ns) == 1)


#: msgfmt checks a plural form strictly (every directive of msgid_plural must be there) when the
#: form serves this many counts of 0..1000 or more; fewer, and it may leave some out (found by
#: trying GNU msgfmt 0.21-0.22 with forms of 1 to 20 counts).
_STRICT_COUNTS = 5


@dataclass(frozen=True)
class PluralLayout:
    """How the forms of a PO plural entry map to its sources, for one ``Plural-Forms`` rule.

    ``singular``: the form ``msgid`` translates, or None (every form translates ``msgid_plural``);
    ``hints``: per form, the ``domains`` hint naming its counts ("" for the form from ``msgid``);
    ``single``: forms used for exactly one ``n`` (may leave the number out, as msgfmt allows);
    ``strict``: forms GNU msgfmt checks strictly against ``msgid_plural`` (see ``_STRICT_COUNTS``).
    """

    singular: int | None
    hints: tuple[str, ...]
    single: frozenset[int]
    strict: frozenset[int]


@functools.lru_cache(maxsize=64)
def _form_counts(nplurals: int, expr: str) -> dict[int, list[int]] | None:
    """Per form, every probed count that picks it; None if the rule cannot be evaluated safely.

    ``gettext.c2py`` is the standard library's evaluator of a C plural expression: it checks
    the expression's tokens and never evaluates Python code (``"n; import os"`` is refused).
    """
    try:
        form_of = gettext.c2py(expr)
        found: dict[int, list[int]] = {}
        for n in _PROBES:
            found.setdefault(int(form_of(n)), []).append(n)
    except (ValueError, TypeError, ArithmeticError, RecursionError, SyntaxError, OverflowError):
        return None
    if not set(found) <= set(range(nplurals)):
        return None  # "n+1" picks forms that do not exist
    return found


@functools.lru_cache(maxsize=256)
def gettext_layout(nplurals: int, expr: str, *, number_only_in_plural: bool) -> PluralLayout:
    """Which source each form of a PO plural entry translates, by what gettext will show.

    The form ``plural(1)`` picks translates ``msgid``, unless it serves other counts too and only
    ``msgid_plural`` carries the number (Russian form 0 is 1, 21, 31...: "One file" / "%d files"
    needs "%d" there, as ``msgfmt -c`` checks); then it translates ``msgid_plural`` with a hint.
    Every other form translates ``msgid_plural``, with a hint naming its counts. One-form
    languages (Japanese) translate ``msgid_plural``.

    >>> gettext_layout(2, "(n > 1)", number_only_in_plural=False).singular  # French: 0 and 1
    0
    >>> gettext_layout(3, "n%10==1 && n%100!=11 ? 0 : 1", number_only_in_plural=True).singular
    """
    counts = _form_counts(nplurals, expr) if nplurals > 1 else None
    if counts is None:  # one form, or an unknown rule: the usual layout, checked strictly
        everything = frozenset(range(nplurals))
        return PluralLayout(0 if nplurals > 1 else None, (), frozenset(), everything)
    first = next(form for form, ns in counts.items() if 1 in ns)
    shared = len(counts[first]) > 1
    singular = None if shared and number_only_in_plural else first
    hints = gettext_hints(nplurals, expr)
    return PluralLayout(
        singular,
        tuple("" if form == singular else hint for form, hint in enumerate(hints)),
        frozenset(form for form, ns in counts.items() if len(ns) == 1),
        frozenset(
            form for form, ns in counts.items() if sum(n <= 1000 for n in ns) >= _STRICT_COUNTS
        ),
    )


@functools.lru_cache(maxsize=64)
def gettext_hints(nplurals: int, expr: str) -> tuple[str, ...]:
    """Per plural form of a PO entry, a hint naming the counts it is used for.

    ``()`` for one form, and for an expression that cannot be evaluated or gives a form outside
    ``0..nplurals-1``; ``gettext_layout`` decides which forms take them.
    """
    if nplurals < 2:
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
