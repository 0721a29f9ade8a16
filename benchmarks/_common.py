"""Helpers shared by the benchmark scripts: generated files, the CLI in a subprocess, tables."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # so that ``tests.fakeserver`` and ``l10n_qwen`` import

# fmt: off
WORDS = [
    "file", "folder", "window", "account", "message", "invoice", "report", "user", "project",
    "setting", "server", "backup", "picture", "document", "order", "payment", "device",
    "network", "printer", "calendar", "contact", "label",
]
VERBS = [
    "Open", "Save", "Delete", "Rename", "Share", "Move", "Copy", "Print", "Archive", "Restore",
    "Export", "Import",
]
# fmt: on
_SUMMARY = re.compile(r"filled (\d+) entr(?:y|ies) in (\d+) files?, (\d+) failed; (\d+) requests?")


def text(i: int) -> str:
    """A distinct, realistic-looking UI string for every ``i``."""
    verb = VERBS[i % len(VERBS)]
    noun = WORDS[(i // len(VERBS)) % len(WORDS)]
    return f"{verb} the {noun} #{i}"


def po_quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def write_po(path: Path, pairs: Sequence[tuple[str, str]], language: str = "de") -> None:
    """A simple singular-only PO file of (msgid, msgstr) pairs ("" = untranslated)."""
    header = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {language}\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
    )
    body = "".join(f'msgid "{po_quote(s)}"\nmsgstr "{po_quote(t)}"\n\n' for s, t in pairs)
    path.write_text(header + body, encoding="utf-8")


def cli() -> str:
    """The installed ``l10n-qwen`` command."""
    found = shutil.which("l10n-qwen")
    if found is None:
        sys.exit("l10n-qwen is not installed: pip install -e . (from the repository root)")
    return found


def make_project(folder: Path) -> Path:
    """An empty project (its own root, so the cache lands in ``folder/.l10n-qwen``)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "l10n-qwen.toml").write_text("", encoding="utf-8")
    return folder


@dataclass
class CliRun:
    seconds: float
    code: int
    stdout: str
    stderr: str

    @property
    def filled(self) -> int:
        return self._summary(1)

    @property
    def requests(self) -> int:
        return self._summary(4)

    def _summary(self, group: int) -> int:
        match = _SUMMARY.search(self.stdout)
        if match is None:
            raise RuntimeError(f"no summary line (exit {self.code}):\n{self.stdout}{self.stderr}")
        return int(match[group])


def run_cli(
    project: Path,
    args: Sequence[str],
    *,
    api_key: str = "unused",
    timeout: float = 120.0,
    check: bool = True,
) -> CliRun:
    """Run ``l10n-qwen ARGS`` in ``project``; wall time includes interpreter start-up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("L10N_QWEN_", "DASHSCOPE_"))}
    env["DASHSCOPE_API_KEY"] = api_key
    start = time.perf_counter()
    done = subprocess.run(
        [cli(), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    result = CliRun(time.perf_counter() - start, done.returncode, done.stdout, done.stderr)
    if check and done.returncode != 0:
        raise RuntimeError(f"l10n-qwen {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return result


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (right-aligned numbers)."""
    align = ["---:" if isinstance(v, int | float) else "---" for v in rows[0]] if rows else []
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    for row in rows:
        cells = [f"{v:.2f}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    """One line describing where the figures come from."""
    return (
        f"{time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, {sys.platform}"
    )
