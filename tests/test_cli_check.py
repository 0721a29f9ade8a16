"""``check`` and ``approve`` on .po files: no network, exact lines, exit codes."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from tests.conftest import CliRun, copy_fixture, msgfmt_check
from tests.fakeserver import FakeQwenServer, Reply

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
    assert result.stdout.strip() == "approved 1 entry"
    catalog = polib.pofile(str(po))
    assert not catalog.find("Open <b>now</b>").fuzzy
    assert catalog.find("Close").fuzzy
    assert run_cli("approve", po).stdout.strip() == "approved 1 entry"
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


def msgfmt_errors(path: Path) -> list[str]:
    """What ``msgfmt --check`` (plural distribution included) finds fatal in ``path``."""
    done = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in done.stderr.splitlines() if ": warning: " not in line]


def test_plural_form_for_one_number_may_leave_the_number_out(run_cli: Run, tmp_path: Path) -> None:
    # Arabic forms 0, 1 and 2 are for n=0, 1 and 2 only: "يوم", "دقيقة واحدة" need no %d, as
    # msgfmt --check agrees; form 3 (3-10, 103-110, ...) does, and nothing may be added anywhere.
    po = copy_fixture("check_plural", tmp_path) / "ar.po"
    result = run_cli("check", po)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "check_plural/ar.po:31: '%d hour': placeholder %d missing",
        "check_plural/ar.po:41: '%d week': unexpected placeholder %s",
        # msgfmt -c: msgstr[1] is for n=1 only, it may leave %d out, but not put %s there
        "check_plural/ar.po:41: '%d week': warning: placeholder %d missing",
        "2 entries need attention; 1 warning",
    ]
    errors = msgfmt_errors(po)
    assert len(errors) == 3 and "msgstr[3]" in errors[0] and "msgstr[1]" in errors[1]

    text = po.read_text(encoding="utf-8")
    po.write_text(text[: text.index('#, c-format\nmsgid "%d hour"')], encoding="utf-8")
    passed = run_cli("check", po)
    assert passed.exit_code == 0, passed.stdout
    assert msgfmt_errors(po) == []


def test_fill_takes_a_single_number_form_without_the_number(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = copy_fixture("check_plural", tmp_path) / "ar.po"
    text = po.read_text(encoding="utf-8")
    text = text[: text.index('#, c-format\nmsgid "%d hour"')].replace('"يوم"', '""', 1)
    po.write_text(text, encoding="utf-8")
    fake_qwen.script(Reply(200, {"choices": [{"message": {"content": "يوم"}}]}))
    result = run_cli(
        "fill",
        po,
        "--base-url",
        fake_qwen.compat_url,
        "--rpm",
        "100000",
        "--tpm",
        "100000000",
        key=fake_qwen.api_key,
    )
    assert result.exit_code == 0, result.stderr
    # Form 0 is Arabic's form for 0 alone: it translates msgid_plural and may drop the number.
    assert [r.text for r in fake_qwen.requests] == ["%d days"]  # accepted at once, no retry
    filled = polib.pofile(str(po)).find("%d day")
    assert filled is not None and filled.fuzzy
    assert filled.msgstr_plural[0] == "يوم"
    assert run_cli("check", po).stdout.splitlines() == [
        "check_plural/ar.po:11: '%d day': awaiting review",
        "1 entry needs attention",
    ]


@pytest.mark.parametrize(
    ("fixture", "target", "message"),
    [
        ("po/no_msgid_plural", "de.po", "de.po:12: syntax error: msgstr[0] without msgid_plural"),
        ("po/plural_plain_msgstr", "de.po", "de.po:14:1: syntax error: msgstr after msgid_plural"),
        ("yaml/root_in_target_only", "fr.yml", "fr.yml:1: unexpected root key 'fr'"),
    ],
)
@pytest.mark.parametrize("command", ["check", "fill"])
def test_malformed_files_are_refused_before_anything_is_written(
    run_cli: Run, tmp_path: Path, fixture: str, target: str, message: str, command: str
) -> None:
    folder = copy_fixture(fixture, tmp_path)
    before = {path: path.read_bytes() for path in folder.iterdir()}
    args = ["--provider", "pseudo"] if command == "fill" else []
    result = run_cli(command, folder / target, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert {path: path.read_bytes() for path in folder.iterdir()} == before
