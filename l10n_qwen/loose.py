"""Changed JSON/YAML locale files that no configured file set covers, as the hooks meet them.

pre-commit hands the hooks every changed ``.json``/``.yml``; one outside every file set is still
a locale file if its path names a locale (``web/de.json``), and the hooks must not pass it in
silence (``l10n-qwen check web/de.json`` would fail it). It is paired with its source file the
way ``fill`` pairs it (``pairing.pair``: ``web/de.json`` -> ``web/en.json``) and handled like a
target of a file set; one that cannot be paired, or that is a source file itself, is named as
skipped, with the file set that would cover it. A path naming no locale (``package.json``,
``.pre-commit-config.yaml``) is no locale file: it is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from l10n_qwen.catalog import LoadOptions
from l10n_qwen.errors import UsageError
from l10n_qwen.formats import json as json_format
from l10n_qwen.formats import yaml as yaml_format
from l10n_qwen.formats.pairing import pair, source_twin
from l10n_qwen.languages import locale_from_path
from l10n_qwen.planning import display_path
from l10n_qwen.workspace import FileSpec

SUFFIXES = frozenset(json_format.SUFFIXES + yaml_format.SUFFIXES)


@dataclass(frozen=True)
class Skipped:
    """A changed locale file the hooks did not check, and why."""

    path: str  # as shown
    reason: str
    config: str  # a file set (TOML) that would cover it

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}; to cover it, configure: {self.config}"


def pick(
    changed: Iterable[Path], covered: set[Path], source_lang: str, root: Path
) -> tuple[list[FileSpec], list[Skipped]]:
    """The changed JSON/YAML locale files outside ``covered`` (resolved paths): what to check
    as paired by ``fill``, and what is skipped."""
    specs: list[FileSpec] = []
    skipped: list[Skipped] = []
    for path in changed:
        if path.suffix.lower() not in SUFFIXES or path.resolve() in covered:
            continue
        locale = locale_from_path(path)
        if locale is None or not path.exists():
            continue  # not a locale file; or deleted, and nothing is left to check
        shown = display_path(path, root)
        try:
            pairing = pair(path, LoadOptions(source_lang=source_lang))
        except UsageError as exc:
            why = str(exc).split(": ", 1)[-1].split("; pass ", 1)[0]
            reason = f"no file set covers it, and {why}"
            skipped.append(Skipped(shown, reason, _file_set(path, locale, source_lang, root)))
            continue
        if pairing.source is None:
            reason = "a source-language file outside every file set: its targets are unknown"
            skipped.append(Skipped(shown, reason, _file_set(path, locale, source_lang, root)))
            continue
        specs.append(FileSpec(path, pairing.locale, pairing.source))
    return specs, skipped


def _file_set(path: Path, locale: str, source_lang: str, root: Path) -> str:
    """The ``[[files]]`` table that would cover ``path`` (TOML, on one line)."""
    twin = source_twin(path, locale, source_lang)
    if twin is None:
        return (
            f'[[files]] source = "<the {source_lang} file>" '
            f'target = "{display_path(path, root)}" locales = ["{locale}"]'
        )
    source, pattern = twin
    return (
        f'[[files]] source = "{display_path(source, root)}" '
        f'target = "{display_path(pattern, root)}"'
    )
