"""Review state for JSON/YAML: record, status, approve, apply, and the file on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from l10n_qwen import checks
from l10n_qwen.catalog import LoadOptions, State
from l10n_qwen.config import Settings
from l10n_qwen.errors import InputError
from l10n_qwen.formats import json as json_format
from l10n_qwen.formats import load
from l10n_qwen.review import (
    STATE_FILE,
    ReviewState,
    apply,
    record_fill,
    source_hash,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_statuses(tmp_path: Path) -> None:
    state = ReviewState.load(tmp_path)
    target = tmp_path / "locales" / "de.json"
    assert state.status(target, "a", "Hello") is None  # not recorded: hand-made, approved
    state.record(target, "a", "Hello", approved=False)
    state.record(target, "b", "Bye", approved=True)
    assert state.status(target, "a", "Hello") == "awaiting"
    assert state.status(target, "b", "Bye") == "approved"
    assert state.status(target, "a", "Hello!") == "stale"  # the source changed since
    assert state.status(target, "b", "Bye now") == "stale"
    assert state.approve(target, "a") is True
    assert state.approve(target, "a") is False
    assert state.status(target, "a", "Hello") == "approved"
    assert state.approve(target, "b", "Bye now") is True  # reviewed against the new source
    assert state.status(target, "b", "Bye now") == "approved"
    assert state.approve(target, "unknown") is False


def test_paths_are_relative_to_the_root_in_any_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = ReviewState(tmp_path)
    state.record(tmp_path / "locales" / "de.json", "k", "x", approved=False)
    monkeypatch.chdir(tmp_path)
    assert state.status(Path("locales/de.json"), "k", "x") == "awaiting"
    assert state.status("locales/../locales/de.json", "k", "x") == "awaiting"
    assert state.keys("locales/de.json") == ["k"]


def test_a_relative_path_follows_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = ReviewState(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    state.record("de.json", "k", "x", approved=False)  # a/de.json
    assert state.status("de.json", "k", "x") == "awaiting"
    monkeypatch.chdir(tmp_path / "b")  # the same spelling is now another file
    assert state.status("de.json", "k", "x") is None
    assert state.keys("../a/de.json") == ["k"]


def test_saved_file_is_sorted_one_line_per_key(tmp_path: Path) -> None:
    state = ReviewState.load(tmp_path)
    assert state.save() is False  # nothing recorded: no file
    assert not (tmp_path / STATE_FILE).exists()
    state.record(tmp_path / "locales/fr.yml", "b.z", "Zed", approved=False)
    state.record(tmp_path / "locales/de.json", "x", "Ex", approved=True)
    state.record(tmp_path / "locales/de.json", "a.ü", "Ah", approved=False)
    assert state.save() is True
    text = (tmp_path / STATE_FILE).read_text(encoding="utf-8")
    assert text == (
        "{\n"
        '  "version": 1,\n'
        '  "files": {\n'
        '    "locales/de.json": {\n'
        f'      "a.ü": {{"source": "{source_hash("Ah")}", "approved": false}},\n'
        f'      "x": {{"source": "{source_hash("Ex")}", "approved": true}}\n'
        "    },\n"
        '    "locales/fr.yml": {\n'
        f'      "b.z": {{"source": "{source_hash("Zed")}", "approved": false}}\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    assert len(source_hash("Ah")) == 16
    assert state.save() is False  # unchanged: not written again

    again = ReviewState.load(tmp_path)
    assert again.status(tmp_path / "locales/de.json", "a.ü", "Ah") == "awaiting"
    assert again.changed is False
    again.record(tmp_path / "locales/de.json", "x", "Ex", approved=True)  # same as before
    assert again.save() is False
    again.approve(tmp_path / "locales/de.json", "a.ü")
    assert again.save() is True
    assert '"a.ü": {"source": "' in (tmp_path / STATE_FILE).read_text(encoding="utf-8")


def test_forget(tmp_path: Path) -> None:
    state = ReviewState(tmp_path)
    target = tmp_path / "de.json"
    for key in ("nav.home", "footer"):
        state.record(target, key, key, approved=False)
    state.forget(target, "footer")
    assert state.keys(target) == ["nav.home"]
    state.forget(target, "nav.home")
    assert state.keys(target) == []


def test_corrupt_state_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    path.write_text('{\n  "version": 1,\n  "files": {\n    "de.json": {\n      "a": \n', "utf-8")
    with pytest.raises(InputError) as err:
        ReviewState.load(tmp_path)
    assert err.value.path == path
    assert err.value.line == 6
    path.write_text('{\n  "files": {\n    "de.json": {\n      "a": {"source": 1}\n    }\n  }\n}\n')
    with pytest.raises(InputError, match="key 'a'") as err:
        ReviewState.load(tmp_path)
    assert err.value.line == 4


def test_apply_marks_awaiting_and_stale_entries_fuzzy(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "json" / "i18next", tmp_path / "app")
    target = tmp_path / "app" / "de.json"
    state = ReviewState.load(tmp_path)

    locale_file = json_format.load(target, LoadOptions())
    entries = {e.key: e for e in locale_file.entries()}
    # What the pipeline does when it fills: write the value, record it as awaiting review.
    locale_file.fill(entries["common.cancel"], ["Abbrechen"], review=True)
    state.record(target, "common.cancel", entries["common.cancel"].sources, approved=False)
    # An older machine translation whose source text has changed since.
    state.record(target, "common.save", "Save the file", approved=True)
    target.write_bytes(locale_file.dumps())
    state.save()

    reloaded = json_format.load(target, LoadOptions())
    found = apply(ReviewState.load(tmp_path), reloaded)
    assert found == {"common.cancel": "awaiting", "common.save": "stale"}
    states = {e.key: e.state for e in reloaded.entries()}
    assert states["common.cancel"] is State.FUZZY
    assert states["common.save"] is State.FUZZY
    assert states["common.appName"] is State.TRANSLATED  # hand-made: approved
    assert states["notes.empty"] is State.UNTRANSLATED

    # ``approve``: what `l10n-qwen approve FILE` does; afterwards `check` finds nothing.
    state = ReviewState.load(tmp_path)
    for entry in reloaded.entries():
        state.approve(target, entry.key, entry.sources)
        reloaded.approve(entry)
    assert state.save() is True
    again = json_format.load(target, LoadOptions())
    assert apply(ReviewState.load(tmp_path), again) == {}


def test_record_fill_and_approve_with_a_key_glob(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "json" / "i18next", tmp_path / "app")
    target = tmp_path / "app" / "de.json"
    state = ReviewState.load(tmp_path)
    locale_file = json_format.load(target, LoadOptions())
    for entry in locale_file.entries():
        if entry.state is State.UNTRANSLATED:
            locale_file.fill(entry, [f"T({entry.sources[0]})"], review=True)
            record_fill(state, locale_file, entry, review=True)
    target.write_bytes(locale_file.dumps())
    state.save()

    state = ReviewState.load(tmp_path)
    reloaded = json_format.load(target, LoadOptions())
    assert sorted(apply(state, reloaded)) == [
        "common.cancel",
        "notes.deleted_one",
        "notes.deleted_other",
        "notes.deleted_zero",
        "notes.empty",
        "settings.theme.dark",
        "settings.theme.light",
        "tips.1",
    ]
    settings = Settings(project_root=tmp_path)
    # What `l10n-qwen approve FILE --key GLOB` does (and the review page, through the same code).
    assert checks.approve(settings, [target], ["notes.deleted_*"]) == (3, [])
    state = ReviewState.load(tmp_path)
    assert len(apply(state, json_format.load(target, LoadOptions()))) == 5
    assert checks.approve(settings, [target]) == (5, [])
    assert apply(ReviewState.load(tmp_path), json_format.load(target, LoadOptions())) == {}


def test_no_fuzzy_fills_are_recorded_approved(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "json" / "nested_dirs", tmp_path / "app")
    target = tmp_path / "app" / "locales" / "de" / "app.json"
    state = ReviewState(tmp_path)
    locale_file = json_format.load(target, LoadOptions())
    entry = next(e for e in locale_file.entries() if e.key == "bye")
    locale_file.fill(entry, ["Tschüss"], review=False)
    record_fill(state, locale_file, entry, review=False)
    assert state.status(target, "bye", "Bye") == "approved"
    assert state.keys(tmp_path / "app/locales/de/app.json") == ["bye"]
    assert state.save() is True
    assert '"app/locales/de/app.json": {' in (tmp_path / STATE_FILE).read_text()


def test_approve_drops_the_po_fuzzy_flag(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "po" / "basic", tmp_path / "po")
    target = tmp_path / "po" / "de.po"
    state = ReviewState(tmp_path)
    locale_file = load(target, LoadOptions())
    fuzzy = [e.key for e in locale_file.entries() if e.state is State.FUZZY]
    assert fuzzy
    assert apply(state, locale_file) == {}  # PO keeps its own mark
    settings = Settings(project_root=tmp_path)
    # The one fuzzy entry is a msgmerge guess (#| lines): approved only where a person saw it.
    approved, refused = checks.approve(settings, [target])
    assert (approved, [p.reason for p in refused]) == (0, ["not approved: " + checks.GUESS])
    assert checks.approve(settings, [target], guesses_seen=True) == (len(fuzzy), [])
    assert b"#, fuzzy, c-format" not in target.read_bytes()
    assert not (tmp_path / STATE_FILE).exists()  # PO keeps its own mark, not a record
