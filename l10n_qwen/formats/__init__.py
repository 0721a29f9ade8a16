"""The format registry: one module per format, each with ``NAME``, ``SUFFIXES`` and ``load``.

Adding a format is one module and one name in ``_MODULES``; the suffix map is derived from each
module's own ``SUFFIXES`` so nothing is listed twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from l10n_qwen.catalog import LoadOptions, LocaleFile
from l10n_qwen.errors import UsageError
from l10n_qwen.formats import json, po, yaml


class FormatModule(Protocol):
    """What a format module provides."""

    NAME: str
    SUFFIXES: tuple[str, ...]

    def load(self, path: Path, options: LoadOptions) -> LocaleFile: ...


_MODULES: tuple[FormatModule, ...] = (po, json, yaml)

FORMATS: dict[str, FormatModule] = {module.NAME: module for module in _MODULES}
SUFFIXES: dict[str, FormatModule] = {
    suffix: module for module in _MODULES for suffix in module.SUFFIXES
}


def format_for(path: Path) -> FormatModule:
    """The format module for ``path``, by its suffix (``.po``, ``.json``, ``.yml`` ...)."""
    module = SUFFIXES.get(path.suffix.lower())
    if module is None:
        known = ", ".join(sorted(SUFFIXES))
        raise UsageError(f"{path}: unknown file type {path.suffix or '(none)'!r}; known: {known}")
    return module


def load(path: Path, options: LoadOptions) -> LocaleFile:
    """Load ``path`` with the format its suffix names."""
    return format_for(path).load(path, options)
