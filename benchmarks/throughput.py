"""Throughput of ``l10n-qwen fill`` against the fake Qwen-MT server with a set latency.

    python benchmarks/throughput.py [--strings 300] [--latency 0.3] [--long-quota]

Runs 1-4: distinct strings at concurrency 1, 4, 8, 16 under a quota too large to matter: the wall
time should approach strings * latency / concurrency. Run 5: the same at concurrency 8 with
``--batch-size 10``. Run 6: the server enforces 120 requests a rolling minute and the client is
told ``--rpm 120``: its limiter should keep 429s at zero and the rate near the quota (under a
minute by default; ``--long-quota`` adds a run that goes past the first minute). Each run gets a
fresh project (empty cache) and a fresh server.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

from _common import CliRun, machine, make_project, run_cli, table, text, write_po

from tests.fakeserver import FakeQwenServer

GENEROUS = ["--rpm", "100000", "--tpm", "100000000"]


@dataclass
class Case:
    name: str
    strings: int
    concurrency: int
    rpm: int | None  # None: the generous quota, and no server limit
    batch: int = 1  # --batch-size


def run_case(case: Case, latency: float, folder: Path) -> list[object]:
    project = make_project(folder)
    write_po(project / "de.po", [(text(i), "") for i in range(case.strings)])
    quota = GENEROUS if case.rpm is None else ["--rpm", str(case.rpm), "--tpm", "100000000"]
    with FakeQwenServer(latency=latency, rpm_limit=case.rpm) as server:
        args = ["fill", "--base-url", server.compat_url, "--concurrency", str(case.concurrency)]
        args += ["--batch-size", str(case.batch)]
        result: CliRun = run_cli(project, [*args, *quota, "de.po"], api_key=server.api_key)
        requests = server.requests
    if result.filled != case.strings:
        raise RuntimeError(f"{case.name}: filled {result.filled} of {case.strings}")
    times = [r.time for r in requests]
    span = max(times) - min(times) + latency  # first request received .. last answer sent
    throttled = sum(r.answer in ("429", "rpm_limit", "429_retry_after") for r in requests)
    ideal = math.ceil(case.strings / case.batch) * latency / case.concurrency
    if case.rpm is not None:
        ideal = max(ideal, case.strings * 60 / case.rpm)
    per_minute = 60 * (len(requests) - 1) / (max(times) - min(times))
    return [
        case.name,
        case.strings,
        case.concurrency,
        len(requests),
        throttled,
        round(result.seconds, 2),
        round(span, 2),
        round(ideal, 2),
        round(case.strings / result.seconds, 1),
        round(per_minute),
        round(len(requests) * latency / span, 1),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strings", type=int, default=300, help="strings per unlimited run")
    parser.add_argument("--latency", type=float, default=0.3, help="fake server latency (s)")
    parser.add_argument("--quota-strings", type=int, default=90, help="strings in the quota run")
    parser.add_argument("--long-quota", action="store_true", help="add a 160-string quota run")
    args = parser.parse_args()
    n = args.strings
    cases = [
        Case("c=1", max(1, n // 5), 1, None),  # a fifth of the strings: it is the slow one
        Case("c=4", n, 4, None),
        Case("c=8", n, 8, None),
        Case("c=16", n, 16, None),
        Case("c=8, batch 10", n, 8, None, batch=10),
        Case("quota 120 rpm, c=8", args.quota_strings, 8, 120),
    ]
    if args.long_quota:
        cases.append(Case("quota 120 rpm, c=8, > 1 min", 160, 8, 120))
    rows = []
    with tempfile.TemporaryDirectory(prefix="l10n-bench-") as tmp:
        for i, case in enumerate(cases):
            rows.append(run_case(case, args.latency, Path(tmp) / str(i)))
            print(f"  done: {case.name}", flush=True)
    headers = [
        "run",
        "strings",
        "concurrency",
        "requests",
        "429s",
        "wall s",
        "server busy s",
        "ideal s",
        "strings/s",
        "req/min",
        "mean in flight",
    ]
    print(f"\nthroughput, fake latency {args.latency} s ({machine()})\n")
    print(table(headers, rows))
    print(
        "\nwall s: the whole command, interpreter start-up included; server busy s: first request"
        "\nreceived to last answer sent; ideal s: strings x latency / concurrency, or strings /"
        "\nquota; mean in flight: requests x latency / server busy s."
    )


if __name__ == "__main__":
    main()
