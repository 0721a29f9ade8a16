"""Review state for formats without a fuzzy flag (JSON, YAML): ``.l10n-qwen-review.json``.

One file at the project root records, per target file (path relative to the root, POSIX slashes)
and entry key, a hash of the source text the value was machine-translated from and whether a
person approved it. It is sorted with one line per key, so it diffs and merges well::

    {
      "version": 1,
      "files": {
        "locales/de.json": {
          "common.cancel": {"source": "9c6b057a2b9d5d9b", "approved": false},
          "notes.title": {"source": "0e4c3e5c8f0a1f43", "approved": true}
        }
      }
    }

A key's status: ``awaiting`` (machine-filled, not approved), ``stale`` (its source text changed
since it was translated or approved), ``approved``; a key not in the file was written by a person
and counts as approved. ``apply`` turns awaiting and stale entries of a loaded file into
``State.FUZZY``, so every command treats them like PO's fuzzy entries.

``workspace.open`` loads the state and ``apply``s it to every file it loads; after each fill the
pipeline calls ``record_fill``; ``checks.approve`` (the ``approve`` command and the review page)
calls ``ReviewState.approve``; whoever changed it calls ``save``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from l10n_qwen.catalog import Entry, LocaleFile, State
from l10n_qwen.errors import InputError
from l10n_qwen.fsutil import atomic_write
from l10n_qwen.limits import check_surrogates

STATE_FILE = ".l10n-qwen-review.json"
VERSION = 1

Status = Literal["approved", "awaiting", "stale"]
SourceText = str | Sequence[str]


def source_hash(source: SourceText) -> str:
    """A short, stable hash of a source text (or of all source forms of a PO plural)."""
    text = source if isinstance(source, str) else "\x00".join(source)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class ReviewState:
    """The review state of one project; change it with ``record``/``approve``, then ``save``."""

    def __init__(self, root: Path, files: dict[str, dict[str, tuple[str, bool]]] | None = None):
        """A state for the project at ``root``; ``files`` is what its state file holds, if any."""
        self.root = Path(root)
        self.path = self.root / STATE_FILE
        self._files: dict[str, dict[str, tuple[str, bool]]] = files if files is not None else {}
        # _key's answers: it runs for every entry of every JSON/YAML file, and resolve() costs
        # system calls. A relative spelling is remembered per working directory.
        self._keys: dict[tuple[Path | str, str], str] = {}
        # What is on disk, in this module's layout (None: no file yet).
        self._saved = self._render() if files is not None else None

    @classmethod
    def load(cls, root: Path) -> ReviewState:
        """Read ``root/.l10n-qwen-review.json`` (empty state if absent); InputError if corrupt."""
        path = Path(root) / STATE_FILE
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(root)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(path, f"cannot read the review state: {exc}") from exc
        return cls(root, _parse(path, text))

    def _key(self, path: Path | str) -> str:
        """``path`` relative to the project root, with POSIX slashes."""
        relative = not (os.path.isabs(path) and self.root.is_absolute())
        memo = (path, os.getcwd() if relative else "")
        key = self._keys.get(memo)
        if key is None:
            key = self._keys[memo] = self._resolve_key(path)
        return key

    def _resolve_key(self, path: Path | str) -> str:
        absolute = Path(path).resolve()
        root = self.root.resolve()
        try:
            return absolute.relative_to(root).as_posix()
        except ValueError:  # outside the project: still one stable name
            return Path(os.path.relpath(absolute, root)).as_posix()

    def record(self, path: Path | str, key: str, source_text: SourceText, approved: bool) -> None:
        """Note that ``key`` of ``path`` was just translated from ``source_text``."""
        self._files.setdefault(self._key(path), {})[key] = (source_hash(source_text), approved)

    def status(self, path: Path | str, key: str, source_text: SourceText) -> Status | None:
        """``approved``/``awaiting``/``stale``; None if not recorded (hand-made: approved)."""
        record = self._files.get(self._key(path), {}).get(key)
        if record is None:
            return None
        digest, approved = record
        if digest != source_hash(source_text):
            return "stale"
        return "approved" if approved else "awaiting"

    def approve(self, path: Path | str, key: str, source_text: SourceText | None = None) -> bool:
        """Mark ``key`` reviewed (against ``source_text`` if given); True if anything changed."""
        records = self._files.get(self._key(path), {})
        record = records.get(key)
        if record is None:
            return False
        digest = source_hash(source_text) if source_text is not None else record[0]
        if record == (digest, True):
            return False
        records[key] = (digest, True)
        return True

    def keys(self, path: Path | str) -> list[str]:
        """The recorded keys of ``path``, sorted."""
        return sorted(self._files.get(self._key(path), {}))

    def forget(self, path: Path | str, key: str) -> None:
        """Drop the record of ``key`` (e.g. a person rewrote or removed the value)."""
        records = self._files.get(self._key(path))
        if records is not None:
            records.pop(key, None)
            if not records:
                del self._files[self._key(path)]

    @property
    def changed(self) -> bool:
        """True if ``save`` would write something."""
        if self._saved is None:
            return any(self._files.values())
        return self._render() != self._saved

    def save(self) -> bool:
        """Write the state atomically if it changed; True if it wrote."""
        if not self.changed:
            return False
        text = self._render()
        atomic_write(self.path, text.encode("utf-8"))
        self._saved = text
        return True

    def _render(self) -> str:
        lines = ["{", f'  "version": {VERSION},', '  "files": {']
        files = [name for name in sorted(self._files) if self._files[name]]
        for i, name in enumerate(files):
            records = self._files[name]
            lines.append(f"    {_dump(name)}: {{")
            keys = sorted(records)
            for j, key in enumerate(keys):
                digest, approved = records[key]
                comma = "," if j < len(keys) - 1 else ""
                lines.append(
                    f'      {_dump(key)}: {{"source": {_dump(digest)}, '
                    f'"approved": {"true" if approved else "false"}}}{comma}'
                )
            lines.append("    }" + ("," if i < len(files) - 1 else ""))
        lines += ["  }", "}"]
        return "\n".join(lines) + "\n"


def _dump(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _parse(path: Path, text: str) -> dict[str, dict[str, tuple[str, bool]]]:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"corrupt review state: {exc.msg}", exc.lineno, exc.colno) from exc
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, 100,000 "[" (issue #8)
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InputError(path, f"corrupt review state: {why}") from exc
    if "\\u" in text:  # an escaped lone surrogate cannot be written back as UTF-8
        check_surrogates(path, data)

    def fail(message: str, needle: str | None = None) -> InputError:
        line = None
        if needle is not None and (pos := text.find(_dump(needle))) >= 0:
            line = text.count("\n", 0, pos) + 1
        return InputError(path, f"corrupt review state: {message}", line)

    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise fail('expected an object with "files"')
    if data.get("version", VERSION) != VERSION:
        raise fail(f"unknown version {data.get('version')!r} (this l10n-qwen knows {VERSION})")
    files: dict[str, dict[str, tuple[str, bool]]] = {}
    for name, records in data["files"].items():
        if not isinstance(records, dict):
            raise fail(f"{name}: expected an object of keys", name)
        out = files[name] = {}
        for key, record in records.items():
            if not (
                isinstance(record, dict)
                and isinstance(record.get("source"), str)
                and isinstance(record.get("approved"), bool)
            ):
                raise fail(f'{name}: key {key!r}: expected {{"source": ..., "approved": ...}}', key)
            out[key] = (record["source"], record["approved"])
    return files


def apply(state: ReviewState, locale_file: LocaleFile) -> dict[str, Status]:
    """Mark awaiting and stale entries of a JSON/YAML file ``State.FUZZY``; their statuses by key.

    Untranslated entries stay untranslated; files with their own review mark (PO) are left alone.
    """
    found: dict[str, Status] = {}
    if locale_file.native_review:
        return found
    for entry in locale_file.entries():
        if entry.state is State.UNTRANSLATED:
            continue
        status = state.status(locale_file.path, entry.key, entry.sources)
        if status in ("awaiting", "stale"):
            entry.state = State.FUZZY
            found[entry.key] = status
    return found


def record_fill(state: ReviewState, locale_file: LocaleFile, entry: Entry, *, review: bool) -> None:
    """After ``locale_file.fill(entry, ..., review=review)``: note it (JSON/YAML only).

    Filled with review: awaiting review; with ``--no-fuzzy``: approved.
    """
    if not locale_file.native_review:
        state.record(locale_file.path, entry.key, entry.sources, approved=not review)
