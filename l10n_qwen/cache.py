"""Persistent translation cache (SQLite) so a rerun never pays twice for the same text.

Keyed on what shapes the answer: model, languages, text, terms and domains (the hints).
The key is a hash; the API key is never part of it. A corrupt or unreadable cache is reported,
moved aside and rebuilt: losing the cache costs money, never correctness.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from l10n_qwen.fsutil import state_dir
from l10n_qwen.provider import TranslationRequest

log = logging.getLogger("l10n_qwen")

#: Keys asked in one query: well under SQLite's oldest limit of 999 parameters.
_CHUNK = 500
#: Read the whole table rather than look keys up when at least a third of its rows are asked
#: for: a row read in order costs about a third of a lookup by key.
_SCAN_SHARE = 3
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS translations "
    "(key TEXT PRIMARY KEY, text TEXT NOT NULL, checked TEXT NOT NULL DEFAULT '')"
)


#: The string encoder ``json.dumps(..., ensure_ascii=False)`` uses (C where available).
_encode_string = json.encoder.encode_basestring


def cache_key(model: str, request: TranslationRequest) -> str:
    """A stable hash of what decides the translation of ``request``.

    The ``tm_list`` is left out: its pairs are examples of the project's wording, not part of
    the text's meaning, and leaving them out lets the cache answer before the memory is
    searched for them (the costly part of a large run that the cache settles).
    """
    # The JSON text of [2, model, source, target, text, sorted terms, domains], as
    # json.dumps(..., ensure_ascii=False) writes it (version 2: 1 held the tm_list), put
    # together from json's own string encoder: the generic encoder was a fifth of a fully
    # cached run. tests/test_cache.py holds it to json.dumps.
    enc = _encode_string
    terms = (
        ", ".join(f"[{enc(a)}, {enc(b)}]" for a, b in sorted(request.terms))
        if request.terms
        else ""
    )
    material = (
        f"{_key_prefix(model, request.source_lang, request.target_lang)}"
        f"{enc(request.text)}, [{terms}], {enc(request.domains or '')}]"
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=64)
def _key_prefix(model: str, source_lang: str, target_lang: str) -> str:
    """The start of ``cache_key``'s JSON text: the same for every text of a language."""
    enc = _encode_string
    return f"[2, {enc(model)}, {enc(source_lang)}, {enc(target_lang)}, "


class TranslationCache:
    """A key-value store of finished translations; each ``put`` is committed at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        state_dir(self.path.parent)
        try:
            db = sqlite3.connect(self.path)
            db.execute(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(translations)")}
            if "checked" not in columns:  # a cache written before translations were stamped
                db.execute("ALTER TABLE translations ADD COLUMN checked TEXT NOT NULL DEFAULT ''")
            db.execute("SELECT count(*) FROM translations").fetchone()
            return db
        except sqlite3.DatabaseError as exc:
            broken = self.path.with_name(self.path.name + ".corrupt")
            log.warning(
                "translation cache %s is unreadable (%s); starting a new one", self.path, exc
            )
            self.path.replace(broken)
            db = sqlite3.connect(self.path)
            db.execute(_SCHEMA)
            return db

    def get(self, key: str) -> str | None:
        """The cached translation for ``key``, if any."""
        try:
            row = self._db.execute("SELECT text FROM translations WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            log.warning("translation cache read failed: %s", exc)
            return None
        return None if row is None else str(row[0])

    def get_many(self, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
        """``(translation, checked)`` for those of ``keys`` the cache holds.

        ``checked`` is the stamp ``put`` was given: what the translation was verified against.
        """
        try:
            if len(keys) * _SCAN_SHARE >= self._rows():
                return self._scan(keys)
            found: dict[str, tuple[str, str]] = {}
            for start in range(0, len(keys), _CHUNK):  # one query per 500
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, text, checked FROM translations WHERE key IN ({marks})", chunk
                )
                found.update((str(key), (str(text), str(checked))) for key, text, checked in rows)
            return found
        except sqlite3.DatabaseError as exc:
            log.warning("translation cache read failed: %s", exc)
            return {}

    def _rows(self) -> int:
        """At least the number of rows (the largest rowid: one step down the table's tree)."""
        row = self._db.execute("SELECT max(rowid) FROM translations").fetchone()
        return int(row[0] or 0)

    def _scan(self, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
        """The rows of ``keys`` by reading the whole table in order: when most rows are
        asked for (a rerun of the project's files), far cheaper than a lookup in the key's
        index and then the table for each one (~5 µs a key, a fifth of a fully cached run)."""
        wanted = {key: key for key in keys}  # a row's key -> the caller's same string
        stamps: dict[str, str] = {}  # a run has a few distinct stamps: one string each
        found: dict[str, tuple[str, str]] = {}
        for key, text, checked in self._db.execute("SELECT key, text, checked FROM translations"):
            own = wanted.get(key)
            if own is not None:
                found[own] = (text, stamps.setdefault(checked, checked))
        return found

    def put(self, key: str, text: str, checked: str = "") -> None:
        """Store a verified translation; it is on disk after the next ``flush``.

        ``checked`` stamps what it was verified against (``planning.Unit.check_stamp``): a
        later run that would verify it the same way can take it as it is.

        Committing each one would cost a disk sync per entry; the pipeline flushes whenever it
        saves the files, so the cache never lags behind what a rerun needs by more than that.
        """
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO translations (key, text, checked) VALUES (?, ?, ?)",
                (key, text, checked),
            )
        except sqlite3.DatabaseError as exc:
            log.warning("translation cache write failed: %s", exc)

    def forget(self, text: str) -> None:
        """Drop every cached translation that reads ``text``: a reviewer sent it back, so the
        next fill asks the service again instead of serving the rejected answer."""
        try:
            self._db.execute("DELETE FROM translations WHERE text = ?", (text,))
        except sqlite3.DatabaseError as exc:
            log.warning("translation cache write failed: %s", exc)

    def flush(self) -> None:
        """Commit what ``put`` stored."""
        try:
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            log.warning("translation cache write failed: %s", exc)

    def close(self) -> None:
        """Commit and close the database."""
        self.flush()
        self._db.close()
