"""Helpers of the review page's tests: a filled example project and a running review server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import CliRun, copy_fixture
from tests.fakeserver import FakeQwenServer

FAST = ("--rpm", "100000", "--tpm", "100000000")
FILES = ("po/de.po", "web/de.json", "config/locales/de.yml")
GUESS = '\n#, fuzzy\n#| msgid "Quit now"\nmsgid "Quit"\nmsgstr "Jetzt beenden"\n'


def fill(project: Path, server: FakeQwenServer) -> None:
    """``l10n-qwen fill`` the example's files with the fake Qwen-MT, in a process of its own
    (Playwright's sync API keeps an event loop running in the tests' thread)."""
    done = subprocess.run(
        [sys.executable, "-m", "l10n_qwen", "fill", *FILES, "--base-url", server.compat_url, *FAST],
        cwd=project,
        env={**os.environ, "DASHSCOPE_API_KEY": server.api_key},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def filled(
    tmp_path: Path,
    run_cli: Callable[..., CliRun],
    fake_qwen: FakeQwenServer,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """The review example project, its PO, JSON and YAML targets filled by the fake Qwen-MT.

    The working directory is the project (``run_cli`` runs commands there).
    """
    project = copy_fixture("review/project", tmp_path)
    monkeypatch.chdir(project)
    fill(project, fake_qwen)
    # Then the source changed and makemessages merged: a guess (fuzzy with "#|") borrowed from
    # the old message. (fill retranslates guesses, so it comes after the fill.)
    with (project / "po" / "de.po").open("a", encoding="utf-8") as po:
        po.write(GUESS)
    return project


@contextmanager
def review_server(project: Path, *args: str, browser: Path | None = None) -> Iterator[str]:
    """``l10n-qwen review --no-browser --port 0 ARGS`` in ``project``: yields the page's URL.

    With ``browser`` (a program taking the URL), the command opens the page with it instead
    (Python's ``webbrowser`` honours ``$BROWSER``).
    """
    opening = ["--no-browser"] if browser is None else []
    env = {**os.environ, "BROWSER": str(browser)} if browser is not None else None
    process = subprocess.Popen(
        [sys.executable, "-m", "l10n_qwen", "review", *opening, "--port", "0", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = None
        for line in process.stdout:
            match = re.fullmatch(r"review page: (http://127\.0\.0\.1:\d+/\?token=\S+)\n", line)
            if match:
                url = match[1]
                break
        assert url is not None, process.stderr.read() if process.stderr else ""
        yield url
    finally:
        process.terminate()
        out, err = process.communicate(timeout=15)
        assert process.returncode == 0, err
        assert out.strip().endswith("review page closed"), out
