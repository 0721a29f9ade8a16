"""Planning a run: which entries of the loaded targets need work, and the distinct texts to send.

The targets come from ``workspace.open``, their entries in their final state; planning reads
them and changes nothing in them.

Every distinct (language, text, domain hint) becomes one ``Unit``, however many files and
entries share it; each entry waiting for it is a ``Pending`` with a slot per plural form.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from l10n_qwen import formatcheck, languages, placeholders
from l10n_qwen.catalog import Entry, State
from l10n_qwen.config import Settings
from l10n_qwen.glossary import Glossary
from l10n_qwen.memory import Memory, is_whole
from l10n_qwen.provider import TranslationRequest
from l10n_qwen.service import LITE_MODEL
from l10n_qwen.tmfiles import load_tm_entries
from l10n_qwen.workspace import Target


@dataclass(slots=True)
class Pending:
    """An entry waiting for the translations of some of its slots."""

    target: Target
    entry: Entry
    slots: dict[int, str | None]  # slot index -> translation (None = not yet)
    failed: bool = False  # one slot could not be translated: the entry stays as it was


@dataclass(slots=True)
class Unit:
    """One distinct text to translate into one language, and every slot waiting for it."""

    request: TranslationRequest
    flags: frozenset[str]
    #: May an exact approved match settle it? Not for entries with a msgctxt (the context exists
    #: because the text needs another translation somewhere) nor for plural forms (an approved
    #: "few" form is no translation of the "many" form of the same source).
    exact_ok: bool
    waiting: list[tuple[Pending, int]] = field(default_factory=list)
    memory_key: str = ""  # which translation memory answers for it (see ``memory_key()``)
    #: Every slot waiting is a plural form for one number only: the number may be left out.
    single_number: bool = False

    @property
    def check_stamp(self) -> str:
        """What ``problems`` judges by besides the two texts: the flags, whether the number may
        be left out, and the verification code itself. A cached translation carrying the same
        stamp passed the same checks, so a rerun need not repeat them."""
        return _check_stamp(self.flags, self.single_number)

    def problems(self, text: str) -> list[str]:
        """What ``text``, a translation of this unit, broke (see ``placeholders.verify``)."""
        found: list[str] = list(
            placeholders.verify(
                self.request.text, text, self.flags, single_number=self.single_number
            )
        )
        # Format flags only msgfmt knows (sh-format, qt-plural-format, ...): it checks them.
        return found or formatcheck.problems(
            self.request.text, text, self.flags, self.single_number
        )


@functools.lru_cache(maxsize=256)
def _check_stamp(flags: frozenset[str], single_number: bool) -> str:
    """``Unit.check_stamp``: the few flag sets of a run are hashed once each."""
    material = f"{placeholders.CODE_DIGEST}|{sorted(flags)}|{single_number}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def memory_key(locale: str, language: str) -> str:
    """The translation memory of a locale: its own, not its language's (``pt_BR`` and ``pt_PT``,
    ``sr`` and ``sr@latin`` must not reuse each other's text)."""
    return f"{language} [{languages.normalize(locale)}]"


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root where possible, for messages."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def needs_work(entry: Entry, include_fuzzy: bool) -> list[int]:
    """The slots of ``entry`` to translate: empty ones; all of a fuzzy one with --include-fuzzy,
    and all of a ``msgmerge`` guess (``#|`` lines: borrowed from a similar message) always."""
    if entry.state is State.TRANSLATED:
        return []
    if entry.state is State.FUZZY:
        return list(range(len(entry.sources))) if include_fuzzy or entry.guess else []
    return entry.missing


#: The same few locales are asked about for every entry of a run: Babel's lookups once each.
_locale_hint = functools.lru_cache(maxsize=64)(languages.locale_hint)


def _domains(
    configured: str | None, model: str, locale: str, context: str | None, hint: str
) -> str | None:
    """The ``domains`` prompt for one slot: the configured text, the script and region the
    locale asks for, the msgctxt, the slot's hint. ``plan`` works each distinct one out once
    (per entry, it was a tenth of planning a large file)."""
    parts = [configured] if configured else []
    variant = _locale_hint(locale) if locale else None
    if variant:
        parts.append(variant)
    # domains is English: a context in other letters (CJK) would be cut to nothing.
    english = languages.ascii_english(context or "")
    if english.strip() and len(english) * 2 > len(context or ""):
        parts.append(f'The text is used in the context "{english}".')
    if hint:
        parts.append(hint)
    if model == LITE_MODEL or not parts:
        return None  # lite does not take domains; leaving hints out keeps dedupe wide
    return languages.ascii_english(" ".join(parts))


