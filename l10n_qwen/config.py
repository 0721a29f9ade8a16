"""Settings: defaults < config file < environment < command line.

The config file is ``l10n-qwen.toml`` at the project root, or the ``[tool.l10n-qwen]`` table of
``pyproject.toml``; its keys are the long option names (``target-lang``, ``concurrency``, ...).
The project root is the nearest folder upwards from the working directory holding one of those
files or ``.git``.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n_qwen.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

API_KEY_ENV = "DASHSCOPE_API_KEY"
BASE_URL_ENV = "L10N_QWEN_BASE_URL"
CONFIG_NAME = "l10n-qwen.toml"
STATE_DIR = ".l10n-qwen"


@dataclass
class Settings:
    """Everything a command needs to know, whatever it came from."""

    target_lang: str | None = None
    source_lang: str = "en"
    source: Path | None = None
    glossary: Path | None = None
    tm: tuple[Path, ...] = ()
    domains: str | None = None
    model: str = "qwen-mt-flash"
    region: str = "singapore"
    base_url: str | None = None
    api: str = "openai"
    concurrency: int = 8
    rpm: int = 60
    tpm: int = 100_000
    batch_size: int = 1
    cache: bool = True
    include_fuzzy: bool = False
    fuzzy: bool = True
    provider: str = "qwen"
    dry_run: bool = False
    report: Path | None = None
    seed: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    repetition_penalty: float | None = None
    max_tokens: int | None = None
    save_interval: float = 2.0  # seconds between saves of finished work during a run
    project_root: Path = field(default_factory=Path.cwd)
    file_sets: tuple[dict[str, Any], ...] = ()  # [[tool.l10n-qwen.files]] tables, for sync


_PATH_KEYS = {"source", "glossary", "report"}
_CHOICES = {
    "model": ("qwen-mt-plus", "qwen-mt-flash", "qwen-mt-lite", "qwen-mt-turbo"),
    "region": ("singapore", "us", "beijing"),
    "api": ("openai", "dashscope"),
    "provider": ("qwen", "pseudo"),
}


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder upwards holding ``l10n-qwen.toml``, ``pyproject.toml`` or ``.git``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / name).exists() for name in (CONFIG_NAME, "pyproject.toml", ".git")):
            return folder
    return here


def read_config_file(root: Path) -> tuple[dict[str, Any], Path | None]:
    """The config table and the file it came from (empty when there is none)."""
    for path, table in (
        (root / CONFIG_NAME, None),
        (root / "pyproject.toml", ("tool", "l10n-qwen")),
    ):
        if not path.is_file():
            continue
        try:
            data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        for part in table or ():
            data = data.get(part, {})
            if not isinstance(data, dict):
                raise ConfigError(f"{path}: [tool.l10n-qwen] must be a table")
        if table is None or data:
            return data, path
    return {}, None


def _coerce(name: str, value: Any, root: Path, origin: str) -> Any:
    """Check one setting's type and turn paths into ``Path`` objects relative to the root."""
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    if name not in fields or name in {"project_root", "file_sets", "dry_run"}:
        raise ConfigError(f"{origin}: unknown setting {name.replace('_', '-')!r}")
    if name in _CHOICES and value not in _CHOICES[name]:
        raise ConfigError(
            f"{origin}: {name.replace('_', '-')} must be one of {', '.join(_CHOICES[name])}, "
            f"not {value!r}"
        )
    if name in _PATH_KEYS and value is not None:
        return root / Path(value)
    if name == "tm":
        values = [value] if isinstance(value, str) else list(value)
        return tuple(root / Path(v) for v in values)
    default = getattr(Settings(), name)
    if isinstance(default, bool) and not isinstance(value, bool):
        raise ConfigError(f"{origin}: {name.replace('_', '-')} must be true or false")
    wrong_int = not isinstance(value, int) or isinstance(value, bool) or value < 1
    if isinstance(default, int) and not isinstance(default, bool) and wrong_int:
        raise ConfigError(f"{origin}: {name.replace('_', '-')} must be a positive whole number")
    return value


def load_settings(
    cli: Mapping[str, Any], *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Merge defaults, the config file, the environment and the given command-line values.

    ``cli`` holds only the options the user actually gave (``None`` values are ignored).
    """
    env = os.environ if env is None else env
    root = find_project_root(cwd)
    settings = Settings(project_root=root)
    table, path = read_config_file(root)
    origin = str(path) if path else "config"
    for raw_key, value in table.items():
        if raw_key == "files":
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise ConfigError(f"{origin}: files must be an array of tables ([[...files]])")
            settings.file_sets = tuple(value)
            continue
        key = raw_key.replace("-", "_")
        setattr(settings, key, _coerce(key, value, root, origin))
    if env.get(BASE_URL_ENV):
        settings.base_url = env[BASE_URL_ENV]
    cwd_path = (cwd or Path.cwd()).resolve()
    for key, value in cli.items():
        if value is None or (key == "tm" and not value):
            continue
        if key in _PATH_KEYS:
            value = cwd_path / Path(value)
        elif key == "tm":
            value = tuple(cwd_path / Path(v) for v in value)
        setattr(settings, key, value)
    return settings


def api_key(env: Mapping[str, str] | None = None) -> str:
    """The API key from ``DASHSCOPE_API_KEY``, or a ConfigError telling how to run without one."""
    env = os.environ if env is None else env
    key = env.get(API_KEY_ENV, "").strip()
    if not key:
        raise ConfigError(
            f"no API key: set {API_KEY_ENV} to a Qwen-MT (Alibaba Cloud Model Studio) key for "
            "your region, or run offline with --provider pseudo or --dry-run"
        )
    return key
