"""``l10n-qwen languages``: the languages Qwen-MT translates, with their locale codes."""

from __future__ import annotations

import click

from l10n_qwen import languages as table
from l10n_qwen.errors import EXIT_OK


def languages() -> int:
    """Print code, Qwen-MT name and whether qwen-mt-lite has it, one language a line."""
    click.echo(f"{'code':<6} {'name':<26} lite")
    for language in table.LANGUAGES:
        click.echo(f"{language.code:<6} {language.name:<26} {'yes' if language.lite else 'no'}")
    return EXIT_OK
