"""What the review page lists: every entry awaiting review or stale, across the files.

The queue is loaded once when the page starts and reloaded file by file when a file (or the
review state) changes on disk. Each file keeps the fingerprint of the bytes it was read from:
a save naming an older fingerprint is refused, so a file edited meanwhile is never overwritten.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from l10n_qwen import languages, review, sync, workspace
from l10n_qwen.catalog import Entry, State, entry_key
from l10n_qwen.config import Settings
from l10n_qwen.errors import L10nError
from l10n_qwen.glossary import Glossary, load_glossary
from l10n_qwen.memory import Memory
from l10n_qwen.planning import display_path, glossary_for, load_memory, memory_key
from l10n_qwen.workspace import FileSpec, Target

#: Filter values of the page's state menu.
AWAITING = "awaiting"  # machine-filled, not yet reviewed (PO: fuzzy without ``#|``)
STALE = "stale"  # its source changed since (JSON/YAML review state; PO: fuzzy with ``#|``)


@dataclass
class Item:
    """One entry on the page."""

    id: str  # stable across reloads: a hash of the file and key
    file: LoadedFile
    entry: Entry
    status: str  # AWAITING or STALE
    previous: str | None = None  # PO ``#| msgid``: what the fuzzy guess was made from


@dataclass
class LoadedFile:
    """A target file as the page last read it."""

    spec: FileSpec
    shown: str  # relative to the project root, as messages name it
    locale: str
    language: str  # Qwen-MT name, which keys the translation memory
    fingerprint: str
    stamp: tuple[int, int, int]  # (mtime_ns, size, inode) of each read part: cheap change test
    items: list[Item] = field(default_factory=list)


def file_specs(settings: Settings, files: Sequence[Path]) -> list[FileSpec]:
    """The files to review: the given ones (with what their file set knows), else every
    configured target that exists."""
    if not files:
        _, specs, _ = sync.select(settings, [])  # no changed files: nothing is skipped
        return [spec for spec in specs if spec.path.exists()]
    sets = sync.file_sets(settings)
    known = {
        target.resolve(): FileSpec(target, locale, None if s.is_template else s.origin)
        for s in sets
        for locale, target in s.targets.items()
    }
    return [known.get(Path(path).resolve(), FileSpec(Path(path))) for path in files]


def _parts(spec: FileSpec, settings: Settings) -> list[Path]:
    """The files a target is read from: itself, and a JSON/YAML target's source file."""
    source = spec.source or settings.source
    return [spec.path] if spec.path.suffix == ".po" or source is None else [spec.path, source]


def stamp_of(spec: FileSpec, settings: Settings) -> tuple[int, int, int]:
    """(mtime, size, inode) of the files ``spec`` is read from, folded: a cheap change test."""
    stamp = (0, 0, 0)
    for part in _parts(spec, settings):
        try:
            info = part.stat()
        except FileNotFoundError:
            continue
        stamp = (stamp[0] ^ info.st_mtime_ns, stamp[1] + info.st_size, stamp[2] ^ info.st_ino)
    return stamp


def fingerprint(spec: FileSpec, settings: Settings) -> str:
    """A hash of the bytes of the files ``spec`` is read from, as they are now."""
    digest = hashlib.sha256()
    for part in _parts(spec, settings):
        try:
            digest.update(part.read_bytes())
        except FileNotFoundError:
            digest.update(b"\0missing")
    return digest.hexdigest()[:16]


def item_id(shown: str, key: str) -> str:
    """The id of the entry ``key`` of the file shown as ``shown``."""
    return hashlib.sha256(f"{shown}\0{key}".encode()).hexdigest()[:12]


