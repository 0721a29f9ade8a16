"""The hooks and changed locale files outside every file set: paired as fill pairs them, or named.

The CLI's ``sync`` in changed-files mode, then the real pre-commit framework (run from this
interpreter) on real commits in a temporary git repository.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliRun
from tests.test_precommit import environment, git

Run = Callable[..., CliRun]
ROOT = Path(__file__).resolve().parent.parent
EN = {"title": "Welcome", "save": "Save"}
DE = {"title": "Willkommen"}


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def test_unconfigured_target_is_checked_by_its_sibling_source(tmp_path: Path, run_cli: Run) -> None:
    write_json(tmp_path / "web/en.json", EN)
    write_json(tmp_path / "web/de.json", DE)
    result = run_cli("sync", "--check", "web/de.json", "package.json")
    assert result.exit_code == 1
    assert "web/de.json:3: 'save': untranslated" in result.stdout
    assert "skipped" not in result.stdout  # package.json names no locale: no locale file


def test_fill_hook_fills_an_unconfigured_target_from_its_sibling_source(
    tmp_path: Path, run_cli: Run
) -> None:
    write_json(tmp_path / "web/en.json", EN)
    write_json(tmp_path / "web/de.json", DE)
    result = run_cli("sync", "--provider", "pseudo", "web/de.json")
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "web/de.json").read_text(encoding="utf-8"))
    assert data["title"] == "Willkommen" and data["save"] == "[Šàṽé ·]"


def test_unpairable_locale_file_is_named_with_the_file_set_that_would_cover_it(
    tmp_path: Path, run_cli: Run
) -> None:
    write_json(tmp_path / "web/de.json", DE)
    result = run_cli("sync", "--check", "web/de.json")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "skipped web/de.json: no file set covers it, and no 'en' source file found (looked for "
        'web/en.json); to cover it, configure: [[files]] source = "web/en.json" '
        'target = "web/{locale}.json"'
    )


def test_unconfigured_source_file_is_named(tmp_path: Path, run_cli: Run) -> None:
    write_json(tmp_path / "locales/en/app.json", EN)
    result = run_cli("sync", "--check", "locales/en/app.json")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "skipped locales/en/app.json: a source-language file outside every file set: its "
        'targets are unknown; to cover it, configure: [[files]] source = "locales/en/app.json" '
        'target = "locales/{locale}/app.json"'
    )


# --- the real pre-commit framework -------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pre_commit", *args]  # this interpreter's pre-commit
    env = environment(home)
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=False)


def test_check_hook_checks_an_unconfigured_target_and_names_what_it_skips(
    tmp_path: Path, home: Path
) -> None:
    head = git(ROOT, "rev-parse", "HEAD").stdout.strip()
    repo = tmp_path / "app"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head}\n  hooks:\n  - id: l10n-qwen-check\n",
        encoding="utf-8",
    )
    write_json(repo / "web/en.json", EN)
    write_json(repo / "web/de.json", DE)  # paired with web/en.json: "save" is untranslated
    write_json(repo / "other/fr.json", {"title": "Bienvenue"})  # no other/en.json beside it
    git(repo, "add", "-A")
    blocked = pre_commit(repo, home, "run", "--files", "web/de.json", "other/fr.json")
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, out
    assert "web/de.json:3: 'save': untranslated" in out
    assert "skipped other/fr.json: no file set covers it" in out

    write_json(repo / "web/de.json", {**DE, "save": "Speichern"})
    git(repo, "add", "-A")
    passed = pre_commit(repo, home, "run", "--files", "web/de.json", "other/fr.json")
    out = passed.stdout + passed.stderr
    assert passed.returncode == 0, out
    assert 'configure: [[files]] source = "other/en.json" target = "other/{locale}.json"' in out
