"""``l10n-qwen check``: the gate, without the network: what is undone, unreviewed or broken."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from l10n_qwen import checks
from l10n_qwen.config import Settings
from l10n_qwen.errors import EXIT_INCOMPLETE, EXIT_OK
from l10n_qwen.report import Problem, count


def check(settings: Settings, files: Sequence[Path], *, strict: bool) -> int:
    """List every problem of ``files``; 1 if any blocks the gate (any at all with ``strict``)."""
    problems = checks.check(settings, files)
    failing = show(problems, strict=strict)
    entries = len({(p.path, p.key) for p in failing})
    line = (
        f"{count(entries, 'entry')} {'needs' if entries == 1 else 'need'} attention"
        if failing
        else "all entries translated and approved"
    )
    click.echo(line + warnings(problems))
    return EXIT_INCOMPLETE if failing else EXIT_OK


def show(problems: Sequence[Problem], *, strict: bool) -> list[Problem]:
    """Print ``problems``; the ones that fail the gate."""
    for problem in problems:
        click.echo(str(problem))
    return list(problems) if strict else checks.errors(problems)


def warnings(problems: Sequence[Problem]) -> str:
    """ "; N warnings" for the summary line ("" when there are none)."""
    number = len(problems) - len(checks.errors(problems))
    return f"; {number} warning{'s' if number != 1 else ''}" if number else ""
