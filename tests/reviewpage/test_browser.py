"""The review page in a real browser: Debian's chromium, driven headless through Playwright.

Playwright never downloads a browser here: it is pointed at ``/usr/bin/chromium``
(``apt-get install chromium``), which CI installs.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from l10n_qwen.review import ReviewState
from tests.conftest import CliRun, msgfmt_check
from tests.fakeserver import FakeQwenServer
from tests.reviewpage.conftest import FILES, fill, review_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DONE = re.compile(r"\bdone\b")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless chromium for the whole module."""
    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install -y chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    opened = browser.new_page()
    yield opened
    opened.close()


def card(page: Page, key: str) -> Locator:
    """The card of the entry whose key (as shown) is exactly ``key``."""
    exact = page.locator("dd.key", has_text=re.compile(f"^{re.escape(key)}$"))
    return page.locator("article.entry", has=exact)


def post_act(page: Page, action: dict[str, Any]) -> Any:
    """POST /act from the page itself, as its script would, bypassing the page's own checks."""
    script = """async (action) => {
      const response = await fetch('/act', {
        method: 'POST',
        headers: {'Content-Type': 'application/json',
                  'X-Review-Token': document.body.dataset.token},
        body: JSON.stringify({actions: [action]}),
      });
      return response.json();
    }"""
    return page.evaluate(script, action)


def test_approve_edit_send_back_then_check_and_fill(
    filled: Path,
    page: Page,
    run_cli: Callable[..., CliRun],
    fake_qwen: FakeQwenServer,
) -> None:
    before = {name: (filled / name).read_bytes() for name in FILES}
    with review_server(filled) as url:
        page.goto(url)
        expect(page.locator("article.entry")).to_have_count(7)
        expect(page.locator(".summary")).to_have_text("7 entries to review in 3 files")

        # A PO guess (fuzzy with "#|") is stale, and shows what it was made from.
        page.select_option("select[name=state]", "stale")
        expect(page.locator("article.entry")).to_have_count(1)
        quit_ = card(page, "Quit")
        expect(quit_.locator(".status")).to_have_text("stale")
        expect(quit_.locator("dd.previous-source")).to_have_text("Quit now")
        quit_.locator("button.approve").click()
        expect(quit_).to_have_class(DONE)
        page.select_option("select[name=state]", "")
        expect(page.locator("article.entry")).to_have_count(6)

        # Context, glossary and memory beside the translation.
        opener = card(page, "toolbar | Open file")
        expect(opener.locator("dd.context")).to_have_text("toolbar")
        expect(opener.locator("dd.comments")).to_have_text("Toolbar button")
        expect(opener.locator("li.term")).to_have_text("file → Datei")
        expect(opener.locator("li.term")).not_to_have_class(re.compile("missing"))
        expect(opener.locator("details.memory li")).to_have_text("Open files → Dateien öffnen")
        expect(card(page, "Hello %(name)s").locator("mark.ph")).to_have_text("%(name)s")

        # Keyboard: j/k move, e edits (the term goes missing as you type), Esc leaves the field.
        expect(opener).to_have_class(re.compile(r"\bcurrent\b"))
        page.keyboard.press("j")
        page.keyboard.press("k")
        expect(opener).to_have_class(re.compile(r"\bcurrent\b"))
        page.keyboard.press("e")
        field = opener.locator("textarea")
        expect(field).to_be_focused()
        field.fill("Dokument öffnen")
        expect(opener.locator("li.term")).to_have_class(re.compile("missing"))
        field.fill("[German] Open Datei")  # back as it was: nothing to save for this one
        expect(opener.locator("li.term")).not_to_have_class(re.compile("missing"))
        page.keyboard.press("Escape")

        # Approve one with the keyboard.
        save = card(page, "Save")
        save.locator(".where").click()
        page.keyboard.press("a")
        expect(save).to_have_class(DONE)
        expect(save.locator(".result")).to_have_text("approved")

        # A broken edit is flagged as you type and cannot be saved, by the page or the server.
        greeting = card(page, "greeting")
        greeting.locator("textarea").fill("Hallo")
        expect(greeting.locator(".problems li")).to_have_text("placeholder {{name}} missing")
        expect(greeting.locator("button.approve")).to_be_disabled()
        answer = post_act(
            page,
            {
                "id": greeting.get_attribute("data-id"),
                "hash": greeting.get_attribute("data-hash"),
                "action": "edit",
                "targets": ["Hallo"],
            },
        )
        result = next(iter(answer["results"].values()))
        assert result == {"ok": False, "reason": "not saved: placeholder {{name}} missing"}

        # Fixed, it is saved and approved.
        greeting.locator("textarea").fill("Hallo {{name}}!")
        expect(greeting.locator(".problems li")).to_have_count(0)
        greeting.locator("button.approve").click()
        expect(greeting).to_have_class(DONE)

        # Send one back.
        bye = card(page, "bye")
        bye.locator("button.sendback").click()
        expect(bye).to_have_class(DONE)
        expect(bye.locator(".result")).to_have_text("sent back")

        page.reload()
        expect(page.locator("article.entry")).to_have_count(3)

    # On disk: only the entries acted on changed.
    po = (filled / "po/de.po").read_bytes()
    assert po == (
        before["po/de.po"]
        .replace(b'#, fuzzy\nmsgid "Save"', b'msgid "Save"')
        .replace(b'#, fuzzy\n#| msgid "Quit now"\nmsgid "Quit"', b'msgid "Quit"')
    )
    msgfmt_check(filled / "po/de.po")
    web = (filled / "web/de.json").read_bytes()
    assert web == before["web/de.json"].replace(b"[German] Hello {{name}}", b"Hallo {{name}}!")
    yml = (filled / "config/locales/de.yml").read_bytes()
    assert yml == before["config/locales/de.yml"].replace(b"'[German] Goodbye'", b"''")
    state = json.loads((filled / ".l10n-qwen-review.json").read_text())["files"]
    assert state["web/de.json"]["greeting"]["approved"] is True
    assert state["web/de.json"]["nav.about"]["approved"] is False
    assert "config/locales/de.yml" not in state  # sent back: no machine text left to review

    verdict = run_cli("check", *FILES)
    assert verdict.exit_code == 1
    assert verdict.stdout.splitlines() == [
        "po/de.po:8: 'toolbar | Open file': awaiting review",
        "po/de.po:14: 'Hello %(name)s': awaiting review",
        "web/de.json:5: 'nav.about': awaiting review",
        "config/locales/de.yml:4: 'bye': untranslated",
        "4 entries need attention",
    ]

    # The next fill translates the entry sent back again: a request, not the cached answer.
    fake_qwen.reset()
    fill(filled, fake_qwen)
    assert [r.text for r in fake_qwen.requests] == ["Goodbye"]
    assert (filled / "config/locales/de.yml").read_bytes() == before["config/locales/de.yml"]


