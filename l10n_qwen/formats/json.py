"""JSON locale files: i18next (nested or flat keys), Flutter ARB, WebExtension ``messages.json``.

A target (``de.json``) is filled from its source-language file (see ``pairing``). Entry keys are key
paths encoded by ``tree.encode_path`` (``nav.home``, ``items_few``, ``greeting.message``).

- i18next: plural keys ``name_one``/``name_other`` become the target language's CLDR categories
  (Russian ``_one``/``_few``/``_many``/``_other``, Japanese ``_other``), each translated from the
  source's form of the same category, else its ``_other``; a source ``_zero`` is kept.
- ARB (``.arb``): ``@key`` metadata and other ``@``-keys are neither translated nor copied (only
  the template needs them); ``@@locale`` is set to the target locale when the file is written.
- WebExtension ``messages.json``: only each ``message`` is translated; ``description`` (sent as a
  hint) and ``placeholders`` are copied.

Numbers, booleans and nulls are copied, not translated, and so are keys starting with ``$`` or
``@`` (``$schema``) and values that are no text (URLs, paths, formats: see ``verbatim``);
untouched bytes stay as they were.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from l10n_qwen import verbatim
from l10n_qwen.catalog import Entry, LoadOptions, State
from l10n_qwen.errors import InputError
from l10n_qwen.formats import jsontext, tree
from l10n_qwen.formats.pairing import Pairing, pair
from l10n_qwen.formats.plurals import category_hint, rules_for, single_value_category

NAME = "json"
SUFFIXES: tuple[str, ...] = (".json", ".arb")


def _read(path: Path, like: jsontext.JsonDoc | None = None) -> tuple[jsontext.JsonDoc, bytes]:
    """Parse ``path`` (an empty file is an empty object laid out ``like``); also its bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(path, "not UTF-8 text", line) from exc
    if like is not None and not text.strip():
        return jsontext.new_doc(path, like), data
    fallback = like.style if like is not None else None
    return jsontext.JsonDoc(text, path, fallback=fallback), data


def _kind(path: Path, source: Any) -> str:
    if path.suffix.lower() == ".arb":
        return "arb"
    if (
        path.name == "messages.json"
        and isinstance(source, dict)
        and source
        and all(isinstance(v, dict) and "message" in v for v in source.values())
    ):
        return "webext"
    return "i18next"


