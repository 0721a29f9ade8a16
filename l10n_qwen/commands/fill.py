"""``l10n-qwen fill``: fill the untranslated entries of the files named."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from l10n_qwen import pipeline
from l10n_qwen.config import Settings
from l10n_qwen.errors import EXIT_INCOMPLETE, EXIT_OK, UsageError
from l10n_qwen.progress import Progress
from l10n_qwen.report import RunResult


def fill(settings: Settings, files: Sequence[Path]) -> int:
    """Fill ``files``, print the summary, write the report; the exit code."""
    check_report_path(settings)
    return report(settings, pipeline.fill(settings, files, echo=click.echo, progress=progress))


def progress(total: int, settings: Settings) -> Progress:
    """The run's progress on stderr: a bar on a terminal, plain lines in a log."""
    quota = f"{settings.rpm} requests/min"
    return Progress(total, sys.stderr, interval=settings.progress_interval, quota=quota)


def check_report_path(settings: Settings) -> None:
    """Refuse a report that could not be written, before any work is done."""
    if settings.report is not None and not settings.report.parent.is_dir():
        raise UsageError(
            f"--report {settings.report}: folder {settings.report.parent} does not exist"
        )


def report(settings: Settings, result: RunResult) -> int:
    """Print what failed and the summary, write the report; 1 if anything failed (or the stop's
    own code when a run stopped early)."""
    for problem in result.review:
        click.echo(f"review: {problem}")
    for problem in result.failed:
        click.echo(f"failed: {problem}", err=True)
    if settings.report:
        result.write(settings.report)
    click.echo(result.summary())
    if result.stopped:
        click.echo(f"error: {result.stopped}", err=True)
        return result.exit_code
    return EXIT_INCOMPLETE if result.failed else EXIT_OK