def test_a_file_changed_on_disk_is_not_overwritten(filled: Path, page: Page) -> None:
    with review_server(filled) as url:
        page.goto(url)
        greeting = card(page, "greeting")
        expect(greeting).to_have_count(1)
        changed = (filled / "web/de.json").read_text().replace("Startseite", "Start")
        (filled / "web/de.json").write_text(changed)
        greeting.locator("button.approve").click()
        expect(page.locator("#banner")).to_contain_text(
            "web/de.json changed on disk since the page loaded"
        )
        expect(card(page, "greeting")).not_to_have_class(DONE)
        assert (filled / "web/de.json").read_text() == changed
        state = ReviewState.load(filled)
        assert state.status(filled / "web/de.json", "greeting", ("Hello {{name}}",)) == "awaiting"
        # Reloaded: approving now works against the file as it is.
        card(page, "greeting").locator("button.approve").click()
        expect(card(page, "greeting")).to_have_class(DONE)
    assert (filled / "web/de.json").read_text() == changed


def _many(project: Path, count: int) -> None:
    """``web/ar.json`` with ``count`` machine translations awaiting review, ``web/ja.json``
    with one."""
    web = project / "web"
    web.mkdir(parents=True)
    (project / ".git").mkdir()
    source = {f"key{i:04}": f"Message number {i} about {{{{thing}}}}" for i in range(count)}
    (web / "en.json").write_text(json.dumps(source, indent=2))
    state = ReviewState(project)
    for locale, keys in (("ar", list(source)), ("ja", ["key0000"])):
        target = {key: f"[{locale}] {source[key]}" for key in keys}
        (web / f"{locale}.json").write_text(json.dumps(target, indent=2, ensure_ascii=False))
        for key in keys:
            state.record(web / f"{locale}.json", key, source[key], approved=False)
    state.save()


def test_two_thousand_entries_show_their_first_page_fast(tmp_path: Path, page: Page) -> None:
    _many(tmp_path, 2000)
    with review_server(tmp_path, "web/ar.json", "web/ja.json") as url:
        page.set_content("<p>warm</p>")  # the browser's own start is not the page's time
        started = time.perf_counter()
        page.goto(url)
        page.locator("article.entry").first.wait_for()
        elapsed = time.perf_counter() - started
        assert elapsed < 1.0, f"first page took {elapsed:.2f} s"
        expect(page.locator("article.entry")).to_have_count(50)
        expect(page.locator(".pager .range")).to_have_text("1–50 of 2001")
        expect(page.locator("article.entry textarea").first).to_have_attribute("dir", "rtl")

        # Filters are links and a form: Japanese wraps between any two characters.
        page.select_option("select[name=locale]", "ja")
        expect(page.locator("article.entry")).to_have_count(1)
        field = page.locator("article.entry textarea")
        expect(field).to_have_attribute("dir", "ltr")
        assert field.evaluate("e => getComputedStyle(e).wordBreak") == "break-all"

        # Approve all visible: the one Japanese entry, not the 2,000 Arabic ones.
        page.click("#approve-all")
        expect(page.locator("article.entry")).to_have_class(DONE)
    state = ReviewState.load(tmp_path)
    first = "Message number 0 about {{thing}}"
    assert state.status(tmp_path / "web/ja.json", "key0000", first) == "approved"
    assert state.status(tmp_path / "web/ar.json", "key0000", first) == "awaiting"
