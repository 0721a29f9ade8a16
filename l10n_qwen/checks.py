"""``check`` and ``approve``: what is undone or unreviewed in the files, and marking it reviewed.

Neither needs the network. ``check`` lists every entry that is untranslated, awaiting review,
stale (its source changed since it was translated) or whose translation breaks a placeholder.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from pathlib import Path

from l10n_qwen import placeholders, review
from l10n_qwen.catalog import Entry, LocaleFile, State
from l10n_qwen.config import Settings
from l10n_qwen.fsutil import atomic_write, project_lock
from l10n_qwen.paths import state_path
from l10n_qwen.planning import FileSpec, display_path, open_file
from l10n_qwen.report import Problem


def _load_all(settings: Settings, paths: Sequence[Path | FileSpec]) -> list[LocaleFile]:
    return [open_file(spec, settings)[1] for spec in paths]


def entry_problems(entry: Entry) -> list[str]:
    """What is wrong with one entry's translation (placeholders), regardless of its state."""
    found = []
    for slot, (source, target) in enumerate(zip(entry.sources, entry.targets, strict=False)):
        if target:
            single = slot in entry.single_value_slots  # "one day" for n=1: no number needed
            found.extend(placeholders.verify(source, target, entry.flags, single_number=single))
    return found


def check(settings: Settings, paths: Sequence[Path | FileSpec]) -> list[Problem]:
    """Every problem in ``paths``, in file order."""
    files = _load_all(settings, paths)
    state = review.ReviewState.load(settings.project_root)
    problems: list[Problem] = []
    for locale_file in files:
        shown = display_path(locale_file.path, settings.project_root)
        marks = review.apply(state, locale_file)
        for entry in locale_file.entries():
            reasons = []
            mark = marks.get(entry.key)
            if entry.state is State.UNTRANSLATED:
                reasons.append("untranslated")
            elif mark == "stale":
                reasons.append("stale: the source text changed since it was translated")
            elif entry.state is State.FUZZY or mark == "awaiting":
                reasons.append("awaiting review")
            reasons.extend(entry_problems(entry))
            problems.extend(Problem(shown, entry.line, entry.key, reason) for reason in reasons)
    return problems


def approve(
    settings: Settings, paths: Sequence[Path], key_globs: Sequence[str] = ()
) -> tuple[int, list[Problem]]:
    """Mark the machine translations in ``paths`` as reviewed: how many, and what was refused.

    An entry whose translation breaks a placeholder is not approved (it is returned, and stays
    listed by ``check``), so ``approve`` cannot launder a broken string.
    """
    with project_lock(state_path(settings.project_root, "lock")):
        return _approve(settings, paths, key_globs)


def _approve(
    settings: Settings, paths: Sequence[Path], key_globs: Sequence[str]
) -> tuple[int, list[Problem]]:
    files = _load_all(settings, paths)
    state = review.ReviewState.load(settings.project_root)
    approved = 0
    refused: list[Problem] = []
    for locale_file in files:
        changed = False
        marks = review.apply(state, locale_file)
        for entry in locale_file.entries():
            if key_globs and not any(fnmatch.fnmatchcase(entry.key, g) for g in key_globs):
                continue
            if entry.state is State.UNTRANSLATED:
                continue
            broken = entry_problems(entry)
            if broken:
                shown = display_path(locale_file.path, settings.project_root)
                reason = "not approved: " + "; ".join(broken)
                refused.append(Problem(shown, entry.line, entry.key, reason))
                continue
            if locale_file.native_review and entry.state is State.FUZZY:
                locale_file.approve(entry)
                changed = True
                approved += 1
            elif not locale_file.native_review and marks.get(entry.key) in ("awaiting", "stale"):
                state.approve(locale_file.path, entry.key, entry.sources)
                approved += 1
        if changed:
            atomic_write(locale_file.path, locale_file.dumps())
    state.save()
    return approved, refused
