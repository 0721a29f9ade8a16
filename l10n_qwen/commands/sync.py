"""``l10n-qwen sync``: every configured file set (or those the files named touch), updated from
its template or source and filled; with ``--check``, only what is out of date."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from l10n_qwen import sync as file_sets
from l10n_qwen.commands.check import show, warnings
from l10n_qwen.commands.fill import check_report_path, progress, report
from l10n_qwen.config import Settings
from l10n_qwen.errors import EXIT_INCOMPLETE, EXIT_OK
from l10n_qwen.report import count


def sync(settings: Settings, files: Sequence[Path], *, check_only: bool, strict: bool) -> int:
    """Sync the file sets ``files`` touch (all without); the exit code."""
    check_report_path(settings)
    picked, specs, skipped = file_sets.select(settings, list(files))
    for note in skipped:  # on stdout: the hooks show it (see .pre-commit-hooks.yaml, verbose)
        click.echo(str(note))
    if not specs:
        click.echo("nothing to sync")
        return EXIT_OK
    if check_only:
        problems = file_sets.check(settings, picked, specs)
        failing = show(problems, strict=strict)
        line = count(len(failing), "problem") if failing else "everything is up to date"
        click.echo(line + warnings(problems))
        return EXIT_INCOMPLETE if failing else EXIT_OK
    result = file_sets.run(settings, picked, specs, echo=click.echo, progress=progress)
    return report(settings, result)
