"""How serious a problem with a translation is: the one place ``check`` and ``approve`` decide it.

The gate must never block human work the runtime accepts. Every problem ``check`` reports is a
``report.Problem`` with a ``Severity``:

``ERROR`` (``check`` exits 1; ``approve`` refuses the entry)
    - the entry is untranslated, awaiting review, stale, or a ``msgmerge`` guess;
    - PO: what GNU ``msgfmt --check-format`` rejects (``gettext_error``): a format directive of a
      flagged entry (``c-format``, ``python-format``...) missing, extra, repeated, reordered or
      invalid, compared with ``msgid`` (``msgid_plural`` for plural forms, where forms used for
      few counts may leave directives out); a leading or trailing line break on one side only;
    - JSON/YAML: what the runtime cannot fill (``tree_error``): a Rails ``%{x}`` or i18next
      ``{{x}}`` the source lacks, an ICU argument the source lacks, ICU that does not parse;
    - a machine translation not yet reviewed: everything the write-time verification checks.

``WARNING`` (printed; ``check`` exits 0, or 1 with ``--strict``)
    What a human translation may do on purpose and the runtime accepts: whitespace at the edges
    and line breaks, markup (tags, entities, URLs), strftime directives and other unflagged
    ``%`` sequences, placeholders left out.

How to use it: ``placeholders.verify`` returns ``Issue`` objects (strings, so they print and
compare as before) that carry a ``Category`` and the placeholder ``kind``. ``gettext_error`` and
``tree_error`` decide whether one blocks a person's translation; ``checks.translation_problems
(entry, machine=...)`` gives every ``(Severity, Issue)`` of an entry, and ``checks.check`` the
``report.Problem`` list (each with ``.severity``; ``checks.errors(problems)`` keeps the errors).
A new check: return an ``Issue`` with the right category from ``verify``, and say here (and in
the two functions) when it blocks.
"""

from __future__ import annotations

import enum


class Severity(enum.Enum):
    """Whether a problem blocks ``check`` (and ``approve``) or is only shown."""

    ERROR = "error"
    WARNING = "warning"


class Category(enum.Enum):
    """What an ``Issue`` is about."""

    WHITESPACE = "whitespace"  # blanks at the edges, the number of line breaks
    NEWLINE = "newline"  # a leading/trailing "\n" on one side only (msgfmt -c rejects it)
    MISSING = "missing"  # a placeholder of the source is not in the translation
    UNEXPECTED = "unexpected"  # a placeholder of the translation is not in the source
    COUNT = "count"  # in both, but not as many times
    ORDER = "order"  # unnumbered printf conversions in another order
    INVALID = "invalid"  # a "%" that starts no directive, in a flagged entry
    SYNTAX = "syntax"  # ICU that does not parse
    STRUCTURE = "structure"  # ICU argument types and plural/select cases
    MARKUP = "markup"  # tags not balanced


class Issue(str):
    """One thing a translation broke: the text shown to people, with its ``category`` and the
    ``kind`` of placeholder it concerns (``Placeholder.kind``; "" for whitespace)."""

    category: Category
    kind: str

    def __new__(cls, text: str, category: Category, kind: str = "") -> Issue:
        issue = super().__new__(cls, text)
        issue.category = category
        issue.kind = kind
        return issue


#: Kinds that are never a format directive: what they break is markup, a warning for people.
MARKUP_KINDS = frozenset({"tag", "entity", "escape", "url", "email", "accelerator"})
#: Placeholders the JSON/YAML runtimes fill by name: one the source lacks cannot be filled
#: (Rails raises MissingInterpolationArgument, i18next shows "{{x}}", ICU formatters throw).
_RUNTIME_NAMED = frozenset({"ruby", "i18next", "icu"})
_DIRECTIVE_PROBLEMS = frozenset(
    {Category.MISSING, Category.UNEXPECTED, Category.COUNT, Category.ORDER, Category.INVALID}
)


def gettext_error(issue: Issue, flagged: frozenset[str], *, strict: bool) -> bool:
    """Whether GNU ``msgfmt --check-format`` rejects ``issue`` of a human PO translation.

    ``flagged``: the placeholder kinds the entry's format flags turn on (``placeholders.
    format_kinds``; empty without a flag, where msgfmt checks no directive). ``strict``: the
    slot is compared strictly (see ``catalog.Entry.msgfmt_refs``); else a directive may be
    left out. Named arguments (``%(x)s``, ``{x}``) are a set for msgfmt: repeats do not count.
    """
    if issue.category is Category.NEWLINE:
        return True
    if issue.kind not in flagged or issue.category not in _DIRECTIVE_PROBLEMS:
        return False
    if issue.category is Category.MISSING:
        return strict
    return issue.category is not Category.COUNT or issue.kind == "printf"


def tree_error(issue: Issue) -> bool:
    """Whether a JSON/YAML runtime cannot use a human translation with ``issue``."""
    if issue.category is Category.SYNTAX:
        return True
    return issue.category is Category.UNEXPECTED and issue.kind in _RUNTIME_NAMED
