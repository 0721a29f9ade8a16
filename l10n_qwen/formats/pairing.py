"""Find the source-language file a JSON/YAML target is filled from.

In order: ``options.source_path`` (``--source`` or the config), else the sibling that names the
source locale where the target names its own: ``de.json`` -> ``en.json``, ``app_de.arb`` ->
``app_en.arb``, ``messages.de.yml`` -> ``messages.en.yml``, ``locales/de/app.json`` ->
``locales/en/app.json``, ``_locales/de/messages.json`` -> ``_locales/en/messages.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from l10n_qwen.catalog import LoadOptions
from l10n_qwen.errors import L10nError, UsageError
from l10n_qwen.languages import locale_from_path, normalize
from l10n_qwen.paths import is_locale

_SUBTAG_SEP = re.compile(r"[-_]")


@dataclass(frozen=True)
class Pairing:
    """A target file, its locale, and its source file (None when the target is the source)."""

    target: Path
    locale: str | None  # the target's locale code (as given, else from the path)
    locale_token: str | None  # how the path spells it ("pt-BR"), for a Rails root / @@locale
    source: Path | None
    source_locale: str | None = None  # the source file's locale (None when unknown: "auto")


def _same_locale(a: str, b: str) -> bool:
    try:
        return normalize(a) == normalize(b)
    except L10nError:
        return a.casefold() == b.casefold()


def _respell(code: str, like: str) -> str:
    """``code`` with the subtag separator ``like`` uses (``en_US`` like ``pt-BR`` -> ``en-US``)."""
    sep = "-" if "-" in like else "_"
    return _SUBTAG_SEP.sub(sep, code)


def _swaps(path: Path, locale: str, source_lang: str) -> list[tuple[Path, str]]:
    """Paths with the token that spells ``locale`` replaced by ``source_lang``; and that token."""
    found: list[tuple[Path, str]] = []
    # It becomes a part of a path: never "x/../y" (issue #8); "{locale}" makes a pattern.
    if source_lang != "{locale}" and not is_locale(source_lang):
        return found
    pieces = path.stem.split(".")
    for i in reversed(range(len(pieces))):
        subtags = _SUBTAG_SEP.split(pieces[i])
        for start in range(len(subtags)):
            # The token is the whole piece or its trailing subtags: "app_pt_BR" -> "pt_BR".
            offset = sum(len(s) + 1 for s in subtags[:start])
            token = pieces[i][offset:]
            if _same_locale(token, locale):
                new = [*pieces]
                new[i] = pieces[i][:offset] + _respell(source_lang, token)
                found.append((path.with_name(".".join(new) + path.suffix), token))
                break
    parents = list(path.parents)[:3]
    for parent in parents:
        if parent.name and _same_locale(parent.name, locale):
            rel = path.relative_to(parent)
            new_dir = parent.with_name(_respell(source_lang, parent.name))
            found.append((new_dir / rel, parent.name))
    return found


def source_twin(path: Path, locale: str, source_lang: str) -> tuple[Path, Path] | None:
    """The source file the sibling rule looks for first, and ``path`` as a target pattern with
    ``{locale}`` for its locale: ``web/de.json`` -> (``web/en.json``, ``web/{locale}.json``)."""
    sources = _swaps(Path(path), locale, source_lang)
    patterns = _swaps(Path(path), locale, "{locale}")
    if not sources or not patterns:
        return None
    return sources[0][0], patterns[0][0]


def pair(path: Path, options: LoadOptions) -> Pairing:
    """Work out the target's locale and find its source file; UsageError naming what was tried."""
    path = Path(path)
    locale = options.target_lang or locale_from_path(path)
    if options.source_path is not None:
        source = Path(options.source_path)
        if source.resolve() == path.resolve():
            return Pairing(path, locale, None, None)
        token = None
        if locale is not None:
            swaps = _swaps(path, locale, options.source_lang)
            token = swaps[0][1] if swaps else None
        if not source.is_file():
            raise UsageError(f"{path}: source file {source} (--source) does not exist")
        return Pairing(path, locale, token, source, _source_locale(source, options))
    if (
        locale is not None
        and options.source_lang != "auto"
        and _same_locale(locale, options.source_lang)
    ):
        return Pairing(path, locale, None, None)  # the source file itself: nothing to fill
    if locale is None:
        raise UsageError(
            f"{path}: cannot tell which language this file is in (its path names no locale); "
            "pass --target-lang, and --source for the source-language file"
        )
    if options.source_lang == "auto":
        raise UsageError(f"{path}: with --source-lang auto, name the source file with --source")
    swaps = _swaps(path, locale, options.source_lang)
    for candidate, token in swaps:
        if candidate.is_file():
            return Pairing(path, locale, token, candidate, options.source_lang)
    tried = ", ".join(str(c) for c, _ in swaps) or "(the path names no locale to swap)"
    raise UsageError(
        f"{path}: no {options.source_lang!r} source file found (looked for {tried}); "
        "pass --source or configure the source file"
    )


def _source_locale(source: Path, options: LoadOptions) -> str | None:
    if options.source_lang != "auto":
        return options.source_lang
    return locale_from_path(source)
