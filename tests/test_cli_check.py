"""``check`` and ``approve`` on .po files: no network, exact lines, exit codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib

from tests.conftest import CliRun, copy_fixture, msgfmt_check

Run = Callable[..., CliRun]


def test_check_lists_each_problem_with_file_and_line(run_cli: Run, tmp_path: Path) -> None:
    po = copy_fixture("check", tmp_path) / "de.po"
    before = po.read_bytes()
    result = run_cli("check", po)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "check/de.po:9: 'Hello %(name)s': placeholder %(name)s missing",
        "check/de.po:9: 'Hello %(name)s': unexpected placeholder %(nom)s",
        "check/de.po:16: 'Open <b>now</b>': awaiting review",
        "check/de.po:20: 'Close': awaiting review",
        "check/de.po:24: 'Quit': untranslated",
        "4 entries need attention",
    ]
    assert po.read_bytes() == before  # check never writes


def test_approve_drops_fuzzy_but_not_from_broken_entries(run_cli: Run, tmp_path: Path) -> None:
    po = copy_fixture("check", tmp_path) / "de.po"
    before = po.read_text()
    result = run_cli("approve", po, "--key", "Open*")
    assert result.exit_code == 0
    assert result.stdout.strip() == "approved 1 entries"
    catalog = polib.pofile(str(po))
    assert not catalog.find("Open <b>now</b>").fuzzy
    assert catalog.find("Close").fuzzy
    assert run_cli("approve", po).stdout.strip() == "approved 1 entries"
    assert not polib.pofile(str(po)).find("Close").fuzzy
    # Only the two flag lines went; the broken "Hello" entry is untouched (still listed by check).
    assert po.read_text() == before.replace("#, fuzzy\n", "")
    assert "'Hello %(name)s'" in run_cli("check", po).stdout


def test_fill_then_approve_makes_check_pass(run_cli: Run, tmp_path: Path) -> None:
    po = copy_fixture("e2e/shared", tmp_path) / "app.po"
    assert run_cli("check", po).exit_code == 1
    assert run_cli("fill", po, "--provider", "pseudo").exit_code == 0
    awaiting = run_cli("check", po)
    assert awaiting.exit_code == 1
    assert all("awaiting review" in line for line in awaiting.stdout.splitlines()[:-1])
    assert run_cli("approve", po).exit_code == 0
    msgfmt_check(po)
    passed = run_cli("check", po)
    assert passed.exit_code == 0, passed.stdout
    assert passed.stdout.strip() == "all entries translated and approved"
