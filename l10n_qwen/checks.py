"""``check`` and ``approve``: what is undone or unreviewed in the files, and marking it reviewed.

Neither needs the network. ``check`` lists every entry that is untranslated, awaiting review,
stale (its source changed since it was translated) or whose translation breaks a placeholder,
each with a severity: errors block the gate, warnings are only shown (see ``severity``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from pathlib import Path

from l10n_qwen import placeholders, workspace
from l10n_qwen.catalog import Entry, State
from l10n_qwen.config import Settings
from l10n_qwen.planning import display_path
from l10n_qwen.report import Problem
from l10n_qwen.severity import Issue, Severity, gettext_error, tree_error
from l10n_qwen.workspace import FileSpec, Workspace

STALE = "stale: the source text changed since it was translated"
GUESS = "guessed by msgmerge from a similar message (#| lines): fill retranslates it"


def entry_problems(entry: Entry) -> list[Issue]:
    """What is wrong with one entry's translation (placeholders), regardless of its state:
    everything the write-time verification checks."""
    found: list[Issue] = []
    for slot, (source, target) in enumerate(zip(entry.sources, entry.targets, strict=False)):
        if target:
            single = slot in entry.single_value_slots  # "one day" for n=1: no number needed
            found.extend(placeholders.verify(source, target, entry.flags, single_number=single))
    return found


def translation_problems(entry: Entry, *, machine: bool) -> list[tuple[Severity, Issue]]:
    """What is wrong with ``entry``'s translation, each with its severity.

    ``machine``: a machine translation not reviewed yet, held to everything the write-time
    verification checks. A person's translation fails only on what its runtime rejects (for PO,
    what ``msgfmt --check-format`` rejects); the rest of ``entry_problems`` are warnings.
    """
    found = entry_problems(entry)
    if machine:
        return [(Severity.ERROR, issue) for issue in found]
    if entry.msgfmt_refs:
        errors = _msgfmt_errors(entry)
        shown = set(errors)
        warnings = [issue for issue in found if issue not in shown]
        return [(Severity.ERROR, i) for i in errors] + [(Severity.WARNING, i) for i in warnings]
    return [(Severity.ERROR if tree_error(i) else Severity.WARNING, i) for i in found]


def _msgfmt_errors(entry: Entry) -> list[Issue]:
    """What GNU msgfmt --check-format rejects: each msgstr against msgid (or msgid_plural)."""
    errors: list[Issue] = []
    for (reference, strict), target in zip(entry.msgfmt_refs, entry.targets, strict=False):
        if not target:
            continue
        flagged = placeholders.format_kinds(entry.flags)
        if not placeholders.valid_format(reference, entry.flags):
            flagged = frozenset()  # msgfmt checks no directive then, only line breaks
        else:  # msgfmt compares arguments and their types, not flags or widths
            reference = placeholders.directive_types(reference, entry.flags)
            target = placeholders.directive_types(target, entry.flags)
        for issue in placeholders.verify(reference, target, entry.flags):
            if gettext_error(issue, flagged, strict=strict) and issue not in errors:
                errors.append(issue)
    return errors


def check(settings: Settings, paths: Sequence[Path | FileSpec]) -> list[Problem]:
    """Every problem in ``paths``, in file order, errors and warnings alike."""
    with workspace.open(settings, paths) as opened:
        targets = opened.targets
    problems: list[Problem] = []
    for target in targets:
        shown = display_path(target.file.path, settings.project_root)
        for entry in target.file.entries():
            reasons: list[tuple[Severity, str]] = []
            mark = target.marks.get(entry.key)
            if entry.state is State.UNTRANSLATED:
                reasons.append((Severity.ERROR, "untranslated"))
            elif entry.guess:
                reasons.append((Severity.ERROR, GUESS))
            elif mark == "stale":
                reasons.append(
                    (Severity.ERROR, "stale: the source text changed since it was translated")
                )
            elif entry.state is State.FUZZY or mark == "awaiting":
                reasons.append((Severity.ERROR, "awaiting review"))
            machine = entry.state is State.FUZZY  # awaiting or stale JSON/YAML keys too
            reasons.extend(translation_problems(entry, machine=machine))
            problems.extend(
                Problem(shown, entry.line, entry.key, reason, severity)
                for severity, reason in reasons
            )
    return problems


def errors(problems: Sequence[Problem]) -> list[Problem]:
    """The problems that block the gate."""
    return [p for p in problems if p.severity is Severity.ERROR]


def approve(
    settings: Settings,
    paths: Sequence[Path],
    key_globs: Sequence[str] = (),
    *,
    guesses_seen: bool = False,
) -> tuple[int, list[Problem]]:
    """Mark the machine translations in ``paths`` as reviewed: how many, and what was refused.

    An entry whose translation the runtime rejects (a ``check`` error once approved) is not
    approved: it is returned, and stays listed by ``check``, so ``approve`` cannot launder a
    broken string. Neither is a ``msgmerge`` guess (``#|`` lines): ``fill`` retranslates it;
    unless ``guesses_seen``, where a person was shown the guess beside its previous source (the
    review page) and chose to keep it.
    """
    with workspace.open(settings, paths, write=True) as opened:
        return approve_in(opened, key_globs, guesses_seen=guesses_seen)


def approve_in(
    opened: Workspace, key_globs: Sequence[str] = (), *, guesses_seen: bool = False
) -> tuple[int, list[Problem]]:
    """``approve`` on an open workspace: its files written, its review state saved."""
    settings, state = opened.settings, opened.state
    approved = 0
    refused: list[Problem] = []
    for target in opened.targets:
        locale_file, marks = target.file, target.marks
        for entry in locale_file.entries():
            if key_globs and not any(fnmatch.fnmatchcase(entry.key, g) for g in key_globs):
                continue
            if entry.state is State.UNTRANSLATED:
                continue
            # Judged as it will be once approved: a person's translation.
            broken: list[str] = [
                issue
                for severity, issue in translation_problems(entry, machine=False)
                if severity is Severity.ERROR
            ]
            if entry.guess and entry.state is State.FUZZY and not guesses_seen:
                broken.insert(0, GUESS)
            if broken:
                shown = display_path(locale_file.path, settings.project_root)
                reason = "not approved: " + "; ".join(broken)
                refused.append(Problem(shown, entry.line, entry.key, reason))
                continue
            if locale_file.native_review and entry.state is State.FUZZY:
                locale_file.approve(entry)
                target.dirty = True
                approved += 1
            elif not locale_file.native_review and marks.get(entry.key) in ("awaiting", "stale"):
                state.approve(locale_file.path, entry.key, entry.sources)
                approved += 1
        if target.dirty:
            target.save()
    state.save()
    return approved, refused
