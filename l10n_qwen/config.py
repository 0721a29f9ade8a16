"""Settings: defaults < config file < environment < command line.

The config file is ``l10n-qwen.toml`` at the project root, or the ``[tool.l10n-qwen]`` table of
``pyproject.toml``; its keys are the long option names (``target-lang``, ``concurrency``, ...).
The project root is the nearest folder upwards from the working directory holding one of those
files or ``.git``.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n_qwen import service
from l10n_qwen.errors import ConfigError
from l10n_qwen.paths import inside

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

API_KEY_ENV = "DASHSCOPE_API_KEY"
BASE_URL_ENV = "L10N_QWEN_BASE_URL"
CONFIG_NAME = "l10n-qwen.toml"


@dataclass
class Settings:
    """Everything a command needs to know, whatever it came from."""

    target_lang: str | None = None
    source_lang: str = "en"
    source: Path | None = None
    glossary: Path | None = None
    tm: tuple[Path, ...] = ()
    domains: str | None = None
    model: str = service.DEFAULT_MODEL
    region: str = service.DEFAULT_REGION
    base_url: str | None = None
    api: str = service.DEFAULT_API
    concurrency: int = 8
    rpm: int = 60
    tpm: int = 100_000
    batch_size: int = 0  # 0: auto, sized per run to the quota and token limits
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
    progress_interval: float = 10.0  # seconds between progress lines when stderr is no terminal
    project_root: Path = field(default_factory=Path.cwd)
    file_sets: tuple[dict[str, Any], ...] = ()  # [[tool.l10n-qwen.files]] tables, for sync


_PATH_KEYS = {"source", "glossary", "report"}
#: The settings with a fixed set of values (the command line offers the same as choices).
CHOICES = {
    "model": service.MODELS,
    "region": service.REGIONS,
    "api": service.APIS,
    "provider": ("qwen", "pseudo"),
}


def _marked_folder(start: Path) -> Path | None:
    here = start.resolve()
    for folder in (here, *here.parents):
        if any((folder / name).exists() for name in (CONFIG_NAME, "pyproject.toml", ".git")):
            return folder
    return None


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder upwards holding ``l10n-qwen.toml``, ``pyproject.toml`` or ``.git``;
    the starting folder itself when there is none."""
    here = start or Path.cwd()
    return _marked_folder(here) or here.resolve()


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
        except ValueError as exc:  # TOMLDecodeError, UnicodeDecodeError, a 5,000-digit int
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        for part in table or ():
            data = data.get(part, {})
            if not isinstance(data, dict):
                raise ConfigError(f"{path}: [tool.l10n-qwen] must be a table")
        if table is None or data:
            return data, path
    return {}, None


_STRINGS = {"target_lang", "source_lang", "domains", "base_url", "model", "region", "api"}
_STRINGS |= {"provider"}
_POSITIVE = {"concurrency", "rpm", "tpm", "batch_size"}
_FLAGS = {"cache", "include_fuzzy", "fuzzy"}
_NUMBERS = {"temperature", "top_p", "repetition_penalty", "save_interval", "progress_interval"}
_WHOLE = {"seed", "top_k", "max_tokens"}


def _coerce(name: str, value: Any, root: Path, origin: str) -> tuple[str, Any]:
    """Check one setting's type: (the Settings field, its value; paths relative to the root).

    ``no-cache = true`` and ``no-fuzzy = true`` work as on the command line.
    """
    shown = name.replace("_", "-")
    if name.startswith("no_") and name[3:] in _FLAGS and isinstance(value, bool):
        return name[3:], not value

    def wrong(kind: str) -> ConfigError:
        return ConfigError(f"{origin}: {shown} must be {kind}, not {value!r}")

    is_int = isinstance(value, int) and not isinstance(value, bool)
    if name in _STRINGS | _PATH_KEYS:
        if not isinstance(value, str) or not value:
            raise wrong("a non-empty string")
        if name in ("source_lang", "target_lang") and ("/" in value or "\\" in value):
            raise wrong("a locale code")  # it may become part of a path (issue #8)
        if name in CHOICES and value not in CHOICES[name]:
            raise wrong(f"one of {', '.join(CHOICES[name])}")
        if name == "report":  # a config's report stays in the project (see paths.py)
            return name, inside(Path(value), root, f"{origin}: report = {value!r}")
        return name, root / value if name in _PATH_KEYS else value
    if name == "tm":
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise wrong("a path or a list of paths")
        return name, tuple(root / v for v in values)
    if name in _FLAGS:
        if not isinstance(value, bool):
            raise wrong("true or false")
        return name, value
    if name == "batch_size" and value == "auto":
        return name, 0
    if name in _POSITIVE:
        if not is_int or value < 1:
            raise wrong(
                'a positive whole number or "auto"'
                if name == "batch_size"
                else "a positive whole number"
            )
        return name, value
    if name in _WHOLE:
        if not is_int or value < 0:
            raise wrong("a whole number, 0 or more")
        return name, value
    if name in _NUMBERS:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise wrong("a number")
        if not math.isfinite(value):  # TOML has inf and nan; no setting means either
            raise wrong("a finite number")
        return name, value
    raise ConfigError(f"{origin}: unknown setting {shown!r}")


def load_settings(
    cli: Mapping[str, Any],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    files: Sequence[Path] = (),
) -> Settings:
    """Merge defaults, the config file, the environment and the given command-line values.

    ``cli`` holds only the options the user actually gave (``None`` values are ignored). The
    project is the one around the first of ``files`` when given (its config and review state
    are what apply to them, wherever the command runs), else the one around the working folder.
    """
    env = os.environ if env is None else env
    root = find_project_root(cwd)
    if files:  # unmarked files (a scratch copy in /tmp) stay with the working folder
        root = _marked_folder(((cwd or Path.cwd()) / files[0]).parent) or root
    settings = Settings(project_root=root)
    table, path = read_config_file(root)
    origin = str(path) if path else "config"
    for raw_key, value in table.items():
        if raw_key == "files":
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise ConfigError(f"{origin}: files must be an array of tables ([[...files]])")
            settings.file_sets = tuple(value)
            continue
        key, checked = _coerce(raw_key.replace("-", "_"), value, root, origin)
        setattr(settings, key, checked)
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
