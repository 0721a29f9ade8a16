"""What every JSON and YAML dialect shares: a target file paired with its source, planned by
``tree``, whose slots become entries.

``TreeFile`` turns the plan into entries, fills them and has no review mark of its own (the
review state keeps it). A format module (``json``, ``yaml``) subclasses it once for its syntax;
each dialect (i18next, ARB, WebExtension ``messages.json``, Rails YAML, plain YAML) is a subclass
of that, overriding the few hooks where it differs: the rules it plans by, a key's line, its
notes, what the first change adds, where a value goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from l10n_qwen import verbatim
from l10n_qwen.catalog import Entry, State
from l10n_qwen.errors import InputError
from l10n_qwen.formats import tree
from l10n_qwen.formats.pairing import Pairing
from l10n_qwen.formats.plurals import category_hint, single_value_category


class TreeFile:
    """A target tree paired with its source tree; see the module docstring."""

    native_review = False

    def __init__(self, path: Path, pairing: Pairing) -> None:
        self.path = path
        self._pairing = pairing
        self._entries: list[Entry] = []
        self._slots: dict[str, tree.Slot] = {}
        self._plan = tree.Plan()
        self._changed = False

    # -- what a dialect overrides -------------------------------------------------------------
    def _line(self, slot: tree.Slot) -> int:
        """The line of ``slot``'s key in the target, else in the source; 0 if in neither."""
        raise NotImplementedError

    def _shape_line(self, path: tree.PathT) -> int | None:
        """The target line of ``path``, for a key whose shape differs from the source's."""
        raise NotImplementedError

    def _text(self, value: Any) -> str:
        """A target value that is no text (a number...) as the text an entry shows."""
        return str(value)

    def _notes(self, slot: tree.Slot) -> str:
        """The developer's note on a key, if the dialect has them."""
        return ""

    def _first_change(self) -> None:
        """Before the first fill: copy the source's non-text values (and the dialect's extras)."""
        raise NotImplementedError

    def _put(self, slot: tree.Slot, text: str) -> None:
        """Write ``text`` as the value of ``slot``."""
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------------------
    def _plan_slots(self, source: Any, target: Any, rules: tree.Rules, source_name: Path) -> None:
        """Plan ``target`` beside ``source``; every slot becomes an entry."""
        try:
            self._plan = tree.plan(source, target, rules)
        except tree.ShapeError as exc:
            line = self._shape_line(exc.path)
            raise InputError(self.path, exc.describe(source_name), line) from exc
        locale = self._pairing.locale
        for slot in self._plan.slots:
            key = tree.encode_path(slot.path)
            current = slot.target
            text = "" if current is tree.MISSING or current is None else current
            text = text if isinstance(text, str) else self._text(text)
            category, ordinal = slot.category, slot.ordinal
            single = category is not None and single_value_category(
                locale, category, ordinal=ordinal
            )
            self._entries.append(
                Entry(
                    key=key,
                    sources=(slot.source,),
                    targets=[text],
                    state=State.TRANSLATED if text else State.UNTRANSLATED,
                    comments=self._notes(slot),
                    line=self._line(slot),
                    # A plural form's hint: the counts its category is used for.
                    hints=(category_hint(locale, category, ordinal=ordinal),) if category else (),
                    single_value_slots=frozenset({0}) if single else frozenset(),
                    flags=verbatim.flags_for(slot.source),
                )
            )
            self._slots[key] = slot

    @property
    def language(self) -> str | None:
        return self._pairing.locale

    def entries(self) -> Sequence[Entry]:
        return self._entries

    def fill(self, entry: Entry, targets: Sequence[str], *, review: bool) -> None:
        if not self._changed:
            self._changed = True
            self._first_change()
        self._put(self._slots[entry.key], targets[0])
        entry.targets = [targets[0]]
        entry.state = State.FUZZY if review else State.TRANSLATED

    def approve(self, entry: Entry) -> None:
        """No-op: a tree file has no review mark of its own (the review state records it)."""
