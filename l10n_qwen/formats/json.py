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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from l10n_qwen import verbatim
from l10n_qwen.catalog import LoadOptions
from l10n_qwen.errors import InputError
from l10n_qwen.formats import jsontext, tree
from l10n_qwen.formats.pairing import Pairing, pair
from l10n_qwen.formats.plurals import rules_for
from l10n_qwen.formats.treefile import TreeFile

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


class JsonFile(TreeFile):
    """A JSON target file paired with its source: i18next, unless a subclass says otherwise."""

    style: tree.PluralStyle = "none"

    def __init__(
        self,
        path: Path,
        doc: jsontext.JsonDoc,
        raw: bytes | None,
        pairing: Pairing,
        source: jsontext.JsonDoc | None,
    ) -> None:
        super().__init__(path, pairing)
        self._doc = doc
        self._raw = raw  # the file's bytes; None if it does not exist yet
        self._source = source
        if source is not None:
            self._plan_entries(source)

    def _rules(self, rules: tree.Rules) -> tree.Rules:
        """The dialect's rules, from the target language's plural categories."""
        return rules

    def _plan_entries(self, source: jsontext.JsonDoc) -> None:
        if not isinstance(source.value, dict):
            raise InputError(source.file, "expected a JSON object at the top", source.line(()))
        if not isinstance(self._doc.value, dict):
            raise InputError(self.path, "expected a JSON object at the top", self._doc.line(()))
        rules = self._rules(rules_for(self._pairing.locale, self.style))
        rules = dataclasses.replace(rules, is_text=_words(rules.is_text, source.value))
        self._plan_slots(source.value, self._doc.value, rules, source.file)

    def _line(self, slot: tree.Slot) -> int:
        assert self._source is not None
        return self._doc.line(slot.path) or self._source.line(slot.source_path) or 0

    def _shape_line(self, path: tree.PathT) -> int | None:
        return self._doc.line(path)

    def _text(self, value: Any) -> str:
        return json.dumps(value)

    def _source_value(self) -> Any:
        return self._source.value if self._source is not None else {}

    def dumps(self) -> bytes:
        if self._raw is not None and not self._doc.changed:
            return self._raw
        text = self._doc.dumps(lambda path: self._plan.order.get(path, ()))
        bom = self._raw is not None and self._raw.startswith(codecs.BOM_UTF8)
        return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")

    def _first_change(self) -> None:
        for path, value in self._plan.copies:
            self._doc.set(path, value)

    def _put(self, slot: tree.Slot, text: str) -> None:
        self._doc.set(slot.path, text)


class I18nextFile(JsonFile):
    """i18next (nested or flat keys): ``name_one``/``name_other`` are plural forms."""

    style = "suffix"


class ArbFile(JsonFile):
    """Flutter ARB: ``@key`` metadata is left out, ``@@locale`` names the target locale."""

    def _rules(self, rules: tree.Rules) -> tree.Rules:
        return tree.Rules(rules.cardinal, rules.ordinal, "none", skip=_arb_meta)

    def _notes(self, slot: tree.Slot) -> str:
        if len(slot.path) != 1:
            return ""
        description = tree.get_path(self._source_value(), (f"@{slot.path[0]}", "description"))
        return description if isinstance(description, str) else ""

    @property
    def language(self) -> str | None:
        declared = self._doc.value.get("@@locale") if isinstance(self._doc.value, dict) else None
        if isinstance(declared, str) and declared:
            return declared
        return self._pairing.locale

    def _first_change(self) -> None:
        super()._first_change()
        doc, source = self._doc.value, self._source_value()
        locale = self._pairing.locale_token or self._pairing.locale
        has_locale = "@@locale" in source or "@@locale" in doc
        if locale and has_locale and doc.get("@@locale") != locale:
            self._doc.set(("@@locale",), locale)


class WebExtensionFile(JsonFile):
    """WebExtension ``messages.json``: each key's ``message`` is the text, its ``description``
    the note."""

    def _rules(self, rules: tree.Rules) -> tree.Rules:
        return tree.Rules(rules.cardinal, rules.ordinal, "none", is_text=_webext_message)

    def _notes(self, slot: tree.Slot) -> str:
        description = tree.get_path(self._source_value(), (slot.path[0], "description"))
        return description if isinstance(description, str) else ""


def dialect(path: Path, source: Any) -> type[JsonFile]:
    """The dialect of the file at ``path`` whose source (or own) tree is ``source``."""
    if path.suffix.lower() == ".arb":
        return ArbFile
    if (
        path.name == "messages.json"
        and isinstance(source, dict)
        and source
        and all(isinstance(v, dict) and "message" in v for v in source.values())
    ):
        return WebExtensionFile
    return I18nextFile


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
        return dialect(path, doc.value)(path, doc, raw, pairing, None)
    source, _ = _read(pairing.source)
    if not path.exists():
        new = jsontext.new_doc(path, source)
        return dialect(path, source.value)(path, new, None, pairing, source)
    doc, raw = _read(path, like=source)
    return dialect(path, source.value)(path, doc, raw, pairing, source)
