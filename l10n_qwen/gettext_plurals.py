"""PO plural rules: the ``Plural-Forms`` header a new catalog gets (a table this project owns).

The values are what GNU gettext's ``msginit`` writes for each language, so a catalog filled here
reads as one a translator started by hand, and the header does not change when a dependency is
upgraded (Babel 2.19 gave French a third form for millions; gettext keeps two).

>>> plural_forms("pt_BR")
(2, '(n > 1)')
>>> plural_forms("ru")[0]
3

What a rule means for the forms of an entry (which source each translates, the counts each
is used for, which msgfmt checks strictly) is here too: ``gettext_layout``, ``gettext_hints``.

>>> gettext_hints(3, "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && n%100/10!=1 ? 1 : 2")[1]
'Translate as the plural form used for counts like 2, 3, 4, 22, 23, 102.'

Languages ``msginit`` has no formula for (Arabic, Hindi, Chinese, ...) carry the formula that
CLDR's integer plural rules describe, written in gettext's usual spelling. JSON and YAML plural
keys follow CLDR's category names instead; see ``formats/plurals.py``.
"""

from __future__ import annotations

import functools
import gettext
import re
from dataclasses import dataclass

from l10n_qwen.plural_counts import COUNTS, PROBES, examples_of, listed

#: The largest form count gettext knows in any language (Arabic, Welsh).
MAX_FORMS = 6

_ONE = "nplurals=1; plural=0;"
_NOT_ONE = "nplurals=2; plural=(n != 1);"
_ABOVE_ONE = "nplurals=2; plural=(n > 1);"
_EAST_SLAVIC = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
_CZECH = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"
_ARABIC = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);"
)
_ONE_BY_LAST_DIGIT = "nplurals=2; plural=(n%10==1 && n%100!=11 ? 0 : 1);"
_FILIPINO = "nplurals=2; plural=(n%10==4 || n%10==6 || n%10==9);"

#: What ``msginit`` (GNU gettext 0.21) writes, by the code it is given.
MSGINIT: dict[str, str] = {
    "be": _EAST_SLAVIC,
    "bg": _NOT_ONE,
    "cs": _CZECH,
    "da": _NOT_ONE,
    "de": _NOT_ONE,
    "el": _NOT_ONE,
    "en": _NOT_ONE,
    "eo": _NOT_ONE,
    "es": _NOT_ONE,
    "et": _NOT_ONE,
    "fi": _NOT_ONE,
    "fo": _NOT_ONE,
    "fr": _ABOVE_ONE,
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "he": _NOT_ONE,
    "hr": _EAST_SLAVIC,
    "hu": _NOT_ONE,
    "it": _NOT_ONE,
    "ja": _ONE,
    "ko": _ONE,
    "lt": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "nb": _NOT_ONE,
    "nl": _NOT_ONE,
    "nn": _NOT_ONE,
    "no": _NOT_ONE,
    "pl": (
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "pt": _NOT_ONE,
    "pt_BR": _ABOVE_ONE,
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "ru": _EAST_SLAVIC,
    "sk": _CZECH,
    "sl": ("nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);"),
    "sr": _EAST_SLAVIC,
    "sv": _NOT_ONE,
    "tr": _NOT_ONE,
    "uk": _EAST_SLAVIC,
    "vi": _ONE,
}

#: Qwen-MT languages ``msginit`` knows no formula for: CLDR's integer rules, gettext's spelling.
FROM_CLDR: dict[str, str] = {
    **dict.fromkeys(
        ("zh", "th", "id", "ms", "my", "km", "lo", "yue", "jv", "mai"),
        _ONE,
    ),
    **dict.fromkeys(("ar", "arz", "acm", "ary", "ars", "apc", "ajp", "acq", "aeb"), _ARABIC),
    # CLDR: "one" is i = 0 or n = 1, so 0 takes the singular as in French.
    **dict.fromkeys(("hi", "bn", "hy", "as", "gu", "kn", "si", "fa"), _ABOVE_ONE),
    # Occitan: CLDR has no rule; its translators use French's, as Launchpad's table does.
    "oc": _ABOVE_ONE,
    **dict.fromkeys(
        [
            "ta",
            "ur",
            "te",
            "af",
            "ast",
            "eu",
            "ca",
            "gl",
            "ka",
            "kk",
            "lb",
            "mr",
            "ne",
            "az",
            "uz",
            "or",
            "scn",
            "sd",
            "sw",
            "sq",
            "vec",
        ],
        _NOT_ONE,
    ),
    "bs": _EAST_SLAVIC,
    **dict.fromkeys(("is", "mk"), _ONE_BY_LAST_DIGIT),
    # Filipino's rule: "one" unless the last digit is 4, 6 or 9 (Cebuano, Waray, Pangasinan
    # are Philippine languages whose CLDR data, where present, is the same).
    **dict.fromkeys(("tl", "fil", "ceb", "war", "pag"), _FILIPINO),
    "mt": (
        "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n==0 || (n%100>=3 && n%100<=10) ? 2 : "
        "n%100>=11 && n%100<=19 ? 3 : 4);"
    ),
    "cy": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);",
}

TABLE: dict[str, str] = {**FROM_CLDR, **MSGINIT}

_HEADER = re.compile(r"nplurals=(\d+); plural=(.+);$")


def header(locale: str) -> str | None:
    """The ``Plural-Forms`` value for ``locale`` (``pt-BR``, ``sr@latin``, ``de_AT.UTF-8``)."""
    code = re.split(r"[@.]", locale.strip(), maxsplit=1)[0].replace("-", "_")
    language, _, region = code.partition("_")
    language = language.lower()
    if region:
        regional = TABLE.get(f"{language}_{region.upper()}")
        if regional is not None:
            return regional
    return TABLE.get(language)


def plural_forms(locale: str) -> tuple[int, str] | None:
    """``(nplurals, plural expression)`` for ``locale``, or None if the table has no line for it."""
    value = header(locale)
    if value is None:
        return None
    match = _HEADER.match(value)
    assert match is not None, value  # the table's own lines all have this shape
    return int(match[1]), match[2]


# -- what a rule means for the forms of an entry -------------------------------------------------


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
        for n in PROBES:
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
        examples = examples_of(form_of, COUNTS)
    except (ValueError, TypeError, ArithmeticError, RecursionError, SyntaxError):
        return ()  # e.g. "n%0", or "nplurals=INTEGER; plural=EXPRESSION" from a template
    if not set(examples) <= set(range(nplurals)):
        return ()
    return tuple(
        f"Translate as the plural form used for counts like {listed(examples[i])}."
        if i in examples
        else ""
        for i in range(nplurals)
    )
