"""What ``--dry-run`` prints: each request that would be sent, and how long the run would take.

With ``-v`` every text of a request is listed with the glossary terms and memory pairs that go
with it, so the glossary can be checked before anything is paid for::

    German: 'Change password\\nOpen file'  [2 texts, 1 term]
      'Change password'
        term: password → Passwort
      'Open file'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from l10n_qwen.config import Settings
from l10n_qwen.planning import Unit
from l10n_qwen.progress import duration
from l10n_qwen.provider import TranslationRequest
from l10n_qwen.report import count

#: What one answer of the real service is assumed to take, for the wall-time estimate when the
#: quota is not what decides it (a short run, or a generous quota).
ASSUMED_LATENCY = 1.5


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def describe(request: TranslationRequest, batch: Sequence[Unit], verbose: bool) -> list[str]:
    """The lines for one request: its text and what goes with it; with ``verbose``, per text."""
    extras = [f"{len(batch)} texts"] if len(batch) > 1 else []
    if request.tm_list:
        extras.append(count(len(request.tm_list), "TM pair"))
    if request.terms:
        extras.append(count(len(request.terms), "term"))
    if request.domains:
        extras.append(f"domains {request.domains!r}")
    suffix = f"  [{', '.join(extras)}]" if extras else ""
    lines = [f"{request.target_lang}: {request.text!r}{suffix}"]
    if not verbose:
        return lines
    sent_terms, sent_pairs = set(request.terms), set(request.tm_list)
    for unit in batch:
        if len(batch) > 1:
            lines.append(f"  {unit.request.text!r}")
        indent = "    " if len(batch) > 1 else "  "
        for source, target in unit.request.terms:
            if (source, target) in sent_terms:
                lines.append(f"{indent}term: {source} → {target}")
        for source, target in unit.request.tm_list:
            if (source, target) in sent_pairs:
                lines.append(f"{indent}TM: {source!r} → {target!r}")
    return lines


def expected_wall(requests: int, tokens: int, settings: Settings) -> tuple[float, str]:
    """Seconds the run would take at the configured quota and concurrency, and what decides it."""
    by_requests = 60 * requests / settings.rpm
    by_tokens = 60 * tokens / settings.tpm
    by_latency = math.ceil(requests / settings.concurrency) * ASSUMED_LATENCY
    seconds = max(by_requests, by_tokens, by_latency)
    if seconds == by_latency:
        why = f"{settings.concurrency} in flight, ~{ASSUMED_LATENCY:g} s an answer"
    elif seconds == by_requests:
        why = f"the quota of {settings.rpm} requests/min"
    else:
        why = f"the quota of {settings.tpm} tokens/min"
    return seconds, why


def wall_line(requests: int, tokens: int, settings: Settings) -> str:
    """``expected wall time: about 25 s (25 requests at the quota of 60 requests/min)``."""
    seconds, why = expected_wall(requests, tokens, settings)
    return (
        f"expected wall time: about {duration(seconds)} "
        f"({_count(requests, 'request', 'requests')}; {why})"
    )
