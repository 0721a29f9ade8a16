"""``l10n-qwen approve``: mark machine translations reviewed, refusing broken ones."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from l10n_qwen import checks
from l10n_qwen.config import Settings
from l10n_qwen.errors import EXIT_INCOMPLETE, EXIT_OK
from l10n_qwen.report import count


def approve(settings: Settings, files: Sequence[Path], key_globs: Sequence[str]) -> int:
    """Approve what matches ``key_globs`` (everything without); 1 if anything was refused."""
    approved, refused = checks.approve(settings, files, key_globs)
    for problem in refused:
        click.echo(str(problem), err=True)
    click.echo(f"approved {count(approved, 'entry')}")
    return EXIT_INCOMPLETE if refused else EXIT_OK
