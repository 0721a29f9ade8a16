"""Run the review page: load the queue, bind 127.0.0.1, print the address, serve until Ctrl-C."""

from __future__ import annotations

import contextlib
import errno
import secrets
import socket
import webbrowser
from collections.abc import Callable, Sequence
from pathlib import Path

from l10n_qwen.config import Settings
from l10n_qwen.errors import UsageError
from l10n_qwen.report import count
from l10n_qwen.reviewpage.queue import Queue, file_specs

try:
    import starlette  # noqa: F401
    import uvicorn
except ImportError as exc:
    raise UsageError(
        f"l10n-qwen review needs Starlette and uvicorn ({exc.name} is not installed): "
        "pip install 'l10n-qwen[review]'"
    ) from None

from l10n_qwen.reviewpage.app import create_app  # after the check: it imports Starlette

HOST = "127.0.0.1"  # never another interface: the page reads and writes the project's files


def listen(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:``port`` (0: any free port); UsageError if taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"--port {port}: already in use; choose another, or 0") from exc
        raise UsageError(f"--port {port}: cannot listen there: {exc.strerror}") from exc
    # Listening before the browser opens: its first request waits in the backlog, not refused.
    sock.listen(128)
    return sock


def run(
    settings: Settings,
    files: Sequence[Path],
    *,
    port: int,
    browser: bool,
    echo: Callable[[str], None],
) -> None:
    """The ``review`` command: everything after the options are read."""
    queue = Queue(settings, file_specs(settings, files))  # bad input fails before serving
    token = secrets.token_urlsafe(24)
    sock = listen(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/?token={token}"
    pending = len(queue.items())
    echo(f"{count(pending, 'entry')} to review in {count(len(queue.files), 'file')}")
    echo(f"review page: {url}")
    echo("press Ctrl-C to stop")
    config = uvicorn.Config(create_app(queue, token), log_level="warning", lifespan="off")
    if browser:
        webbrowser.open(url)
    with contextlib.suppress(KeyboardInterrupt), sock:
        # uvicorn stops on Ctrl-C or SIGTERM and then raises the signal again: that is the
        # normal way to close the page, not an interrupted run.
        uvicorn.Server(config).run(sockets=[sock])
    echo("review page closed")
