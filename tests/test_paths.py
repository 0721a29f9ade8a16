"""Writes stay in the project: a repository's config cannot lead ``sync`` out of it (issue #8)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from l10n_qwen.errors import ConfigError
from l10n_qwen.paths import check_locale, inside
from tests.conftest import CliRun

Run = Callable[..., CliRun]


@pytest.fixture
def layout(tmp_path: Path, run_cli: Run) -> tuple[Path, Path]:
    """A project (``tmp_path``, with loc/en.json) and a victim folder beside it, outside."""
    (tmp_path / "loc").mkdir()
    (tmp_path / "loc/en.json").write_text('{"hello": "Hello", "on": true}\n')
    victim = tmp_path.parent / f"{tmp_path.name}-victim"
    victim.mkdir()
    (victim / "settings.json").write_text('{"security.workspace.trust.enabled": true}\n')
    return tmp_path, victim


def everything(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def sync_with(project: Path, run_cli: Run, config: str) -> CliRun:
    (project / "l10n-qwen.toml").write_text(config)
    return run_cli("sync", "--provider", "pseudo")


JSON_SET = '[[files]]\nsource = "loc/en.json"\n'


@pytest.mark.parametrize(
    ("config", "named"),
    [
        (JSON_SET + 'target = "../{victim}/{{locale}}.json"\nlocales = ["settings"]\n', "target"),
        (JSON_SET + 'target = "loc/../../{victim}/{{locale}}.json"\n', "target"),
        (JSON_SET + 'target = "{root}/../{victim}/{{locale}}.json"\n', "target"),
        (
            JSON_SET + 'target = "loc/{{locale}}.json"\n'
            'locales = ["de@x/../../../{victim}/settings"]\n',
            "'de@x/../../../",
        ),
        (JSON_SET + 'target = "loc/{{locale}}.json"\nlocales = ["de.x/../.."]\n', "'de.x/../..'"),
        (JSON_SET + 'target = "loc/{{locale}}.json"\nlocales = ["de/../../x"]\n', "'de/../../x'"),
        ('report = "../{victim}/r.json"\n' + JSON_SET + 'target="loc/{{locale}}.json"\n', "report"),
    ],
)
def test_a_config_cannot_lead_sync_out_of_the_project(
    layout: tuple[Path, Path], run_cli: Run, config: str, named: str
) -> None:
    project, victim = layout
    (victim / "de.json").write_text("{}\n")  # a glob over ../victim would find this one
    (project / "l10n-qwen.toml").write_text(config.format(victim=victim.name, root=project))
    before = everything(victim), everything(project)
    result = run_cli("sync", "--provider", "pseudo")
    assert result.exit_code == 2, result.stderr
    assert named.format(victim=victim.name) in result.stderr
    assert "outside the project" in result.stderr or "not a locale code" in result.stderr
    assert (everything(victim), everything(project)) == before


def test_a_symlinked_target_folder_is_refused(layout: tuple[Path, Path], run_cli: Run) -> None:
    project, victim = layout
    (project / "out").symlink_to(victim)
    before = everything(victim)
    result = sync_with(project, run_cli, JSON_SET + 'target = "out/{locale}.json"\nlocales=["de"]')
    assert result.exit_code == 2
    assert "a link to" in result.stderr and "outside the project" in result.stderr
    assert everything(victim) == before


@pytest.mark.parametrize("link", [".l10n-qwen", ".l10n-qwen/lock", ".l10n-qwen/cache.sqlite3"])
def test_a_symlinked_state_folder_or_file_is_refused(
    layout: tuple[Path, Path], run_cli: Run, link: str
) -> None:
    project, victim = layout
    if link != ".l10n-qwen":
        (project / ".l10n-qwen").mkdir()
    (project / link).symlink_to(victim / "x")
    (project / "l10n-qwen.toml").write_text(JSON_SET + 'target = "loc/{locale}.json"\n')
    result = run_cli("fill", "--provider", "pseudo", "--target-lang", "de", "loc/de.json")
    assert result.exit_code == 2
    assert "is a symbolic link" in result.stderr and link in result.stderr
    assert not (victim / "x").exists()
    assert not (project / "loc/de.json").exists()


def test_a_report_named_on_the_command_line_goes_where_the_user_says(
    layout: tuple[Path, Path], run_cli: Run
) -> None:
    project, victim = layout
    config = JSON_SET + 'target = "loc/{locale}.json"\nlocales = ["de"]\n'
    (project / "l10n-qwen.toml").write_text(config)
    result = run_cli("sync", "--provider", "pseudo", "--report", str(victim / "r.json"))
    assert result.exit_code == 0, result.stderr
    assert (victim / "r.json").is_file()


@pytest.mark.parametrize(
    "code", ["de", "pt_BR", "pt-BR", "zh-Hant-TW", "sr@latin", "de_DE.UTF-8", "ca_ES@valencia"]
)
def test_real_locale_codes_pass(code: str) -> None:
    assert check_locale(code, "x") == code


@pytest.mark.parametrize("code", ["", "de/x", "..", "de\\x", "de@x/..", "de.x/../..", "d", " de"])
def test_codes_that_are_not_locales_are_refused(code: str) -> None:
    with pytest.raises(ConfigError, match="is not a locale code"):
        check_locale(code, "x")


def test_inside_keeps_paths_within_the_root(tmp_path: Path) -> None:
    assert inside(Path("a/../b.json"), tmp_path, "x") == tmp_path / "b.json"
    with pytest.raises(ConfigError, match="outside the project"):
        inside(Path("a/../../b.json"), tmp_path, "x")
