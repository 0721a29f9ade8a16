"""An approved PO entry short of plural forms keeps its human forms in the .mo (issue #8)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib

from tests.conftest import CliRun, copy_fixture, msgfmt_check

Run = Callable[..., CliRun]


def compiled_messages(path: Path) -> int:
    """How many messages ``msgfmt`` puts in the compiled catalog (fuzzy ones are left out)."""
    mo = path.with_suffix(".mo")
    subprocess.run(["msgfmt", "-o", str(mo), str(path)], check=True, capture_output=True)
    return len(polib.mofile(str(mo))) - 1  # without the header


def test_the_missing_form_is_filled_and_the_entry_stays_approved(
    tmp_path: Path, run_cli: Run
) -> None:
    folder = copy_fixture("po/approved_short", tmp_path)
    path = folder / "he.po"
    human = compiled_messages(path)
    result = run_cli("fill", "--provider", "pseudo", "--report", "r.json", path)
    assert result.exit_code == 0, result.stderr
    msgfmt_check(path)
    catalog = polib.pofile(str(path))
    day = catalog.find("%(count)d day")
    assert day is not None and "fuzzy" not in day.flags
    assert day.msgstr_plural[2] == "%(count)d ימים"  # the human forms, untouched
    assert day.msgstr_plural[3].startswith("[")  # the new one, machine-made
    save = catalog.find("Save")
    assert save is not None and "fuzzy" in save.flags  # a whole machine entry is still fuzzy
    assert compiled_messages(path) == human  # no human message left the .mo
    assert (
        "review: approved_short/he.po:12: '%(count)d day': msgstr[3] machine-translated into an "
        "approved entry" in result.stdout
    )
    report = json.loads((tmp_path / "r.json").read_text())
    assert [(p["key"], p["line"]) for p in report["review"]] == [("%(count)d day", 12)]


def test_check_still_passes_the_completed_entry(tmp_path: Path, run_cli: Run) -> None:
    folder = copy_fixture("po/approved_short", tmp_path)
    run_cli("fill", "--provider", "pseudo", folder / "he.po")
    result = run_cli("check", folder / "he.po")
    assert "%(count)d day" not in result.stdout  # approved: only 'Save' awaits review
    assert "'Save': awaiting review" in result.stdout or "'Save': fuzzy" in result.stdout
