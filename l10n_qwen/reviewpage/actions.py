"""Saving what the reviewer did: approve, edit and approve, send back.

Everything goes through the format adapters and ``checks.approve``, the code behind
``l10n-qwen approve``: PO loses ``#, fuzzy`` and the ``#|`` lines, JSON/YAML keys are marked
approved in the review state, and no other byte of a file changes. An edit is verified as fill
verifies a translation (``checks.entry_problems``) and refused when broken.

Sending back empties the translation (PO: ``msgstr ""``, fuzzy flag and ``#|`` dropped;
JSON/YAML: an empty value, its review record dropped), because an empty entry is what
``fill`` always picks up; the rejected text is also dropped from the translation cache, so
the next ``fill`` asks Qwen-MT again instead of serving it back.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from l10n_qwen import checks, review, workspace
from l10n_qwen.cache import TranslationCache
from l10n_qwen.config import Settings
from l10n_qwen.paths import state_path
from l10n_qwen.reviewpage.queue import Item, LoadedFile, fingerprint
from l10n_qwen.workspace import FileSpec, Workspace

APPROVE = "approve"
EDIT = "edit"  # edit and approve
SEND_BACK = "sendback"
ACTIONS = (APPROVE, EDIT, SEND_BACK)


@dataclass(frozen=True)
class Action:
    """One thing the reviewer did to one item."""

    item: Item
    kind: str  # one of ACTIONS
    targets: tuple[str, ...] = ()  # EDIT: the new text of every slot


@dataclass
class Outcome:
    """What became of the actions on one file."""

    done: dict[str, str] = field(default_factory=dict)  # item id -> "approved" / "sent back"
    refused: dict[str, str] = field(default_factory=dict)  # item id -> why
    conflict: bool = False  # the file changed on disk since the page read it: nothing written


def edit_problems(item: Item, targets: Sequence[str]) -> list[str]:
    """What an edit breaks, as fill's verification sees it ([] if it may be saved)."""
    if len(targets) != len(item.entry.sources):
        return [f"expected {len(item.entry.sources)} texts, got {len(targets)}"]
    if not all(targets):
        return ["a translation is empty: use send back to have it translated again"]
    edited = dataclasses.replace(item.entry, targets=list(targets))
    return list(checks.entry_problems(edited))


def glob_escape(key: str) -> str:
    """``key`` as an fnmatch pattern matching only itself (``approve --key`` takes globs)."""
    return re.sub(r"([*?\[])", r"[\1]", key)


def save(settings: Settings, loaded: LoadedFile, seen: str, actions: Sequence[Action]) -> Outcome:
    """Apply ``actions`` to the file of ``loaded``, which the page read with fingerprint ``seen``.

    Holds the project lock, as ``fill`` and ``approve`` do, from the fingerprint test to the
    last write.
    """
    outcome = Outcome()
    # The same settings ``approve FILE`` gets, for this file's locale and source.
    scoped = dataclasses.replace(
        settings,
        target_lang=loaded.spec.locale or settings.target_lang,
        source=loaded.spec.source or settings.source,
    )

    def unchanged(specs: list[FileSpec]) -> list[FileSpec]:
        # Under the lock, before reading: a file edited since the page read it is left alone.
        if fingerprint(loaded.spec, settings) != seen:
            raise _Conflict
        return specs

    try:
        with workspace.open(scoped, [loaded.spec], write=True, prepare=unchanged) as opened:
            approve: list[Action] = []
            rejected = _write_changes(opened, actions, outcome, approve)
            if approve:
                globs = [glob_escape(action.item.entry.key) for action in approve]
                _, refusals = checks.approve_in(opened.reload(), globs, guesses_seen=True)
                refused_keys = {problem.key: problem.reason for problem in refusals}
                for action in approve:
                    reason = refused_keys.get(action.item.entry.key)
                    if reason is None:
                        outcome.done[action.item.id] = "approved"
                    else:
                        outcome.refused[action.item.id] = reason
    except _Conflict:
        outcome.conflict = True
        return outcome
    _forget_cached(settings, rejected)
    return outcome


class _Conflict(Exception):
    """The file changed on disk since the page read it."""


def _write_changes(
    opened: Workspace, actions: Sequence[Action], outcome: Outcome, approve: list[Action]
) -> list[str]:
    """Write edits and send-backs to the file (and the review state); queue the approvals.

    Returns the texts sent back.
    """
    (target,) = opened.targets
    locale_file, state = target.file, opened.state
    entries = {entry.key: entry for entry in locale_file.entries()}
    rejected: list[str] = []
    for action in actions:
        entry = entries.get(action.item.entry.key)
        if entry is None:
            outcome.refused[action.item.id] = "no longer in the file"
            continue
        if action.kind == EDIT:
            problems = edit_problems(action.item, action.targets)
            if problems:
                outcome.refused[action.item.id] = "not saved: " + "; ".join(problems)
                continue
            if list(action.targets) != entry.targets:
                locale_file.fill(entry, action.targets, review=True)
                review.record_fill(state, locale_file, entry, review=True)
                target.dirty = True
            approve.append(action)
        elif action.kind == SEND_BACK:
            rejected.extend(text for text in entry.targets if text)
            locale_file.fill(entry, [""] * len(entry.sources), review=False)
            if not locale_file.native_review:
                state.forget(target.path, entry.key)
            target.dirty = True
            outcome.done[action.item.id] = "sent back"
        else:
            approve.append(action)
    if target.dirty:
        # The file first: an edit on disk whose record still says "awaiting", or an emptied
        # value whose record is still there, is harmless; a record gone while the machine text
        # is still on disk would pass that text as hand-made.
        target.save()
        state.save()
    return rejected


def _forget_cached(settings: Settings, texts: Sequence[str]) -> None:
    # The same confined path fill's cache uses: a symlinked state folder is refused here too.
    path = state_path(settings.project_root, "cache.sqlite3")
    if not texts or not path.exists():
        return
    cache = TranslationCache(path)
    try:
        for text in texts:
            cache.forget(text)
    finally:
        cache.close()
