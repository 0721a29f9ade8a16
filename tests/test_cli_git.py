"""The command as a user meets it in a shell and a git checkout: what it leaves for git, how it
ends when its reader goes away."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.fakeserver import FakeQwenServer

ROOT = Path(__file__).resolve().parent.parent
COMMAND = (sys.executable, "-m", "l10n_qwen")
FAST = ("--rpm", "100000", "--tpm", "100000000")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def test_after_a_fill_git_sees_only_the_locale_files_and_the_review_state(
    fake_qwen: FakeQwenServer, tmp_path: Path
) -> None:
    repo = tmp_path / "app"
    shutil.copytree(ROOT / "examples" / "quickstart", repo)
    git(repo, "init", "-q")
    git(repo, "-c", "user.email=dev@example.invalid", "-c", "user.name=Dev", "add", "-A")
    git(repo, "-c", "user.email=dev@example.invalid", "-c", "user.name=Dev", "commit", "-qm", "x")
    env = {**os.environ, "DASHSCOPE_API_KEY": fake_qwen.api_key}
    done = subprocess.run(
        [
            *COMMAND,
            "fill",
            "locales/de.po",
            "locales/de.json",
            "--base-url",
            fake_qwen.compat_url,
            *FAST,
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (repo / ".l10n-qwen" / "cache.sqlite3").is_file()  # the cache and lock are there...
    git(repo, "add", "-A")  # ...and `git add -A` leaves them out
    staged = sorted(git(repo, "status", "--porcelain").splitlines())
    assert staged == [
        "A  .l10n-qwen-review.json",
        "M  locales/de.json",
        "M  locales/de.po",
    ]


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    # `l10n-qwen languages | head -1`: the pipe is closed before the command writes to it.
    proc = subprocess.Popen([*COMMAND, "languages"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    with proc.stderr:
        stderr = proc.stderr.read().decode()
    assert proc.wait() == 1
    assert stderr == ""  # no BrokenPipeError, no "Exception ignored"


def test_counts_read_as_english(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "de.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '\nmsgid "Hello"\nmsgstr ""\n',
        encoding="utf-8",
    )
    run = [*COMMAND, "fill", "--provider", "pseudo", "de.po"]
    done = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "filled 1 entry in 1 file, 0 failed; 0 requests" in done.stdout
    checked = subprocess.run(
        [*COMMAND, "check", "de.po"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert checked.stdout.splitlines()[-1] == "1 entry needs attention"
    approved = subprocess.run(
        [*COMMAND, "approve", "de.po"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert approved.stdout.strip() == "approved 1 entry"


def test_the_readme_offline_command_works(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.split("```sh\n", 1)[1].split("\n", 1)[0]
    install = "pip install -e . && "
    assert first.startswith(install)  # CI runs the whole line; here the package is installed
    bin_dir = str(Path(sys.executable).parent)  # where this interpreter's `l10n-qwen` lives
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"], "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        ["bash", "-c", first.removeprefix(install)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "filled 9 entries in 2 files, 0 failed; 0 requests" in done.stdout
    assert "#, fuzzy" in done.stdout  # the pseudo-translated catalog, marked for review
