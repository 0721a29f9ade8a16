"""The time goals of issue 11, at the default settings, against the fake Qwen-MT server.

    python benchmarks/defaults.py [--only quota,rerun,throughput,cached] [--entries 20000]

1. **quota** — the server enforces 60 requests a rolling minute and answers in 0.3 s; the client
   runs with its defaults (``--rpm 60``, ``--batch-size auto``, concurrency 8). 1,000 UI
   strings: 850 distinct ones and 150 of them again under five msgctxt values. Once with clean
   answers and once with the server running two lines together in 10% of its answers. Goals:
   wall ≤ 60 s (target 30 s), ≤ 0.05 requests per entry, 0 misplaced translations (every
   entry holds exactly the fake translation of its own msgid), no 429.
2. **rerun** — the same command again on the filled file, and on the file restored as it was
   (as after ``git checkout``: the cache answers): 0 requests.
3. **throughput** — no quota, 0.1 s latency, 16 in flight: a plain ``httpx`` client sending
   the same texts one per request, then ``l10n-qwen fill --concurrency 16`` with
   ``--batch-size 1`` (the same requests: what the tool adds) and at its default batching.
   Goal: ≥ 0.9 of the plain client's throughput.
4. **cached** — a 20,000-entry PO file, every entry untranslated and every answer in the
   cache: ``pipeline.fill`` in process vs polib's own load + fill (msgstr and the fuzzy flag)
   + save of the same file; the whole command too. Goal: ≤ 1.5× polib. With
   ``--instructions``, also the instructions each side executes, counted by valgrind's
   callgrind: the same on a busy machine as on an idle one, where timings are not.

Prints Markdown tables and the machine line; every file lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import polib
from _common import machine, make_project, po_quote, run_cli, table, text
from file_overhead import write_po as write_large_po

from l10n_qwen import pipeline
from l10n_qwen.config import Settings
from tests.fakeserver import FakeQwenServer, fake_translate

CONTEXTS = ["menu", "toolbar", "dialog", "status bar", "tooltip"]
HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)
UNLIMITED = ["--rpm", "1000000", "--tpm", "1000000000"]


def ui_catalog(path: Path, entries: int = 1000, repeated: float = 0.15) -> int:
    """``entries`` UI strings, ``repeated`` of them the same msgid again under a msgctxt."""
    again = round(entries * repeated)
    distinct = entries - again
    blocks = [HEADER]
    blocks += [f'msgid "{po_quote(text(i))}"\nmsgstr ""\n\n' for i in range(distinct)]
    for n in range(again):
        context = CONTEXTS[n % len(CONTEXTS)]
        source = po_quote(text(n * 5))  # spread over the catalog
        blocks.append(f'msgctxt "{context}"\nmsgid "{source}"\nmsgstr ""\n\n')
    path.write_text("".join(blocks), encoding="utf-8")
    return entries


def misplaced(path: Path) -> tuple[int, int]:
    """(entries whose msgstr is not the fake translation of their own msgid, empty entries)."""
    wrong = empty = 0
    for entry in polib.pofile(str(path)):
        if not entry.msgstr:
            empty += 1
        elif entry.msgstr != fake_translate(entry.msgid, "German"):
            wrong += 1
    return wrong, empty


def quota_rows(folder: Path) -> list[list[object]]:
    rows: list[list[object]] = []
    for label, merged in (("clean answers", 0.0), ("10% of answers merge two lines", 0.1)):
        project = make_project(folder / f"quota-{merged}")
        entries = ui_catalog(project / "de.po")
        pristine = (project / "de.po").read_bytes()
        with FakeQwenServer(latency=0.3, rpm_limit=60) as server:
            server.set_faults(rate_merged_lines=merged, seed=11)
            args = ["fill", "--base-url", server.compat_url, "de.po"]
            first = run_cli(project, args, api_key=server.api_key, timeout=600)
            requests = len(server.requests)
            throttled = sum(r.answer in ("429", "rpm_limit") for r in server.requests)
            merges = sum(r.answer == "merged_lines" for r in server.requests)
            wrong, empty = misplaced(project / "de.po")
            rows.append(
                [
                    f"1,000 strings, {label}",
                    entries,
                    requests,
                    round(requests / entries, 3),
                    merges,
                    throttled,
                    wrong,
                    empty,
                    round(first.seconds, 1),
                ]
            )
            server.reset()
            again = run_cli(project, args, api_key=server.api_key)
            rows.append(
                [
                    "rerun, files as filled",
                    again.filled,
                    len(server.requests),
                    0.0,
                    0,
                    0,
                    0,
                    0,
                    round(again.seconds, 1),
                ]
            )
            (project / "de.po").write_bytes(pristine)
            server.reset()
            restored = run_cli(project, args, api_key=server.api_key)
            wrong, empty = misplaced(project / "de.po")
            rows.append(
                [
                    "rerun, file restored (cache)",
                    restored.filled,
                    len(server.requests),
                    0.0,
                    0,
                    0,
                    wrong,
                    empty,
                    round(restored.seconds, 1),
                ]
            )
    return rows


async def plain_client(url: str, key: str, texts: list[str], in_flight: int) -> float:
    """Seconds a bare httpx client takes for ``texts``, one per request, ``in_flight`` at once."""
    limit = asyncio.Semaphore(in_flight)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(headers=headers, timeout=60) as client:

        async def one(source: str) -> None:
            body = {
                "model": "qwen-mt-flash",
                "messages": [{"role": "user", "content": source}],
                "translation_options": {"source_lang": "English", "target_lang": "German"},
            }
            async with limit:
                response = await client.post(url, json=body)
                response.raise_for_status()
                response.json()["choices"][0]["message"]["content"]

        start = time.perf_counter()
        await asyncio.gather(*(one(t) for t in texts))
        return time.perf_counter() - start


def throughput_rows(folder: Path, strings: int, repeat: int) -> list[list[object]]:
    """Plain client and the tool in turn, ``repeat`` times; the best of each (the machine is
    shared: a slow moment should not count against one of them only)."""
    texts = [text(i) for i in range(strings)]
    cases = (("l10n-qwen, --batch-size 1", "1"), ("l10n-qwen, default", "auto"))
    best: dict[str, tuple[float, float, int]] = {}  # label -> (wall, busy, requests)
    with FakeQwenServer(latency=0.1) as server:
        url = server.compat_url + "/chat/completions"
        for round_ in range(repeat):
            plain = asyncio.run(plain_client(url, server.api_key, texts, 16))
            best["plain"] = min(best.get("plain", (plain, 0.0, strings)), (plain, 0.0, strings))
            for label, batch in cases:
                project = make_project(folder / f"throughput-{batch}-{round_}")
                (project / "de.po").write_text(
                    HEADER + "".join(f'msgid "{t}"\nmsgstr ""\n\n' for t in texts),
                    encoding="utf-8",
                )
                server.reset()
                args = ["fill", "--base-url", server.compat_url, "--concurrency", "16"]
                args += ["--batch-size", batch, *UNLIMITED, "de.po"]
                result = run_cli(project, args, api_key=server.api_key)
                times = [r.time for r in server.requests]
                busy = max(times) - min(times) + 0.1  # first request received .. last answer
                run = (result.seconds, busy, len(times))
                best[label] = min(best.get(label, run), run)
    plain_rate = strings / best["plain"][0]
    rows: list[list[object]] = [
        ["plain httpx client, 1 text a request", strings, strings, round(best["plain"][0], 2),
         "", round(plain_rate, 1), 1.0]
    ]  # fmt: skip
    for label, _batch in cases:
        wall, busy, requests = best[label]
        rate = strings / wall
        rows.append([label, strings, requests, round(wall, 2), round(busy, 2), round(rate, 1),
                     round(rate / plain_rate, 2)])  # fmt: skip
    return rows


def polib_fill(path: Path, out: Path, answers: dict[str, str]) -> None:
    """polib's own load + fill (every empty msgstr, marked fuzzy) + save."""
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: answers[entry.msgid], 1: answers[entry.msgid_plural]}
                entry.flags.append("fuzzy")
        elif not entry.msgstr:
            entry.msgstr = answers[entry.msgid]
            entry.flags.append("fuzzy")
    catalog.save(str(out))


