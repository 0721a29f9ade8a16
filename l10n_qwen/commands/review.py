"""``l10n-qwen review``: the review page on 127.0.0.1, until Ctrl-C."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from l10n_qwen.config import Settings
from l10n_qwen.errors import EXIT_OK


def review(settings: Settings, files: Sequence[Path], *, port: int, browser: bool) -> int:
    """Serve the page for ``files`` (every configured file set without); 0 once it is closed."""
    from l10n_qwen.reviewpage import server  # the review extra: only this command needs it

    server.run(settings, files, port=port, browser=browser, echo=click.echo)
    return EXIT_OK
