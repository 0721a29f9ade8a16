"""Shared test helpers: the fake Qwen-MT server first; add further fixtures below it."""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from l10n_qwen.cli import cli
from tests.fakeserver import FakeQwenServer


@pytest.fixture
def fake_qwen() -> Iterator[FakeQwenServer]:
    """A fake Qwen-MT service on 127.0.0.1 speaking both protocols, stopped after the test.

    ``fake_qwen.compat_url`` / ``.native_url`` are the base URLs, ``.api_key`` the key it
    accepts. A request that breaks the protocol fails the test at teardown, unless the test set
    ``fake_qwen.allow_violations = True`` (it sends bad requests on purpose).
    """
    with FakeQwenServer() as server:
        yield server
    if server.violations and not server.allow_violations:
        pytest.fail("requests broke the Qwen-MT protocol:\n" + "\n".join(server.violations))


# -- files and commands ---------------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def copy_fixture(name: str, dest: Path) -> Path:
    """Copy ``fixtures/NAME`` (a folder) into ``dest`` and return the copy's path."""
    target = dest / Path(name).name
    shutil.copytree(FIXTURES / name, target)
    return target


def msgfmt_check(path: Path) -> None:
    """Fail unless GNU msgfmt accepts ``path`` with format checks on fuzzy entries too."""
    done = subprocess.run(
        ["msgfmt", "--check-format", "--use-fuzzy", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"msgfmt rejected {path}:\n{done.stderr}"


#: click < 8.2 mixes stderr into stdout unless told not to; 8.2 always keeps them apart and
#: no longer takes the argument.
_SEPARATE_STDERR: dict[str, Any] = (
    {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
)


@dataclass
class CliRun:
    """The outcome of one CLI invocation."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., CliRun]:
    """Run ``l10n-qwen ARGS`` in-process (CliRunner) with ``tmp_path`` as the project root."""
    (tmp_path / ".git").mkdir(exist_ok=True)  # marks the project root: cache lives under it
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    monkeypatch.delenv("L10N_QWEN_BASE_URL", raising=False)

    def run(*args: str | Path, key: str | None = None, env: dict[str, str] | None = None) -> CliRun:
        full_env = dict(env or {})
        if key is not None:
            full_env["DASHSCOPE_API_KEY"] = key
        runner = CliRunner(**_SEPARATE_STDERR)
        result = runner.invoke(cli, [str(a) for a in args], env=full_env, catch_exceptions=False)
        return CliRun(result.exit_code, result.stdout, result.stderr)

    return run