def plan(
    targets: Sequence[Target],
    settings: Settings,
    memory: Memory,
    glossary: Glossary | None = None,
) -> tuple[list[Unit], list[Pending]]:
    """Group the work into distinct units; every pending entry is referenced by its units."""
    source_lang = languages.qwen_name(settings.source_lang, settings.model)
    units: dict[tuple[object, ...], Unit] = {}
    pending: list[Pending] = []
    include_fuzzy = settings.include_fuzzy
    for target in targets:
        memory_name = memory_key(target.locale, target.language)
        terms_from = glossary_for(glossary, settings.source_lang, target.locale)
        language = target.language
        hints: dict[tuple[str | None, str], str | None] = {}  # (msgctxt, slot hint) -> domains
        for entry in target.file.entries():
            slots = needs_work(entry, include_fuzzy)
            if not slots:
                continue
            item = Pending(target, entry, dict.fromkeys(slots))
            pending.append(item)
            forms = whole_from_memory(memory, memory_name, entry, slots)
            if forms is not None:  # the same message is approved elsewhere: no request
                item.slots = forms
                continue
            for index in slots:
                text = entry.sources[index]
                hint = entry.hints[index] if index < len(entry.hints) else ""
                if (entry.context, hint) not in hints:
                    hints[entry.context, hint] = _domains(
                        settings.domains, settings.model, target.locale, entry.context, hint
                    )
                domains = hints[entry.context, hint]
                # Only the terms that occur in the text: each one costs input tokens.
                found = (
                    terms_from.terms_for(text, settings.source_lang, target.locale)
                    if terms_from
                    else ()
                )
                exact_ok = entry.context is None and len(entry.sources) == 1 and not hint
                # One request serves every slot with the same key: whatever changes the request
                # (domains, terms) or how its answer is checked (flags, one-number forms) or
                # which memory answers for it is part of the key.
                single = index in entry.single_value_slots
                key = (language, text, domains, found, entry.flags, single, memory_name)
                unit = units.get(key)
                if unit is None:
                    request = TranslationRequest(
                        text=text,
                        source_lang=source_lang,
                        target_lang=language,
                        terms=found,
                        domains=domains,  # tm_list: see add_examples
                    )
                    unit = units[key] = Unit(
                        request, entry.flags, exact_ok, memory_key=memory_name, single_number=single
                    )
                else:
                    unit.exact_ok &= exact_ok
                unit.waiting.append((item, index))
    return list(units.values()), pending


def whole_from_memory(
    memory: Memory, memory_name: str, entry: Entry, slots: list[int]
) -> dict[int, str | None] | None:
    """The slots of an entry filled from the approved one of the same message (msgctxt, msgid,
    msgid_plural, form count), if there is one and its forms pass verification."""
    if not is_whole(entry):
        return None
    forms = memory.whole(memory_name, entry)
    if forms is None:
        return None
    for i in slots:
        single = i in entry.single_value_slots
        if placeholders.verify(entry.sources[i], forms[i], entry.flags, single_number=single):
            return None
    return {i: forms[i] for i in slots}


def add_examples(units: Iterable[Unit], memory: Memory) -> None:
    """Give each unit its ``tm_list``: the most similar approved pairs of its memory.

    Called for the units that are actually sent, after the cache had its say: the memory search
    is most of the cost of a large run, and a cached text does not need it.
    """
    for unit in units:
        examples = memory.similar(unit.memory_key, unit.request.text)
        unit.request = dataclasses.replace(unit.request, tm_list=examples)


def glossary_for(glossary: Glossary | None, source_lang: str, target_lang: str) -> Glossary | None:
    """``glossary`` if it has a column that serves ``target_lang``, else None.

    A column of another variant does not serve a locale with a region or script: pt_PT terms
    are wrong in pt_BR text, Cyrillic sr terms in sr@latin. The bare language's column serves a
    region (``pt`` for pt_BR), and a bare locale takes the closest column.
    """
    pair = glossary.columns(source_lang, target_lang) if glossary else None
    if pair is None:
        return None
    column, wanted = languages.normalize(pair[1]), languages.normalize(target_lang)

    def is_bare(code: str) -> bool:
        return "_" not in code and "@" not in code

    serves = (
        column == wanted
        or is_bare(wanted)  # a plain "de" file takes the closest column there is
        or (is_bare(column) and languages.script_hint(target_lang) is None)
    )
    return glossary if serves else None


def load_memory(targets: Sequence[Target], settings: Settings) -> Memory:
    """Approved pairs from the files of the run and from every ``--tm`` file.

    The targets come from ``workspace.open``: awaiting and stale JSON/YAML keys are fuzzy already.
    """
    memory = Memory()
    for target in targets:
        memory.add_entries(memory_key(target.locale, target.language), target.file.entries())
    for path in settings.tm:
        for locale, language in sorted({(t.locale, t.language) for t in targets}):
            # A TM file may hold another variant of the language (pt_PT for pt_BR, Cyrillic sr
            # for sr@latin): for a locale with a region or script its pairs are examples only.
            exact = languages.locale_hint(locale) is None
            pairs, plurals = load_tm_entries(path, settings.source_lang, locale)
            for source, target_text in pairs:
                memory.add(memory_key(locale, language), source, target_text, exact=exact)
            for entry in plurals if exact else ():
                memory.add_whole(memory_key(locale, language), entry)
    return memory
