"""msgmerge's guesses: fuzzy entries with "#|" lines are retranslated, never approved as is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib

from l10n_qwen.pseudo import pseudo_localize
from tests.conftest import CliRun, msgfmt_check

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#, fuzzy
#| msgid "My notes"
msgid "My saved notes"
msgstr "Meine Notizen"

#, fuzzy
msgid "Open"
msgstr "[Öṗéñ ·]"

msgid "Close"
msgstr "Schließen"
"""


def test_fill_retranslates_guesses_and_keeps_its_own_fuzzy_entries(
    run_cli: Callable[..., CliRun], tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    po.write_text(PO, encoding="utf-8")
    result = run_cli("fill", po, "--provider", "pseudo")
    assert result.exit_code == 0
    assert result.stdout.startswith("filled 1 entry in 1 file, 0 failed")
    text = po.read_text(encoding="utf-8")
    assert "#|" not in text
    entries = {e.msgid: e for e in polib.pofile(str(po))}
    assert entries["My saved notes"].msgstr == pseudo_localize("My saved notes")
    assert entries["My saved notes"].fuzzy  # for review, like every fill
    assert entries["Open"].msgstr == "[Öṗéñ ·]" and entries["Open"].fuzzy  # the tool's own
    assert entries["Close"].msgstr == "Schließen"
    msgfmt_check(po)


def test_approve_refuses_a_guess_and_lists_it(
    run_cli: Callable[..., CliRun], tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    po.write_text(PO, encoding="utf-8")
    result = run_cli("approve", po)
    assert result.exit_code == 1
    assert "de.po:7: 'My saved notes': not approved: guessed by msgmerge" in result.stderr
    assert result.stdout == "approved 1 entry\n"  # "Open"
    entries = {e.msgid: e for e in polib.pofile(str(po))}
    assert entries["My saved notes"].fuzzy and entries["My saved notes"].previous_msgid
    assert not entries["Open"].fuzzy


def test_check_names_the_guess(run_cli: Callable[..., CliRun], tmp_path: Path) -> None:
    po = tmp_path / "de.po"
    po.write_text(PO, encoding="utf-8")
    result = run_cli("check", po)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "de.po:7: 'My saved notes': guessed by msgmerge from a similar message (#| lines): "
        "fill retranslates it"
    )
