from __future__ import annotations

from pathlib import Path

import pytest

from l10n_qwen.config import api_key, find_project_root, load_settings
from l10n_qwen.errors import ConfigError


def test_defaults_without_config(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    settings = load_settings({}, cwd=tmp_path, env={})
    assert settings.model == "qwen-mt-flash"
    assert settings.concurrency == 8
    assert (settings.rpm, settings.tpm) == (60, 100_000)
    assert settings.project_root == tmp_path.resolve()


def test_precedence_file_then_env_then_cli(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.l10n-qwen]\nmodel = "qwen-mt-plus"\nconcurrency = 3\n'
        'base-url = "http://127.0.0.1:1/compatible-mode/v1"\ndomains = "A banking app."\n'
    )
    env = {"L10N_QWEN_BASE_URL": "http://127.0.0.1:2/compatible-mode/v1"}
    settings = load_settings({"concurrency": 5, "model": None}, cwd=tmp_path, env=env)
    assert settings.model == "qwen-mt-plus"  # file beats default; None on the CLI is "not given"
    assert settings.concurrency == 5  # CLI beats file
    assert settings.base_url == "http://127.0.0.1:2/compatible-mode/v1"  # env beats file
    assert settings.domains == "A banking app."


def test_l10n_qwen_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.l10n-qwen]\nmodel = "qwen-mt-plus"\n')
    (tmp_path / "l10n-qwen.toml").write_text('model = "qwen-mt-lite"\n')
    assert load_settings({}, cwd=tmp_path, env={}).model == "qwen-mt-lite"


def test_root_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "l10n-qwen.toml").write_text("")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_project_root(sub) == tmp_path.resolve()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('modle = "x"\n', "unknown setting 'modle'"),
        ('model = "gpt"\n', "model must be one of"),
        ("concurrency = 0\n", "concurrency must be a positive whole number"),
        ('cache = "yes"\n', "cache must be true or false"),
        ("model = \n", "not valid TOML"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "l10n-qwen.toml").write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        load_settings({}, cwd=tmp_path, env={})
    assert "l10n-qwen.toml" in str(info.value)


def test_missing_key_names_the_variable_and_the_offline_options() -> None:
    with pytest.raises(ConfigError) as info:
        api_key({})
    message = str(info.value)
    assert "DASHSCOPE_API_KEY" in message
    assert "--provider pseudo" in message
    assert "--dry-run" in message
    assert api_key({"DASHSCOPE_API_KEY": " sk-1 "}) == "sk-1"


def test_the_project_is_the_files_own_else_the_working_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "web").mkdir(parents=True)
    (project / "l10n-qwen.toml").write_text('model = "qwen-mt-plus"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    settings = load_settings({}, cwd=elsewhere, env={}, files=[project / "web" / "de.json"])
    assert settings.project_root == project.resolve()
    assert settings.model == "qwen-mt-plus"
    loose = tmp_path / "scratch"
    loose.mkdir()
    settings = load_settings({}, cwd=elsewhere, env={}, files=[loose / "de.po"])
    assert settings.project_root == elsewhere.resolve()
