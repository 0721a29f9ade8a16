"""Offline pseudo-localization: shows where strings appear and how longer text fits, without a key.

"Open %s file" becomes "[Öṗéñ %s ƒîļé ·······]": accented letters, about 30% longer, bracketed,
with placeholders, markup, strftime directives (``%Y``) and surrounding whitespace left exactly as
they were.
"""

from __future__ import annotations

import re

from l10n_qwen import placeholders, verbatim
from l10n_qwen.provider import Translation, TranslationRequest, Usage

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķļɱñöṗʠŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖṖǪŔŠŢÛṼŴẊÝŽ",
)
_EDGES = re.compile(r"\A(\s*)(.*?)(\s*)\Z", re.DOTALL)


def pseudo_localize(text: str) -> str:
    """Pseudo-localize one text, keeping placeholders, markup and edge whitespace intact."""
    lead, core, trail = _EDGES.match(text).groups()  # type: ignore[union-attr]
    if not core:
        return text
    out: list[str] = []
    done = 0
    for start, end in _kept(core):
        out.append(core[done:start].translate(_ACCENTED))
        out.append(core[start:end])
        done = end
    out.append(core[done:].translate(_ACCENTED))
    letters = sum(ch.isalpha() for ch in core)
    padding = "·" * max(1, round(letters * 0.3))
    body = "".join(out)
    return f"{lead}[{body} {padding}]{trail}"


def _kept(text: str) -> list[tuple[int, int]]:
    """The spans left as they are: placeholders, markup, and strftime directives (``%Y``)."""
    spans = [(p.start, p.end) for p in placeholders.find(text)]
    for match in verbatim.DIRECTIVE.finditer(text):
        start, end = match.span()
        if not any(s < end and start < e for s, e in spans):
            spans.append((start, end))
    return sorted(spans)


class PseudoProvider:
    """A provider that needs no network and no key."""

    def __init__(self) -> None:
        self.usage = Usage()

    async def translate(self, request: TranslationRequest) -> Translation:
        """Pseudo-localize ``request.text``; counts no requests and no tokens."""
        return Translation(text=pseudo_localize(request.text))

    async def aclose(self) -> None:
        """Nothing to release."""
