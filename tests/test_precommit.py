"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit framework on real commits.

pre-commit clones this repository at HEAD and installs it in its own virtualenv (from the
package registry), as it would for a user; the environment is shared by the tests of this file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent

UNTRANSLATED = """msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Save"
msgstr "Speichern"

#, python-format
msgid "Hello %(name)s"
msgstr ""
"""


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    yield home
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh git repository whose hooks come from this project at HEAD."""
    head = git(ROOT, "rev-parse", "HEAD").stdout.strip()
    assert head, "the project must be a git checkout with a commit"
    folder = tmp_path / "app"
    folder.mkdir()
    git(folder, "init", "-q")
    git(folder, "config", "user.email", "dev@example.invalid")
    git(folder, "config", "user.name", "Dev")
    (folder / "de.po").write_text(UNTRANSLATED, encoding="utf-8")
    return folder


def configure(repo: Path, home: Path, hook: str, args: list[str]) -> None:
    head = git(ROOT, "rev-parse", "HEAD").stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head}\n  hooks:\n  - id: {hook}\n    args: {args!r}\n",
        encoding="utf-8",
    )
    env = environment(home)
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr


def environment(home: Path) -> dict[str, str]:
    """No key (the hooks here must not need one); one pre-commit home for the whole module."""
    env = {k: v for k, v in os.environ.items() if k != "DASHSCOPE_API_KEY"}
    env["PRE_COMMIT_HOME"] = str(home)
    return env


def commit(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    git(repo, "add", "-A")
    return subprocess.run(
        ["git", "commit", "-q", "-m", "change"],
        cwd=repo,
        env=environment(home),
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_hook_blocks_untranslated_then_lets_approved_through(
    repo: Path, pre_commit_home: Path
) -> None:
    home = pre_commit_home
    configure(repo, home, "l10n-qwen-check", [])
    blocked = commit(repo, home)
    assert blocked.returncode != 0
    assert "de.po:10: 'Hello %(name)s': untranslated" in blocked.stdout + blocked.stderr
    assert git(repo, "rev-parse", "--verify", "-q", "HEAD").returncode != 0  # nothing committed

    translated = UNTRANSLATED.rsplit('msgstr ""', 1)[0] + 'msgstr "Hallo %(name)s"\n'
    (repo / "de.po").write_text(translated, encoding="utf-8")
    passed = commit(repo, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1


def test_fill_hook_fills_and_marks_fuzzy(repo: Path, pre_commit_home: Path) -> None:
    home = pre_commit_home
    configure(repo, home, "l10n-qwen-fill", ["--provider", "pseudo"])
    first = commit(repo, home)
    # pre-commit fails a hook that changed files, so the user can look before committing.
    assert first.returncode != 0
    assert "files were modified by this hook" in first.stdout + first.stderr
    entry = polib.pofile(str(repo / "de.po")).find("Hello %(name)s")
    assert entry is not None and entry.fuzzy and "%(name)s" in entry.msgstr
    second = commit(repo, home)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "#, fuzzy, python-format" in git(repo, "show", "HEAD:de.po").stdout
