"""``workspace.open``: every command's files loaded once, review state applied, the lock held."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import pytest

from l10n_qwen import workspace
from l10n_qwen.catalog import State
from l10n_qwen.config import Settings
from l10n_qwen.errors import UsageError
from l10n_qwen.review import ReviewState
from l10n_qwen.workspace import FileSpec


def _project(tmp_path: Path) -> tuple[Settings, Path]:
    locales = tmp_path / "locales"
    locales.mkdir()
    (locales / "en.json").write_text(json.dumps({"a": "Hello", "b": "Bye", "c": "New"}))
    target = locales / "de.json"
    target.write_text(json.dumps({"a": "Hallo", "b": "Tschüss", "c": ""}))
    state = ReviewState(tmp_path)
    state.record(target, "a", "Hello", approved=False)  # machine-filled, awaiting review
    state.record(target, "b", "Bye before", approved=True)  # approved, then the source changed
    state.save()
    return Settings(project_root=tmp_path, source=locales / "en.json"), target


def test_the_review_state_is_applied_at_load_time(tmp_path: Path) -> None:
    settings, target = _project(tmp_path)
    with workspace.open(settings, [target], translate=True) as opened:
        (loaded,) = opened.targets
    states = {entry.key: entry.state for entry in loaded.file.entries()}
    # Planning reads these as they are: nothing else marks the JSON keys fuzzy.
    assert states == {"a": State.FUZZY, "b": State.FUZZY, "c": State.UNTRANSLATED}
    assert loaded.marks == {"a": "awaiting", "b": "stale"}
    assert (loaded.locale, loaded.language) == ("de", "German")


def test_a_writing_command_holds_the_project_lock_while_open(tmp_path: Path) -> None:
    settings, target = _project(tmp_path)
    lock = tmp_path / ".l10n-qwen" / "lock"

    def taken() -> bool:
        with open(lock, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    with workspace.open(settings, [target], write=True):
        assert taken()
    assert not taken()
    with workspace.open(settings, [target]):  # check reads only: no lock, no state folder
        assert not taken()


def test_prepare_runs_under_the_lock_and_picks_the_files(tmp_path: Path) -> None:
    settings, target = _project(tmp_path)
    seen: list[list[FileSpec]] = []

    def prepare(specs: list[FileSpec]) -> list[FileSpec]:
        seen.append(specs)
        assert (tmp_path / ".l10n-qwen" / "lock").exists()
        return []

    with workspace.open(settings, [target], write=True, prepare=prepare) as opened:
        assert opened.targets == []
    assert seen == [[FileSpec(target)]]


def test_translating_needs_a_target_language(tmp_path: Path) -> None:
    settings, _ = _project(tmp_path)
    nameless = tmp_path / "messages.json"
    nameless.write_text('{"a": ""}')
    with workspace.open(settings, [nameless]) as opened:  # check and approve need none
        assert opened.targets[0].locale == ""
    with (
        pytest.raises(UsageError, match="cannot tell the target language"),
        workspace.open(settings, [nameless], translate=True),
    ):
        pass
