"""Exit 3 is a bug: bad options, config and failed writes are L10nErrors (issue #8)."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliRun, copy_fixture

Run = Callable[..., CliRun]

PO = (
    'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    'msgid "Open"\nmsgstr ""\n'
)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:99999/v1", "Port out of range"),
        ("https://x\t.com/v1", "non-printable"),
        ("https://[::1/v1", "Invalid IPv6 URL"),
        ("https://[::1]:abc/v1", "abc"),
        ("https://ex ample.com/v1", "space or control character"),
    ],
)
def test_a_bad_base_url_is_a_config_error(tmp_path: Path, run_cli: Run, url: str, why: str) -> None:
    (tmp_path / "de.po").write_text(PO)
    for dry in ((), ("--dry-run",)):
        result = run_cli("fill", *dry, "--base-url", url, "de.po", key="sk-test")
        assert result.exit_code == 2, result.stderr
        assert f"invalid base URL {url!r}" in result.stderr and why in result.stderr
    assert (tmp_path / "de.po").read_text() == PO


@pytest.mark.parametrize("value", ["inf", "-inf", "nan"])
@pytest.mark.parametrize("name", ["repetition-penalty", "temperature", "top-p", "save-interval"])
def test_infinite_numbers_in_the_config_are_refused(
    tmp_path: Path, run_cli: Run, name: str, value: str
) -> None:
    (tmp_path / "de.po").write_text(PO)
    (tmp_path / "l10n-qwen.toml").write_text(f"{name} = {value}\n")
    result = run_cli("fill", "--provider", "pseudo", "de.po")
    assert result.exit_code == 2
    assert f"l10n-qwen.toml: {name} must be a finite number, not {value}" in result.stderr


def _small_files() -> None:
    """In the child: files may not grow past 150 bytes, and doing so is an error, not a kill."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (150, 150))


def test_a_failed_write_names_the_file_and_leaves_it_intact(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    path = tmp_path / "de.po"
    path.write_text(PO)
    done = subprocess.run(
        [sys.executable, "-m", "l10n_qwen", "fill", "--provider", "pseudo", "de.po"],
        cwd=tmp_path,
        preexec_fn=_small_files,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == (
        f"error: {path}: cannot write: File too large (EFBIG); the file is unchanged"
    )
    assert path.read_text() == PO
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize(
    ("config", "options", "named"),
    [
        ("", ("--source-lang", "<hi><hi>"), "'<hi><hi>'"),
        ("", ("--glossary", "missing.csv"), "missing.csv"),
        ("", ("--tm", "broken.tmx"), "broken.tmx"),
    ],
)
def test_sync_validates_everything_before_merging_a_target(
    tmp_path: Path,
    run_cli: Run,
    monkeypatch: pytest.MonkeyPatch,
    config: str,
    options: tuple[str, ...],
    named: str,
) -> None:
    """Found by the fuzz run: a bad source-lang stopped sync after it had merged the PO files."""
    project = copy_fixture("sync/project", tmp_path)
    monkeypatch.chdir(project)
    (project / "broken.tmx").write_text("<tmx")
    (project / "l10n-qwen.toml").write_text(config + (project / "l10n-qwen.toml").read_text())
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    result = run_cli("sync", "--provider", "pseudo", *options)
    assert result.exit_code == 2
    assert named in result.stderr
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    assert {p: data for p, data in after.items() if ".l10n-qwen" not in p.parts} == before


def test_a_yaml_merge_inside_its_own_anchor_is_an_input_error(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "en.yml").write_text("en:\n  hi: Hello\n")
    (tmp_path / "de.yml").write_text("de:\n  defaults: &defaults\n    <<: *defaults\n    x: y\n")
    result = run_cli("check", "de.yml")
    assert result.exit_code == 2
    assert "de.yml: invalid YAML" in result.stderr


def test_a_path_the_system_refuses_is_exit_2(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "l10n-qwen.toml").write_text(
        f'[[files]]\nsource = "{"x" * 300}/en.json"\ntarget = "web/{{locale}}.json"\n'
    )
    result = run_cli("sync", "--check")
    assert result.exit_code == 2
    assert "File name too long" in result.stderr


def test_a_number_toml_cannot_hold_is_a_config_error(tmp_path: Path, run_cli: Run) -> None:
    """Found by the fuzz run (seed 1, case 3087): tomllib raises a plain ValueError."""
    (tmp_path / "l10n-qwen.toml").write_text("[[files]]\ntarget = " + "1" * 5000 + "\n")
    result = run_cli("sync", "--check")
    assert result.exit_code == 2
    assert "l10n-qwen.toml: not valid TOML" in result.stderr


@pytest.mark.parametrize("where", ["config", "option"])
def test_a_source_lang_with_a_path_in_it_never_becomes_a_path(
    tmp_path: Path, run_cli: Run, where: str
) -> None:
    """Found by the fuzz run (seed 1, case 5327): the sibling source file is named after it."""
    (tmp_path / "de.json").write_text("{}\n")
    option: tuple[str, ...] = ("--source-lang", "de@x/../../y")
    if where == "config":
        (tmp_path / "l10n-qwen.toml").write_text('source-lang = "de@x/../../y"\n')
        option = ()
    result = run_cli("fill", "--provider", "pseudo", *option, "de.json")
    assert result.exit_code == 2
    if where == "config":
        assert "source-lang must be a locale code, not 'de@x/../../y'" in result.stderr
    assert (tmp_path / "de.json").read_text() == "{}\n"


@pytest.mark.parametrize(
    ("state", "what"),
    [
        ("[" * 100_000 + "]" * 100_000, "corrupt review state: nested too deeply"),
        ('{"version": ' + "1" * 5000 + "}", "corrupt review state: Exceeds the limit"),
        ('{"version": 1, "files": {"\\ud800": {}}}', "\\ud800 is half of a surrogate pair"),
    ],
    ids=["deep", "long-int", "surrogate"],
)
def test_a_review_state_python_cannot_hold_is_an_input_error(
    tmp_path: Path, run_cli: Run, state: str, what: str
) -> None:
    (tmp_path / "en.json").write_text('{"hi": "Hello"}\n')
    (tmp_path / "de.json").write_text("{}\n")
    (tmp_path / ".l10n-qwen-review.json").write_text(state)
    for command in (("check",), ("fill", "--provider", "pseudo")):
        result = run_cli(*command, "de.json")
        assert result.exit_code == 2
        assert f".l10n-qwen-review.json: {what}" in result.stderr
    assert (tmp_path / "de.json").read_text() == "{}\n"
