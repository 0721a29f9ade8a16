"""Several short texts in one request (``--batch-size``).

At 60 requests a minute per account and model, the number of requests decides how long a
catalog takes. Qwen-MT takes one user message and no prompt of our own, but it keeps the lines
of a multi-line text, so short single-line texts of one language and one domain hint can go
together, one per line. An answer whose line count differs (the model merged or split lines)
cannot be matched up and its texts go again one by one; so does every piece that fails
verification. Batching never lets a wrong line through: it only saves requests when it works.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from l10n_qwen.planning import Unit
from l10n_qwen.provider import TranslationRequest

#: A batch stays small enough that one cut or rejected answer costs little to redo.
MAX_BATCH_CHARS = 1500
#: Texts longer than this go alone: long texts are where models merge sentences across lines.
MAX_TEXT_CHARS = 300
#: Each term and TM pair costs input tokens on every request; a batch sends at most these.
MAX_TERMS = 20
MAX_TM_PAIRS = 6


def batchable(unit: Unit) -> bool:
    """Whether a unit may share a request: one line, no edge whitespace, not long."""
    text = unit.request.text
    return (
        0 < len(text) <= MAX_TEXT_CHARS
        and "\n" not in text
        and "\r" not in text
        and text == text.strip()
    )


def make_batches(units: Iterable[Unit], size: int) -> list[list[Unit]]:
    """Group units into requests of at most ``size`` texts (1: every unit alone)."""
    batches: list[list[Unit]] = []
    groups: dict[tuple[str, str, str | None], list[Unit]] = {}
    for unit in units:
        if size <= 1 or not batchable(unit):
            batches.append([unit])
            continue
        request = unit.request
        groups.setdefault((request.source_lang, request.target_lang, request.domains), []).append(
            unit
        )
    for members in groups.values():
        current: list[Unit] = []
        chars = 0
        for unit in members:
            length = len(unit.request.text) + 1
            if current and (len(current) >= size or chars + length > MAX_BATCH_CHARS):
                batches.append(current)
                current, chars = [], 0
            current.append(unit)
            chars += length
        if current:
            batches.append(current)
    return batches


def _unique(pairs: Iterable[tuple[str, str]], limit: int) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for source, target in pairs:
        if source not in seen and len(seen) < limit:
            seen[source] = target
    return tuple(seen.items())


def batch_request(units: Sequence[Unit]) -> TranslationRequest:
    """One request for all of ``units``: their texts one per line, their terms and TM pairs."""
    first = units[0].request
    return TranslationRequest(
        text="\n".join(unit.request.text for unit in units),
        source_lang=first.source_lang,
        target_lang=first.target_lang,
        terms=_unique((t for u in units for t in u.request.terms), MAX_TERMS),
        tm_list=_unique((p for u in units for p in u.request.tm_list), MAX_TM_PAIRS),
        domains=first.domains,
    )


def split_answer(answer: str, count: int) -> list[str] | None:
    """The answer's lines, one per text, or None when they cannot be matched to the texts."""
    lines = answer.split("\n")
    if len(lines) != count:
        return None
    # The texts had no edge whitespace (see ``batchable``), so neither may their translations.
    return [line.strip() for line in lines]
