"""The outcome of a run: the one-line summary, the list of what failed, the JSON report."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from l10n_qwen.fsutil import atomic_write
from l10n_qwen.severity import Severity

_PLURALS = {"entry": "entries"}


def count(n: int, noun: str) -> str:
    """``n`` and ``noun`` as English reads them: ``count(1, "entry")`` is ``'1 entry'``.

    >>> count(2, "entry"), count(1, "file"), count(0, "problem")
    ('2 entries', '1 file', '0 problems')
    """
    return f"{n} {noun if n == 1 else _PLURALS.get(noun, noun + 's')}"


@dataclass(frozen=True)
class Problem:
    """An entry left undone (or, for ``check``, found wrong), with where and why."""

    path: str
    line: int
    key: str
    reason: str
    #: ``check``: an error blocks the gate, a warning is only shown (see ``severity``).
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        reason = self.reason if self.severity is Severity.ERROR else f"warning: {self.reason}"
        if not self.key:  # about the whole file
            return f"{self.path}: {reason}"
        shown = self.key.replace("\x04", " | ").replace("\n", "\\n")  # one line per problem
        if len(shown) > 60:
            shown = shown[:57] + "..."
        # Quoted as typed, not repr(): a key shown here can be pasted into `approve --key`.
        return f"{self.path}:{self.line}: '{shown}': {reason}"


@dataclass
class RunResult:
    """Totals of one ``fill`` (or ``sync``) run."""

    files: int = 0
    filled: int = 0  # entries written
    reused: int = 0  # texts taken from the cache or the translation memory
    texts: int = 0  # distinct texts that needed translating
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    written: list[str] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    review: list[Problem] = field(default_factory=list)  # filled, left approved: look at them
    dry_run: bool = False
    stopped: str = ""  # why the run stopped early (a rejected key, a failing service), if it did
    exit_code: int = 0  # what that stop means: 2 when nothing was written, else 1

    def summary(self) -> str:
        """One line for the end of a run."""
        verb = "would fill" if self.dry_run else "filled"
        tokens = self.input_tokens + self.output_tokens
        approx = "~" if self.dry_run else ""
        return (
            f"{verb} {count(self.filled, 'entry')} in {count(self.files, 'file')}, "
            f"{len(self.failed)} failed; "
            f"{count(self.requests, 'request')}, {approx}{tokens} tokens "
            f"({approx}{self.input_tokens} in, {approx}{self.output_tokens} out), "
            f"{'estimated cost' if self.dry_run else 'cost about'} ${self.cost_usd:.4f}; "
            f"{self.reused} reused from cache/memory"
        )

    def write(self, path: Path) -> None:
        """Write the report: Markdown for ``.md`` (a CI job summary), else JSON.

        Neither can contain the API key: it never reaches the result.
        """
        text = self.markdown() if path.suffix.lower() == ".md" else self.json()
        atomic_write(path, text.encode("utf-8"))

    def json(self) -> str:
        """The machine-readable report."""
        data = asdict(self)
        data["failed"] = [asdict(p) | {"severity": p.severity.value} for p in self.failed]
        data["review"] = [asdict(p) | {"severity": p.severity.value} for p in self.review]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def markdown(self) -> str:
        """The report for people: the summary, the files written, a table of what failed."""
        lines = ["# l10n-qwen run", "", self.summary(), ""]
        if self.stopped:
            lines += [f"**Stopped:** {self.stopped}", ""]
        if self.written:
            lines += ["## Files written", "", *(f"- `{path}`" for path in self.written), ""]
        if self.review:
            lines += ["## To review (left approved)", "", *(f"- {p}" for p in self.review), ""]
        if self.failed:
            lines += [
                "## Left untranslated",
                "",
                "| file | line | entry | reason |",
                "|---|---|---|---|",
            ]
            for p in self.failed:
                key = p.key.replace("\x04", " | ")
                key = key if len(key) <= 80 else key[:77] + "..."
                cells = [p.path, str(p.line), key, p.reason]
                lines.append(
                    "| "
                    + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells)
                    + " |"
                )
            lines.append("")
        return "\n".join(lines)