def callgrind_side(side: str, folder: Path) -> None:
    """One side of ``--instructions`` (run under callgrind): the same start for each, then
    polib's fill, ours, or nothing (what the start itself costs)."""
    answers = json.loads((folder / "answers.json").read_text(encoding="utf-8"))
    project = folder / "cached"
    settings = Settings(project_root=project, base_url=(folder / "url").read_text())
    if side == "polib":
        polib_fill(folder / "cached-pristine.po", folder / "polib-out.po", answers)
    elif side == "ours":
        # Only this side touches the project: the three run at once.
        shutil.copyfile(folder / "cached-pristine.po", project / "de.po")
        result = pipeline.fill(settings, [project / "de.po"], echo=lambda line: None)
        if result.requests or result.failed or not result.filled:
            raise RuntimeError(f"callgrind run: {result.summary()}")


def instruction_counts(folder: Path) -> dict[str, int]:
    """Instructions of each ``callgrind_side``, the three run side by side."""
    runs = {}
    for side in ("none", "polib", "ours"):
        out = folder / f"callgrind.{side}"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        command += [sys.executable, __file__, "--callgrind-side", side, str(folder)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        runs[side] = (out, process)
    counts = {}
    for side, (out, process) in runs.items():
        _, errors = process.communicate()
        if process.returncode:
            raise RuntimeError(f"callgrind {side}: {errors.decode(errors='replace')[-2000:]}")
        summary = next(line for line in out.read_text().splitlines() if line.startswith("summary:"))
        counts[side] = int(summary.split()[1])
    return counts


def cached_rows(
    folder: Path, entries: int, repeat: int, instructions: bool = False
) -> list[list[object]]:
    project = make_project(folder / "cached")
    po_path = project / "de.po"
    pristine = folder / "cached-pristine.po"
    write_large_po(pristine, entries, blank=True)
    shutil.copyfile(pristine, po_path)
    with FakeQwenServer() as server:
        # Fill once so that the cache holds every answer, then measure on the restored file.
        run_cli(
            project,
            ["fill", "--base-url", server.compat_url, *UNLIMITED, "de.po"],
            api_key=server.api_key,
            timeout=600,
        )
        answers = {}
        for entry in polib.pofile(str(po_path)):
            answers[entry.msgid] = entry.msgstr or entry.msgstr_plural[0]
            if entry.msgid_plural:
                answers[entry.msgid_plural] = entry.msgstr_plural[1]
        server.reset()
        out = folder / "polib-out.po"
        polib_times, ours = [], []
        os.environ["DASHSCOPE_API_KEY"] = server.api_key
        for _ in range(repeat):
            # Each side starts from a collected heap: polib's parser keeps its catalog in a
            # reference cycle, which the collector would otherwise free during the next run.
            gc.collect()
            start = time.perf_counter()
            polib_fill(pristine, out, answers)
            polib_times.append(time.perf_counter() - start)
            shutil.copyfile(pristine, po_path)
            settings = Settings(project_root=project, base_url=server.compat_url)
            gc.collect()
            start = time.perf_counter()
            result = pipeline.fill(settings, [po_path], echo=lambda line: None)
            ours.append(time.perf_counter() - start)
            if result.filled != entries or result.failed:
                raise RuntimeError(f"cached fill: {result.summary()}")
        shutil.copyfile(pristine, po_path)
        whole = run_cli(
            project, ["fill", "--base-url", server.compat_url, "de.po"], api_key=server.api_key
        )
        if server.requests:
            raise RuntimeError(f"the cached runs sent {len(server.requests)} requests")
        counts: dict[str, int] = {}
        if instructions:
            (folder / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
            (folder / "url").write_text(server.compat_url, encoding="utf-8")
            counts = instruction_counts(folder)
            if server.requests:
                raise RuntimeError(f"the callgrind runs sent {len(server.requests)} requests")
    base = min(polib_times)
    rows: list[list[object]] = [
        ["polib load + fill + save (baseline)", entries, round(base, 2), 1.0],
        [
            "l10n-qwen `pipeline.fill`, all from the cache",
            entries,
            round(min(ours), 2),
            round(min(ours) / base, 2),
        ],
        [
            "whole command (start-up included)",
            whole.filled,
            round(whole.seconds, 2),
            round(whole.seconds / base, 2),
        ],
    ]
    if counts:
        polib_ir, ours_ir = counts["polib"] - counts["none"], counts["ours"] - counts["none"]
        rows.append(["polib, instructions (callgrind, 1e9)", entries, round(polib_ir / 1e9, 2), 1])
        rows.append(["`pipeline.fill`, instructions (1e9)", entries, round(ours_ir / 1e9, 2),
                     round(ours_ir / polib_ir, 2)])  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="quota,throughput,cached")
    parser.add_argument("--strings", type=int, default=1000, help="throughput: strings")
    parser.add_argument("--entries", type=int, default=20_000, help="cached: PO entries")
    parser.add_argument("--repeat", type=int, default=3, help="throughput, cached: best of")
    parser.add_argument(
        "--instructions", action="store_true", help="cached: count instructions (valgrind)"
    )
    parser.add_argument("--callgrind-side", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.callgrind_side:
        callgrind_side(args.callgrind_side[0], Path(args.callgrind_side[1]))
        return
    parts = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="l10n-bench-") as tmp:
        folder = Path(tmp)
        print(f"issue 11 time goals ({machine()})\n")
        if "quota" in parts:
            print("### Default settings at the quota (server: 60 requests/min, 0.3 s)\n")
            headers = [
                "run",
                "entries",
                "requests",
                "req/entry",
                "merged answers",
                "429s",
                "misplaced",
                "left empty",
                "wall s",
            ]
            print(table(headers, quota_rows(folder)) + "\n", flush=True)
        if "throughput" in parts:
            print(f"### No quota, 0.1 s latency, 16 in flight (best of {args.repeat})\n")
            headers = [
                "client",
                "strings",
                "requests",
                "wall s",
                "server busy s",
                "strings/s",
                "vs plain",
            ]
            rows = throughput_rows(folder, args.strings, args.repeat)
            print(table(headers, rows) + "\n", flush=True)
        if "cached" in parts:
            print(f"### Fully cached fill ({args.entries} entries, best of {args.repeat})\n")
            headers = ["what", "entries", "seconds", "vs polib"]
            rows = cached_rows(folder, args.entries, args.repeat, args.instructions)
            print(table(headers, rows), flush=True)


if __name__ == "__main__":
    main()