class Queue:
    """Every file under review, their pending items, and what the page shows beside them."""

    def __init__(self, settings: Settings, specs: Sequence[FileSpec]) -> None:
        self.settings = settings
        self.specs = list(specs)
        self.glossary: Glossary | None = (
            load_glossary(settings.glossary) if settings.glossary else None
        )
        self.files: dict[str, LoadedFile] = {}
        self.memory = Memory()
        self._state_stamp: tuple[int, int] | None = None
        self.reload()

    # -- loading --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every file again: the translation memory is made from all of them."""
        # First: a change while reading shows up at the next refresh.
        self._state_stamp = _stat(self.settings.project_root / review.STATE_FILE)
        with workspace.open(self.settings, self.specs, translate=True) as opened:
            targets = opened.targets
        self.memory = load_memory(targets, self.settings)
        pairs = zip(self.specs, targets, strict=True)
        files = [self._loaded(spec, target) for spec, target in pairs]
        self.files = {loaded.shown: loaded for loaded in files}

    def _loaded(self, spec: FileSpec, target: Target) -> LoadedFile:
        stamp = stamp_of(spec, self.settings)  # first: a change while reading shows up later
        digest = fingerprint(spec, self.settings)
        shown = display_path(target.path, self.settings.project_root)
        loaded = LoadedFile(spec, shown, target.locale, target.language, digest, stamp)
        previous = _previous_msgids(target.path) if target.file.native_review else {}
        for entry in target.file.entries():
            if entry.state is not State.FUZZY:
                continue
            if target.file.native_review:
                status = STALE if entry.key in previous else AWAITING
            else:
                status = STALE if target.marks.get(entry.key) == "stale" else AWAITING
            loaded.items.append(
                Item(item_id(shown, entry.key), loaded, entry, status, previous.get(entry.key))
            )
        return loaded

    def refresh(self) -> None:
        """Reload whatever changed on disk since it was read (a stat per file: cheap)."""
        if _stat(self.settings.project_root / review.STATE_FILE) != self._state_stamp or any(
            stamp_of(loaded.spec, self.settings) != loaded.stamp for loaded in self.files.values()
        ):
            self.reload()

    # -- reading --------------------------------------------------------------------------
    def items(self) -> list[Item]:
        """Every pending item, file by file in the order given, in file order."""
        return [item for loaded in self.files.values() for item in loaded.items]

    def find(self, ident: str) -> Item | None:
        """The item with id ``ident``, if it is still pending."""
        return next((item for item in self.items() if item.id == ident), None)

    def terms(self, item: Item, translations: Sequence[str]) -> list[tuple[str, str, bool]]:
        """The glossary terms in the item's source: (source term, target term, present)."""
        glossary = self._glossary(item.file.locale)
        if glossary is None:
            return []
        source_lang, locale = self.settings.source_lang, item.file.locale
        found: dict[tuple[str, str], bool] = {}
        for source, translation in zip(item.entry.sources, translations, strict=False):
            missing = set(glossary.check_terms(source, translation, source_lang, locale))
            for term in glossary.terms_for(source, source_lang, locale, limit=50):
                found[term] = found.get(term, True) and term not in missing
        return [(source, target, present) for (source, target), present in found.items()]

    def _glossary(self, locale: str) -> Glossary | None:
        return glossary_for(self.glossary, self.settings.source_lang, locale)

    def memory_pairs(self, item: Item) -> list[tuple[str, str]]:
        """The approved pairs fill sends with this source as examples (``tm_list``)."""
        key = memory_key(item.file.locale, item.file.language)
        pairs: dict[tuple[str, str], None] = {}
        for source in dict.fromkeys(item.entry.sources):
            pairs.update(dict.fromkeys(self.memory.similar(key, source)))
        return list(pairs)


def _stat_full(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _stat(path: Path) -> tuple[int, int] | None:
    info = _stat_full(path)
    return None if info is None else (info.st_mtime_ns, info.st_size)


def _previous_msgids(path: Path) -> dict[str, str]:
    """PO: the ``#| msgid`` of each fuzzy entry that has one, by entry key (read-only)."""
    try:
        catalog = polib.pofile(str(path))
    except (OSError, ValueError):  # the adapter read it already; polib's view is a bonus
        return {}
    found = {}
    for poentry in catalog:
        if poentry.obsolete or not poentry.previous_msgid:
            continue
        found[entry_key(poentry.msgctxt, poentry.msgid)] = poentry.previous_msgid
    return found


def direction(locale: str) -> str:
    """``rtl`` for a right-to-left language, else ``ltr``."""
    try:
        return "rtl" if languages.babel_locale(locale).character_order == "right-to-left" else "ltr"
    except L10nError:
        return "ltr"


def wraps_by_character(locale: str) -> bool:
    """Chinese, Japanese and Korean text has no spaces to wrap at."""
    try:
        base = languages.normalize(locale).split("_")[0].split("-")[0].lower()
    except L10nError:
        return False
    return base in ("zh", "ja", "ko", "yue")
