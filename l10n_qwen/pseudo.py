"""Offline pseudo-localization: shows where strings appear and how longer text fits, without a key.

"Open %s file" becomes "[Öṗéñ %s ƒîļé ·······]": accented letters, about 30% longer, bracketed,
with placeholders, markup and surrounding whitespace left exactly as they were.
"""

from __future__ import annotations

import re

from l10n_qwen import placeholders
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
    for found in placeholders.find(core):
        out.append(core[done : found.start].translate(_ACCENTED))
        out.append(found.text)
        done = found.end
    out.append(core[done:].translate(_ACCENTED))
    letters = sum(ch.isalpha() for ch in core)
    padding = "·" * max(1, round(letters * 0.3))
    body = "".join(out)
    return f"{lead}[{body} {padding}]{trail}"


class PseudoProvider:
    """A provider that needs no network and no key."""

    def __init__(self) -> None:
        self.usage = Usage()

    async def translate(self, request: TranslationRequest) -> Translation:
        """Pseudo-localize ``request.text``; counts no requests and no tokens."""
        return Translation(text=pseudo_localize(request.text))

    async def aclose(self) -> None:
        """Nothing to release."""
