"""What the review page lists: awaiting and stale entries, with their direction and wrapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from l10n_qwen import checks
from l10n_qwen.config import load_settings
from l10n_qwen.review import ReviewState
from l10n_qwen.reviewpage import actions
from l10n_qwen.reviewpage.queue import AWAITING, STALE, Queue, direction, file_specs
from l10n_qwen.reviewpage.queue import wraps_by_character as wraps


def test_json_entries_awaiting_review_and_stale(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    source = {"a": "Open", "b": "Close", "c": "Hand-made"}
    (tmp_path / "en.json").write_text(json.dumps(source))
    (tmp_path / "de.json").write_text(json.dumps({"a": "Öffnen", "b": "Zu", "c": "Von Hand"}))
    state = ReviewState(tmp_path)
    state.record(tmp_path / "de.json", "a", "Open", approved=False)
    state.record(tmp_path / "de.json", "b", "Close the window", approved=True)  # source changed
    state.save()
    files = [tmp_path / "de.json"]
    settings = load_settings({}, cwd=tmp_path, files=files)
    queue = Queue(settings, file_specs(settings, files))
    assert [(i.entry.key, i.status) for i in queue.items()] == [("a", AWAITING), ("b", STALE)]

    loaded = queue.files["de.json"]
    stale = queue.items()[1]
    edit = actions.Action(stale, actions.EDIT, ("Schließen",))
    outcome = actions.save(settings, loaded, loaded.fingerprint, [edit])
    assert outcome.done == {stale.id: "approved"}
    assert json.loads((tmp_path / "de.json").read_text())["b"] == "Schließen"
    assert [p.key for p in checks.check(settings, files)] == ["a"]


@pytest.mark.parametrize(
    ("locale", "rtl", "by_character"),
    [
        ("de", False, False),
        ("ar", True, False),
        ("he", True, False),
        ("fa", True, False),
        ("ja", False, True),
        ("zh_Hant", False, True),
        ("ko", False, True),
    ],
)
def test_direction_and_wrapping(locale: str, rtl: bool, by_character: bool) -> None:
    assert direction(locale) == ("rtl" if rtl else "ltr")
    assert wraps(locale) is by_character
