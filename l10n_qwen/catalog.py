"""The format-neutral model: an ``Entry`` and the ``LocaleFile`` interface every format implements.

A format module in ``l10n_qwen/formats/`` provides ``NAME``, ``SUFFIXES`` and
``load(path, options) -> LocaleFile``; the registry in ``formats/__init__.py`` collects them.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class State(enum.Enum):
    """Where an entry stands in review."""

    UNTRANSLATED = "untranslated"  # at least one target slot is empty
    FUZZY = "fuzzy"  # translated but awaiting review (PO ``#, fuzzy``; review state for JSON/YAML)
    TRANSLATED = "translated"  # approved or hand-made: never overwritten


@dataclass(slots=True)  # 20,000 entries: lighter, and quicker to make and free
class Entry:
    """One translatable unit of a locale file.

    ``sources[i]`` is the text that ``targets[i]`` translates. A PO plural entry has one slot per
    plural form: ``msgid`` for the form gettext shows for n = 1, ``msgid_plural`` for the others
    (see ``gettext_plurals.gettext_layout``). JSON/YAML plural categories are separate entries.
    """

    key: str  # unique within the file (PO: msgctxt + "\x04" + msgid; JSON/YAML: the key path)
    sources: tuple[str, ...]
    targets: list[str]
    state: State
    context: str | None = None  # PO msgctxt
    comments: str = ""  # translator and extracted comments: hints for the domain prompt
    flags: frozenset[str] = field(default_factory=frozenset)  # PO flags (c-format, ...)
    line: int = 0  # 1-based line where the entry starts, for messages
    #: Per slot, an English hint for the ``domains`` prompt, or "" (plural forms that share one
    #: source text: "the plural form used for counts like 2, 3, 4"). Empty tuple: no hints.
    hints: tuple[str, ...] = ()
    #: Slots of a plural form used for exactly one number (German "one" is 1 only, Arabic's
    #: msgstr[0] 0 only): their translation may leave the number out ("one file"), as msgfmt
    #: allows; see ``placeholders.verify(single_number=...)``.
    single_value_slots: frozenset[int] = field(default_factory=frozenset)
    #: PO only: per slot, the text GNU ``msgfmt -c`` checks its format directives against
    #: (``msgid``; ``msgid_plural`` for every form of a plural entry) and whether strictly (all
    #: of them) or relaxed (a form for a few counts may leave some out). See ``severity``.
    msgfmt_refs: tuple[tuple[str, bool], ...] = ()
    #: PO only: a fuzzy entry whose ``#|`` lines show ``msgmerge`` guessed it from a similar
    #: message; ``fill`` retranslates it and ``approve`` refuses it.
    guess: bool = False

    @property
    def missing(self) -> list[int]:
        """Indices of the target slots that are still empty."""
        return [i for i, text in enumerate(self.targets) if not text]


@dataclass(frozen=True)
class LoadOptions:
    """What a format needs to know besides the path."""

    target_lang: str | None = None  # locale code, when the user gave one
    source_lang: str = "en"
    source_path: Path | None = None  # JSON/YAML: the source-language file to fill from


class LocaleFile(Protocol):
    """A loaded locale file. Only ``fill``/``approve`` change it; ``dumps`` returns its bytes."""

    path: Path
    #: True where the format carries its own review mark (PO's fuzzy flag); False for JSON/YAML,
    #: whose review marks live in the review state file (review.py).
    native_review: bool

    @property
    def language(self) -> str | None:
        """The locale the file declares (PO ``Language`` header, Rails root key), if any."""
        ...

    def entries(self) -> Sequence[Entry]:
        """Every translatable entry, in file order (never the PO header or obsolete entries)."""
        ...

    def fill(self, entry: Entry, targets: Sequence[str], *, review: bool) -> None:
        """Set all target slots of ``entry``; ``review`` marks it for review where it can."""
        ...

    def approve(self, entry: Entry) -> None:
        """Drop the format's own review mark of ``entry`` (PO: the fuzzy flag); no-op elsewhere."""
        ...

    def dumps(self) -> bytes:
        """The file's bytes: identical to what was read for every part not filled or approved."""
        ...


def entry_key(context: str | None, source: str) -> str:
    """The key of an entry given its context and (first) source text, as gettext joins them."""
    return source if context is None else f"{context}\x04{source}"