class JsonFile:
    """A JSON target file paired with its source; see the module docstring."""

    native_review = False

    def __init__(
        self,
        path: Path,
        doc: jsontext.JsonDoc,
        raw: bytes | None,
        pairing: Pairing,
        source: jsontext.JsonDoc | None,
    ) -> None:
        self.path = path
        self._doc = doc
        self._raw = raw  # the file's bytes; None if it does not exist yet
        self._pairing = pairing
        self._source = source
        self._prepared = False
        self._entries: list[Entry] = []
        self._slots: dict[str, tree.Slot] = {}
        self._plan = tree.Plan()
        self.kind = _kind(path, source.value if source is not None else doc.value)
        if source is not None:
            self._plan_entries(source)

    def _plan_entries(self, source: jsontext.JsonDoc) -> None:
        if not isinstance(source.value, dict):
            raise InputError(source.file, "expected a JSON object at the top", source.line(()))
        if not isinstance(self._doc.value, dict):
            raise InputError(self.path, "expected a JSON object at the top", self._doc.line(()))
        rules = rules_for(self._pairing.locale, "none" if self.kind != "i18next" else "suffix")
        if self.kind == "arb":
            rules = tree.Rules(rules.cardinal, rules.ordinal, "none", skip=_arb_meta)
        elif self.kind == "webext":
            rules = tree.Rules(rules.cardinal, rules.ordinal, "none", is_text=_webext_message)
        rules = dataclasses.replace(rules, is_text=_words(rules.is_text, source.value))
        try:
            self._plan = tree.plan(source.value, self._doc.value, rules)
        except tree.ShapeError as exc:
            line = self._doc.line(exc.path)
            raise InputError(
                self.path,
                exc.describe(source.file),
                line,
            ) from exc
        for slot in self._plan.slots:
            key = tree.encode_path(slot.path)
            current = slot.target
            text = "" if current is tree.MISSING or current is None else current
            if not isinstance(text, str):
                text = json.dumps(text)
            line = self._doc.line(slot.path) or source.line(slot.source_path) or 0
            entry = Entry(
                key=key,
                sources=(slot.source,),
                targets=[text],
                state=State.TRANSLATED if text else State.UNTRANSLATED,
                comments=self._notes(slot, source.value),
                line=line,
                hints=self._hints(slot),
                single_value_slots=self._single_value(slot),
                flags=verbatim.flags_for(slot.source),
            )
            self._entries.append(entry)
            self._slots[key] = slot

    def _hints(self, slot: tree.Slot) -> tuple[str, ...]:
        """A plural form's hint: the counts its category is used for (``plurals.category_hint``)."""
        if slot.category is None:
            return ()
        return (category_hint(self._pairing.locale, slot.category, ordinal=slot.ordinal),)

    def _single_value(self, slot: tree.Slot) -> frozenset[int]:
        """``{0}`` for a plural category used for one number only (German ``_one``, ``_zero``)."""
        if slot.category is None:
            return frozenset()
        single = single_value_category(self._pairing.locale, slot.category, ordinal=slot.ordinal)
        return frozenset({0}) if single else frozenset()

    def _notes(self, slot: tree.Slot, source: dict[str, Any]) -> str:
        """The developer's note on a key (ARB ``description``, WebExtension ``description``)."""
        notes = []
        if self.kind == "webext":
            description = tree.get_path(source, (slot.path[0], "description"))
            if isinstance(description, str) and description:
                notes.append(description)
        elif self.kind == "arb" and len(slot.path) == 1:
            description = tree.get_path(source, (f"@{slot.path[0]}", "description"))
            if isinstance(description, str) and description:
                notes.append(description)
        return "\n".join(notes)

    @property
    def language(self) -> str | None:
        declared = self._doc.value.get("@@locale") if isinstance(self._doc.value, dict) else None
        if self.kind == "arb" and isinstance(declared, str) and declared:
            return declared
        return self._pairing.locale

    def entries(self) -> Sequence[Entry]:
        return self._entries

    def fill(self, entry: Entry, targets: Sequence[str], *, review: bool) -> None:
        slot = self._slots[entry.key]
        self._prepare()
        self._doc.set(slot.path, targets[0])
        entry.targets = [targets[0]]
        entry.state = State.FUZZY if review else State.TRANSLATED

    def approve(self, entry: Entry) -> None:
        """No-op: JSON has no review mark of its own (the review state records it)."""

    def dumps(self) -> bytes:
        if self._raw is not None and not self._doc.changed:
            return self._raw
        text = self._doc.dumps(lambda path: self._plan.order.get(path, ()))
        bom = self._raw is not None and self._raw.startswith(codecs.BOM_UTF8)
        return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")

    def _prepare(self) -> None:
        """Before the first change: copy the source's non-text values, set ARB's ``@@locale``."""
        if self._prepared:
            return
        self._prepared = True
        for path, value in self._plan.copies:
            self._doc.set(path, value)
        doc = self._doc.value
        source = self._source.value if self._source is not None else {}
        locale = self._pairing.locale_token or self._pairing.locale
        has_locale = "@@locale" in source or "@@locale" in doc
        if self.kind == "arb" and locale and has_locale and doc.get("@@locale") != locale:
            self._doc.set(("@@locale",), locale)


def _words(is_text: Callable[[tree.PathT], bool], source: Any) -> Callable[[tree.PathT], bool]:
    """``is_text`` less what is copied, not sent: ``$schema``, ``@``-keys, URLs (``verbatim``)."""

    def words(path: tree.PathT) -> bool:
        if any(isinstance(seg, str) and seg[:1] in ("$", "@") for seg in path):
            return False
        value = tree.get_path(source, path)
        return is_text(path) and not (isinstance(value, str) and verbatim.kind(value) == "copy")

    return words


def _arb_meta(path: tree.PathT) -> bool:
    return isinstance(path[0], str) and path[0].startswith("@")


def _webext_message(path: tree.PathT) -> bool:
    return len(path) == 2 and path[1] == "message"


def load(path: Path, options: LoadOptions) -> JsonFile:
    """Load a JSON/ARB target and its source; InputError for bad JSON, UsageError for no source."""
    path = Path(path)
    pairing = pair(path, options)
    if pairing.source is None:  # the source-language file itself: nothing to fill
        doc, raw = _read(path)
        return JsonFile(path, doc, raw, pairing, None)
    source, _ = _read(pairing.source)
    if path.exists():
        doc, raw = _read(path, like=source)
        return JsonFile(path, doc, raw, pairing, source)
    return JsonFile(path, jsontext.new_doc(path, source), None, pairing, source)
