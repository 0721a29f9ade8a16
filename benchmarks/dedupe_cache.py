"""Requests saved by dedupe and by the persistent cache, against the fake Qwen-MT server.

    python benchmarks/dedupe_cache.py [--shared 150] [--unique 50]

Three German files (``app.po``, ``web.po``, ``mobile.po``) share ``--shared`` texts and have
``--unique`` texts of their own, all untranslated. Every distinct text should go out once; a rerun
on the restored files should make no request at all (cache); ``--no-cache`` pays again in full.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _common import machine, make_project, run_cli, table, text, write_po

from tests.fakeserver import FakeQwenServer

NAMES = ("app.po", "web.po", "mobile.po")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=int, default=150, help="texts in all three files")
    parser.add_argument("--unique", type=int, default=50, help="texts of each file alone")
    parser.add_argument("--latency", type=float, default=0.05, help="fake server latency (s)")
    args = parser.parse_args()
    distinct = args.shared + len(NAMES) * args.unique
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory(prefix="l10n-bench-") as tmp:
        project = make_project(Path(tmp) / "project")
        originals = Path(tmp) / "originals"
        originals.mkdir()
        for n, name in enumerate(NAMES):
            own = range(args.shared + n * args.unique, args.shared + (n + 1) * args.unique)
            texts = [text(i) for i in [*range(args.shared), *own]]
            write_po(originals / name, [(t, "") for t in texts])
        entries = len(NAMES) * (args.shared + args.unique)

        def restore() -> None:
            for name in NAMES:
                shutil.copyfile(originals / name, project / name)

        with FakeQwenServer(latency=args.latency) as server:
            base = ["fill", "--base-url", server.compat_url, "--rpm", "100000", "--tpm", "1000000"]
            base += ["--batch-size", "1"]  # one request per distinct text: what dedupe saves
            runs = [
                ("first run", True, []),
                ("again, files as filled", False, []),
                ("files restored (cache)", True, []),
                ("files restored, --no-cache", True, ["--no-cache"]),
            ]
            for label, fresh_files, extra in runs:
                if fresh_files:
                    restore()
                before = len(server.requests)
                result = run_cli(project, [*base, *extra, *NAMES], api_key=server.api_key)
                sent = len(server.requests) - before
                if sent != result.requests:
                    raise RuntimeError(f"{label}: server saw {sent}, tool says {result.requests}")
                rows.append([label, result.filled, sent, round(result.seconds, 2)])
            most = max(server.text_counts.values())
    print(
        f"\ndedupe and cache: {len(NAMES)} files x {args.shared + args.unique} entries = {entries}"
        f" entries, {distinct} distinct texts; latency {args.latency} s ({machine()})\n"
    )
    print(table(["run", "entries filled", "requests", "wall s"], rows))
    print(f"\nmost requests for any one text over all runs: {most} (expected 2: first + no-cache)")


if __name__ == "__main__":
    main()
