"""Several short texts in one request (``--batch-size``, ``auto`` by default).

At 60 requests a minute per account and model, the number of requests decides how long a
catalog takes. Qwen-MT takes one user message and no prompt of our own, but it keeps the lines
of a multi-line text, so short single-line texts of one language and one domain hint (the same
msgctxt, plural form and region) go together, one per line; texts with different hints never
share a request, since ``domains`` is one per request. An answer whose line count differs (the
model merged or split lines) cannot be matched up: the batch is split in two and each half sent
again, down to single texts. Every line is verified as a text of its own, and one that fails
goes alone. Batching never lets a wrong line through: it only saves requests when it works.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from l10n_qwen.planning import Unit
from l10n_qwen.provider import TranslationRequest
from l10n_qwen.qwen import estimate_tokens
from l10n_qwen.service import MAX_INPUT_TOKENS, PROMPT_OVERHEAD_TOKENS

#: ``--batch-size auto``: the size is decided per run (see ``limits``).
AUTO = 0
#: A batch of a fixed ``--batch-size`` stays this small, so one cut answer costs little to redo.
MAX_BATCH_CHARS = 1500
#: Texts longer than this go alone: long texts are where models merge sentences across lines.
MAX_TEXT_CHARS = 300
#: Each term and TM pair costs input tokens on every request; a batch sends at most these.
MAX_TERMS = 20
MAX_TM_PAIRS = 6
#: ``auto`` puts at most this many texts in a request: at 60 requests a minute, 1,000 strings
#: take ~20 requests (~20 s), while a merged answer costs a few halves, not 50 requests.
AUTO_MAX_TEXTS = 50
#: Tokens the terms and TM pairs of a batch may take at most (a rough ceiling, for sizing).
_EXTRAS_TOKENS = 300


@dataclass(frozen=True)
class Limits:
    """How much one request may carry: texts, and the tokens of their text (in and out)."""

    texts: int
    text_tokens: int


def limits(batch_size: int, *, rpm: int, tpm: int) -> Limits:
    """The batch limits of a run: a fixed ``--batch-size``, or ``auto`` sized to the quota.

    ``auto`` keeps a request within a quarter of the 8,192-token input limit and within one
    request's share of the minute's tokens (``tpm / rpm``), so the token quota never holds the
    run back before the request quota does.
    """
    if batch_size != AUTO:
        return Limits(batch_size, MAX_BATCH_CHARS // 4)
    share = min(MAX_INPUT_TOKENS // 4, tpm // rpm) - PROMPT_OVERHEAD_TOKENS - _EXTRAS_TOKENS
    # Each text token comes back as about one output token: a batch costs its text twice.
    return Limits(AUTO_MAX_TEXTS, max(share // 2, 64))


def batchable(unit: Unit) -> bool:
    """Whether a unit may share a request: one line, no edge whitespace, not long."""
    text = unit.request.text
    return (
        0 < len(text) <= MAX_TEXT_CHARS
        and "\n" not in text
        and "\r" not in text
        and text == text.strip()
    )


def make_batches(units: Iterable[Unit], limit: Limits | int) -> list[list[Unit]]:
    """Group units into requests within ``limit`` (a size of 1: every unit alone).

    Units of one group are spread evenly: 120 texts at 50 a batch go as 40 + 40 + 40.
    """
    if isinstance(limit, int):
        limit = limits(limit, rpm=60, tpm=100_000)
    batches: list[list[Unit]] = []
    groups: dict[tuple[str, str, str | None], list[Unit]] = {}
    for unit in units:
        if limit.texts <= 1 or not batchable(unit):
            batches.append([unit])
            continue
        request = unit.request
        key = (request.source_lang, request.target_lang, request.domains)
        groups.setdefault(key, []).append(unit)
    for members in groups.values():
        tokens = sum(estimate_tokens(u.request.text) + 1 for u in members)
        count = max(math.ceil(len(members) / limit.texts), math.ceil(tokens / limit.text_tokens))
        target = math.ceil(len(members) / count)  # texts per batch, evenly spread
        current: list[Unit] = []
        used = 0
        for unit in members:
            cost = estimate_tokens(unit.request.text) + 1
            if current and (len(current) >= target or used + cost > limit.text_tokens):
                batches.append(current)
                current, used = [], 0
            current.append(unit)
            used += cost
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


def halves(units: Sequence[Unit]) -> list[list[Unit]]:
    """``units`` split in two, to be sent again after an answer that did not match up."""
    middle = len(units) // 2
    return [list(units[:middle]), list(units[middle:])]
