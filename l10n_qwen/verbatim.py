"""Values in JSON/YAML locale files that are not text to translate: they are copied, not sent.

A translation service can only harm them (Rails' ``date.order`` symbols break ``date_select``, a
translated URL or ``$schema`` path points nowhere), and sending them costs money:

    >>> [kind("Open"), kind("https://example.com/help"), kind("%{count}"), kind("%Y-%m-%d")]
    ['text', 'copy', 'copy', 'format']

- ``copy``: a URL, an e-mail address, a file path, or one placeholder alone (``%{count}``,
  ``({{count}})``). Copied from the source as it is.
- ``format``: nothing but strftime or number-format directives and placeholders, with
  punctuation between them (``%Y-%m-%d``, ``%H:%M``, ``%n %u``, ``%{attribute} %{message}``).
  Copied too, and marked for review like a translation: a reviewer may localize the order.

A Ruby symbol (``:year``, a plain YAML scalar) and a JSON key starting with ``$`` or ``@`` are
recognised by the format adapters themselves; they are copies as well.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from l10n_qwen import placeholders

Kind = Literal["text", "copy", "format"]

#: The flag a format adapter puts on an entry whose value is a format to copy (see ``kind``):
#: the pipeline fills it with its source text instead of sending it.
FLAG = "l10n-qwen-verbatim"

# strftime (C, Ruby, Python) and Rails' number formats (%n number, %u unit): a conversion letter
# after optional flags (``%-d``, ``%^a``, ``%_m``, ``%3N``, ``%:z``) or a literal ``%%``.
DIRECTIVE = re.compile(r"%(?:%|[-_0^#:]*\d*[A-Za-z+])")
_SYMBOL = re.compile(r"^:(?:[A-Za-z_][A-Za-z0-9_]*[?!=]?|\"[^\"]*\")$")
_WHOLE_URL = re.compile(r"^(?:(?:https?|ftp)://|www\.|mailto:)\S+$")
_EMAIL = re.compile(r"^[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_PATH = re.compile(
    r"^(?:\.\.?/|~/)\S+$"  # ./logo.svg, ../$schema.json, ~/x
    # /images/a.png, assets/img/logo.png: a folder and a file name with an extension (not
    # "/month" or "km/h", which are words)
    r"|^/?[\w.$@-]+(?:/[\w.$@-]+)+\.[A-Za-z0-9]{1,5}$|^/[\w.$@-]+\.[A-Za-z0-9]{1,5}$"
)


def flags_for(source: str) -> frozenset[str]:
    """The entry flags of a JSON/YAML value: ``{FLAG}`` for a format (see ``kind``)."""
    return frozenset({FLAG}) if kind(source) == "format" else frozenset()


def is_symbol(plain: str) -> bool:
    """Whether a plain (unquoted) YAML scalar is a Ruby symbol to Psych: ``:year``."""
    return bool(_SYMBOL.match(plain))


_WORDY = re.compile(r"[^\W_]")  # a letter or a digit, in any script


def _no_words(rest: str) -> bool:
    """Nothing a reader would call words: no letters or digits (``-``, ``, ``, ``()``)."""
    return not _WORDY.search(rest)


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    out, done = [], 0
    for start, end in sorted(spans):
        out.append(text[done:start])
        done = max(done, end)
    out.append(text[done:])
    return "".join(out)


# Covers at least every span ``placeholders.find`` or ``DIRECTIVE`` can report (and more): what
# has letters or digits left outside it is words, without the cost of finding placeholders.
_ANY_SPECIAL = re.compile(
    r"%\S*|\{[^{}]*\}|<[^<>]*>|&\S*?;|\\\S|\$t\([^()]*\)|\S*://\S*|\S+@\S+|www\.\S*"
)


@functools.lru_cache(maxsize=65536)  # a file asks twice per text (copy? then flags)
def kind(text: str) -> Kind:
    """What ``text`` is: words to translate, a value to copy, or a format to copy for review."""
    value = text.strip()
    if not value:
        return "text"
    if _WHOLE_URL.match(value) or _EMAIL.match(value) or _PATH.match(value):
        return "copy"
    if not _no_words(_ANY_SPECIAL.sub("", text)):
        return "text"  # the usual case, settled cheaply
    found = [(p.start, p.end) for p in placeholders.find(text)]
    found += [m.span() for m in DIRECTIVE.finditer(text) if not _inside(m.span(), found)]
    if not found or not _no_words(_without(text, found)):
        return "text"
    # One placeholder alone is the value itself; several in a row are laid out in an order and
    # with separators a language may change (``%{attribute} %{message}``, ``%d.%m.%Y``).
    return "copy" if len(found) == 1 and not DIRECTIVE.fullmatch(value) else "format"


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)
