"""The review server without a browser: the token gate, what it refuses, the missing extra."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

import l10n_qwen.reviewpage
from tests.conftest import CliRun
from tests.reviewpage.conftest import review_server


def test_every_request_needs_the_token(filled: Path) -> None:
    with review_server(filled) as url:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        token = parse_qs(parts.query)["token"][0]
        with httpx.Client(base_url=base) as client:
            page = client.get("/", params={"token": token})
            assert page.status_code == 200
            assert "7 entries to review in 3 files" in page.text
            assert "access-control-allow-origin" not in page.headers  # no CORS
            assert "default-src 'none'" in page.headers["content-security-policy"]

            assert client.get("/").status_code == 403
            assert client.get("/", params={"token": token[:-1] + "x"}).status_code == 403
            assert client.get("/static/review.js").status_code == 403
            act = {"actions": [{"id": "x", "action": "approve"}]}
            assert client.post("/act", json=act).status_code == 403
            assert client.post("/verify", json={"id": "x", "targets": []}).status_code == 403

            with_token = {"X-Review-Token": token}
            # State changes are POST only, with a JSON body a cross-site form cannot send.
            assert client.get("/act", headers=with_token).status_code == 405
            form = client.post("/act", headers=with_token, data={"actions": "x"})
            assert form.status_code == 415
            # A page that rebinds its own host name to 127.0.0.1 is not this server.
            evil = client.get("/", params={"token": token}, headers={"Host": "evil.example"})
            assert evil.status_code == 400
            done = client.post("/act", headers=with_token, json=act)
            assert done.json()["results"] == {
                "x": {"ok": False, "reason": "no longer awaiting review"}
            }
    assert (filled / "po/de.po").read_bytes().count(b"#, fuzzy") == 4  # nothing was approved


def test_without_the_review_extra_the_command_says_how_to_install_it(
    tmp_path: Path, run_cli: Callable[..., CliRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import fails as if not installed
    # Imported before (the doctest collection imports every module): import it afresh.
    monkeypatch.delitem(sys.modules, "l10n_qwen.reviewpage.server", raising=False)
    monkeypatch.delattr(l10n_qwen.reviewpage, "server", raising=False)
    result = run_cli("review", "--no-browser", "de.json")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: l10n-qwen review needs Starlette and uvicorn (uvicorn is not installed): "
        "pip install 'l10n-qwen[review]'\n"
    )


def test_bad_input_fails_before_serving(tmp_path: Path, run_cli: Callable[..., CliRun]) -> None:
    (tmp_path / "de.po").write_text('msgid "a"\nmsgstr "b"\nmsgid\n')
    result = run_cli("review", "--no-browser", "de.po")
    assert result.exit_code == 2
    assert result.stderr.endswith("de.po:3: syntax error: msgid without a string\n")
    assert "review page:" not in result.stdout


def test_the_command_opens_the_page_in_the_browser(filled: Path, tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\nprintf %s "$1" > "{opened}"\n', encoding="utf-8")
    browser.chmod(0o755)
    with review_server(filled, browser=browser) as url:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if opened.exists() and opened.read_text(encoding="utf-8"):
                break  # the browser has written all of it
            time.sleep(0.05)
        assert opened.read_text(encoding="utf-8") == url  # the page, token and all
