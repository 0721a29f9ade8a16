"""``l10n-qwen sync``: every configured file set, the CI gate, and the changed-files mode."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from tests.conftest import CliRun, copy_fixture, msgfmt_check
from tests.fakeserver import FakeQwenServer

Run = Callable[..., CliRun]
FAST = ("--rpm", "100000", "--tpm", "100000000")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Path:
    """The sync example project as the working directory (and project root)."""
    folder = copy_fixture("sync/project", tmp_path)
    monkeypatch.chdir(folder)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the project but the tool's own lock (``.l10n-qwen/lock``, always empty) and
    the ``.gitignore`` that keeps that folder out of git."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in ("lock", ".gitignore")
    }


def test_sync_check_reports_everything_out_of_date_and_writes_nothing(
    project: Path, run_cli: Run
) -> None:
    before = snapshot(project)
    result = run_cli("sync", "--check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "po/de.po: out of date with messages.pot: 2 new, 0 removed messages" in lines
    assert "po/fr.po: missing: would be created from the template" in lines
    assert "web/de.json:5: 'actions.search': untranslated" in lines
    assert lines[-1] == f"{len(lines) - 1} problems"
    assert snapshot(project) == before


def test_sync_updates_fills_and_then_passes_the_gate_after_approve(
    project: Path, run_cli: Run, fake_qwen: FakeQwenServer
) -> None:
    result = run_cli("sync", "--base-url", fake_qwen.compat_url, *FAST, key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    german = polib.pofile(str(project / "po/de.po"))
    assert german.find("New note").msgstr == "Neue Notiz"  # approved: kept
    assert german.find("Delete note").msgstr == "[German] Delete note"
    french = polib.pofile(str(project / "po/fr.po"))
    assert french.metadata["Language"] == "fr"
    assert french.find("%(count)d note").msgstr_plural[1] == "[French] %(count)d notes"
    assert all(e.fuzzy for e in french)
    for name in ("de", "fr"):
        msgfmt_check(project / f"po/{name}.po")
    web = json.loads((project / "web/de.json").read_text())
    assert web["actions"] == {"new": "Neue Notiz", "search": "[German] Search notes"}
    assert {r.body["translation_options"].get("domains") for r in fake_qwen.requests} >= {
        "User interface of a note-taking app."
    }

    gate = run_cli("sync", "--check")
    assert gate.exit_code == 1
    assert all("awaiting review" in line for line in gate.stdout.splitlines()[:-1])
    assert run_cli("approve", "po/de.po", "po/fr.po", "web/de.json").exit_code == 0
    passed = run_cli("sync", "--check")
    assert passed.exit_code == 0, passed.stdout
    assert passed.stdout.strip() == "everything is up to date"


def test_changed_files_pick_their_file_sets(
    project: Path, run_cli: Run, fake_qwen: FakeQwenServer
) -> None:
    args = ("--base-url", fake_qwen.compat_url, *FAST)
    before = snapshot(project)
    assert run_cli("sync", "README.md", *args, key=fake_qwen.api_key).stdout.strip() == (
        "nothing to sync"
    )
    assert snapshot(project) == before
    result = run_cli("sync", "web/en.json", *args, key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    assert [r.text for r in fake_qwen.requests] == ["Search notes"]
    assert not (project / "po/fr.po").exists()  # the PO set was not touched


def test_sync_without_file_sets_is_a_usage_error(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("sync", "--check")
    assert result.exit_code == 2
    assert "[[tool.l10n-qwen.files]]" in result.stderr


def test_a_named_po_file_that_does_not_exist_is_an_error(project: Path, run_cli: Run) -> None:
    result = run_cli("sync", "--check", "po/xx.po")
    assert result.exit_code == 2
    assert "po/xx.po: no such file" in result.stderr


def test_sync_without_a_key_changes_nothing(project: Path, run_cli: Run) -> None:
    before = snapshot(project)
    result = run_cli("sync")
    assert result.exit_code == 2
    assert "DASHSCOPE_API_KEY" in result.stderr
    assert snapshot(project) == before  # no template merged, no target created


def test_sync_with_a_broken_target_changes_nothing(project: Path, run_cli: Run) -> None:
    (project / "web" / "de.json").write_text('{"title": "Notizen",}\n')
    before = snapshot(project)
    result = run_cli("sync", "--provider", "pseudo")
    assert result.exit_code == 2
    assert "de.json:1" in result.stderr
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('template = "web/en.json"\ntarget = "web/{locale}.json"', "a 'template' is a .pot file"),
        ('template = "po/messages.pot"\ntarget = "po/{locale}.pot"', "a 'template' is a .pot file"),
        ('source = "web/en.json"\ntarget = "web/{locale}.yml"', "targets have its suffix"),
        ('source = "web/en.json"\ntarget = "/elsewhere/{locale}.json"', "outside the project"),
        ('source = "web/en.json"\ntarget = "web/{locale}.json"\nlocales = ["xx"]', "files #1"),
    ],
)
def test_file_set_mistakes_are_config_errors(
    table: str, message: str, project: Path, run_cli: Run
) -> None:
    (project / "l10n-qwen.toml").write_text(f"[[files]]\n{table}\n")
    before = snapshot(project)
    result = run_cli("sync", "--check")
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot(project) == before


def test_absolute_target_inside_the_project_works(project: Path, run_cli: Run) -> None:
    (project / "l10n-qwen.toml").write_text(
        f'[[files]]\nsource = "web/en.json"\ntarget = "{project}/web/{{locale}}.json"\n'
    )
    result = run_cli("sync", "--check")
    assert result.exit_code == 1
    assert "web/de.json:5: 'actions.search': untranslated" in result.stdout


def test_latin1_template_makes_latin1_targets(project: Path, run_cli: Run) -> None:
    config = project / "l10n-qwen.toml"
    config.write_text(config.read_text().replace('locales = ["de", "fr"]', 'locales = ["fr"]'))
    pot = project / "po" / "messages.pot"
    pot.write_bytes(
        pot.read_text()
        .replace("charset=CHARSET", "charset=ISO-8859-1")
        .replace('msgid "New note"', 'msgid "New note \u00e9"')
        .encode("latin-1")
    )
    result = run_cli("sync", "--provider", "pseudo", "--no-fuzzy")
    # Pseudo letters such as "ƀ" do not fit in ISO-8859-1: those entries fail, cleanly.
    assert result.exit_code in (0, 1), result.stderr
    created = (project / "po" / "fr.po").read_bytes()
    assert b"charset=ISO-8859-1" in created
    assert 'msgid "New note \u00e9"'.encode("latin-1") in created


def test_a_key_rejected_after_merging_reports_what_was_written(
    project: Path, run_cli: Run, fake_qwen: FakeQwenServer
) -> None:
    report = project / "r.json"
    result = run_cli(
        "sync", "--report", report, "--base-url", fake_qwen.compat_url, *FAST, key="sk-wrong"
    )
    assert result.exit_code == 1  # the templates were merged: not "2, nothing written"
    data = json.loads(report.read_text())
    assert {"po/de.po", "po/fr.po"} <= set(data["written"])
    assert "region" in data["stopped"]
