"""Saving the reviewer's actions, without a server: what exactly each one writes."""

from __future__ import annotations

from pathlib import Path

import polib

from l10n_qwen.config import load_settings
from l10n_qwen.reviewpage import actions
from l10n_qwen.reviewpage.queue import Item, Queue, file_specs
from tests.conftest import msgfmt_check

PO = """\
msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#, fuzzy
msgid "a[1]"
msgstr "A eins"

#, fuzzy
msgid "a1"
msgstr "A1"

#, fuzzy, python-format
msgid "%(n)d file"
msgid_plural "%(n)d files"
msgstr[0] "%(n)d Datei"
msgstr[1] "%(n)d Dateien"
"""


def _queue(project: Path) -> Queue:
    (project / ".git").mkdir(exist_ok=True)
    (project / "de.po").write_text(PO)
    files = [project / "de.po"]
    settings = load_settings({}, cwd=project, files=files)
    return Queue(settings, file_specs(settings, files))


def _item(queue: Queue, key: str) -> Item:
    return next(item for item in queue.items() if item.entry.key == key)


def test_approve_takes_a_key_with_glob_characters_literally(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    loaded = queue.files["de.po"]
    item = _item(queue, "a[1]")
    outcome = actions.save(
        queue.settings, loaded, loaded.fingerprint, [actions.Action(item, "approve")]
    )
    assert outcome.done == {item.id: "approved"}
    catalog = polib.pofile(str(tmp_path / "de.po"))
    assert not catalog.find("a[1]").fuzzy
    assert catalog.find("a1").fuzzy  # "a[1]" as a glob would match it


def test_send_back_empties_every_plural_form(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    loaded = queue.files["de.po"]
    item = _item(queue, "%(n)d file")
    outcome = actions.save(
        queue.settings, loaded, loaded.fingerprint, [actions.Action(item, "sendback")]
    )
    assert outcome.done == {item.id: "sent back"}
    text = (tmp_path / "de.po").read_text()
    assert text == PO.replace(
        '#, fuzzy, python-format\nmsgid "%(n)d file"', '#, python-format\nmsgid "%(n)d file"'
    ).replace('"%(n)d Datei"', '""').replace('"%(n)d Dateien"', '""')
    msgfmt_check(tmp_path / "de.po")


def test_a_broken_edit_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    loaded = queue.files["de.po"]
    item = _item(queue, "%(n)d file")
    edit = actions.Action(item, "edit", ("%(n)d Datei", "Dateien"))
    outcome = actions.save(queue.settings, loaded, loaded.fingerprint, [edit])
    assert outcome.refused == {item.id: "not saved: placeholder %(n)d missing"}
    assert (tmp_path / "de.po").read_text() == PO


def test_a_file_changed_since_it_was_read_is_left_alone(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    loaded = queue.files["de.po"]
    changed = PO.replace("A eins", "A Eins")
    (tmp_path / "de.po").write_text(changed)
    item = _item(queue, "a[1]")
    outcome = actions.save(
        queue.settings, loaded, loaded.fingerprint, [actions.Action(item, "approve")]
    )
    assert outcome.conflict
    assert (tmp_path / "de.po").read_text() == changed
