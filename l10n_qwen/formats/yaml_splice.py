"""Keep every untouched line of a YAML file byte for byte, where ruamel's round trip would not.

ruamel rewrites a few constructs when it dumps a document: a plain scalar folded over two lines
comes back on one, some flow mappings and comments are respaced. So the edited document is not
written as ruamel dumps it; instead the edits are found and spliced into the original text, the
way ``po_lines`` does for PO files. Three texts take part:

- ``original``: the file as read;
- ``base``: ruamel's dump of the file as read (what ruamel would write with no edit);
- ``edited``: ruamel's dump after the edits.

The lines that differ between ``base`` and ``edited`` are the edits (new keys, filled values).
Each is placed in ``original`` where the lines around it in ``base`` correspond to original lines.
An edit that falls inside a stretch ruamel rewrote cannot be placed: ``merge`` gives None and the
caller keeps ruamel's dump.

    >>> merge("a: one\\n  two\\nb: B\\n", "a: one two\\nb: B\\n", "a: one two\\nb: B\\nc: C\\n")
    'a: one\\n  two\\nb: B\\nc: C\\n'
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

_Opcodes = Sequence[tuple[str, int, int, int, int]]


def _map(opcodes: _Opcodes, pos: int, sizes: tuple[int, int]) -> int | None:
    """Where a boundary between lines of ``base`` falls in ``original``; None inside a rewrite.

    ``sizes``: the line counts of ``base`` and ``original`` (their ends match).
    """
    if pos in (0, sizes[0]):
        return 0 if pos == 0 else sizes[1]
    for tag, b1, b2, o1, _ in opcodes:
        if tag == "equal" and b1 <= pos <= b2:
            return o1 + (pos - b1)
    return None


def _opcodes(a: list[str], b: list[str]) -> _Opcodes:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _insertions(old: list[str], new: list[str]) -> _Opcodes | None:
    """``new`` as ``old`` with lines inserted, as opcodes, in one pass; None if it is not.

    The usual edit (keys added, nothing replaced) without the cost of a diff of a large file.
    """
    ops: list[tuple[str, int, int, int, int]] = []
    i = 0
    start = None  # where the run of inserted lines being read began in ``new``
    for j, line in enumerate(new):
        if i < len(old) and line == old[i]:
            if start is not None:
                ops.append(("insert", i, i, start, j))
                start = None
            i += 1
        elif start is None:
            start = j
    if i < len(old):
        return None
    if start is not None:
        ops.append(("insert", i, i, start, len(new)))
    return ops


def only_inserts(original: str, edited: str) -> bool:
    """Whether ``edited`` is ``original`` with lines inserted and none changed or removed.

    One pass: the original lines must occur in ``edited`` in order (a greedy match finds a
    subsequence wherever there is one), which costs far less than a diff of a large file.
    """
    pending = iter(edited.splitlines(keepends=True))
    return all(any(line == other for other in pending) for line in original.splitlines(True))


def merge(original: str, base: str, edited: str) -> str | None:
    """``original`` with the edits that turn ``base`` into ``edited``; None where one cannot go."""
    orig_lines = original.splitlines(keepends=True)
    base_lines = base.splitlines(keepends=True)
    # ruamel writes "\n"; a file written with "\r\n" keeps it, in its new lines too.
    newline = "\r\n" if orig_lines and orig_lines[0].endswith("\r\n") else "\n"
    edit_lines = [_ending(line, newline) for line in edited.splitlines(keepends=True)]
    to_orig = _opcodes([_ending(line, newline) for line in base_lines], orig_lines)
    ruamel_lines = edited.splitlines(keepends=True)
    edits = _insertions(base_lines, ruamel_lines) or _opcodes(base_lines, ruamel_lines)
    out: list[str] = []
    done = 0  # lines of ``original`` already copied
    for tag, b1, b2, e1, e2 in edits:
        if tag == "equal":
            continue
        sizes = (len(base_lines), len(orig_lines))
        start, stop = _map(to_orig, b1, sizes), _map(to_orig, b2, sizes)
        if start is None or stop is None or start < done or stop < start:
            return None
        if b2 > b1 and not _all_equal(to_orig, b1, b2):
            return None  # an edit of lines that ruamel rewrote: they have no original to edit
        out.extend(orig_lines[done:start])
        out.extend(edit_lines[e1:e2])
        done = stop
    out.extend(orig_lines[done:])
    return "".join(out)


def _ending(line: str, newline: str) -> str:
    body = line.rstrip("\r\n")
    return body + newline if len(body) < len(line) else line


def _all_equal(opcodes: _Opcodes, b1: int, b2: int) -> bool:
    """Whether lines ``b1:b2`` of ``base`` lie within one block equal to ``original``."""
    return any(tag == "equal" and s <= b1 and b2 <= e for tag, s, e, _, _ in opcodes)
