"""Bounds on the work one input file can cause: its real size, not what it claims (issue #8).

A 10-line PO file can declare ``nplurals=100000000``, a 13-line YAML file can expand to a billion
nodes through aliases, and a deeply nested file exhausts the interpreter's stack. Each is an
``InputError`` naming the file and line, found before the work it would cause.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from l10n_qwen.errors import InputError
from l10n_qwen.gettext_plurals import MAX_FORMS

#: gettext knows no language with more than 6 plural forms (Arabic, Welsh): the table's bound.
MAX_NPLURALS = MAX_FORMS
#: Nesting of mappings and lists (JSON, YAML) and elements (TBX, TMX). Real locale files use
#: fewer than 10 levels; 100 is far from any of them and far from Python's recursion limit.
MAX_DEPTH = 100
#: Nodes a tree may hold once YAML aliases are followed, beyond one per byte of the file: real
#: files reuse a block a few times (``<<: *defaults``); a billion laughs needs billions.
ALIAS_ALLOWANCE = 100_000


def too_deep(path: Path, line: int | None) -> InputError:
    """The error for a file nested deeper than ``MAX_DEPTH``."""
    return InputError(path, f"nested more than {MAX_DEPTH} levels deep", line=line)


def check_tree(
    path: Path, data: Any, size: int, line_of: Callable[[Any], int | None] = lambda node: None
) -> None:
    """Refuse a loaded tree (dicts, lists, scalars) nested deeper than ``MAX_DEPTH`` or holding
    more than ``size + ALIAS_ALLOWANCE`` nodes when shared nodes (YAML aliases) count each time
    they are reached; ``size`` is the file's length. Runs in time bounded by that budget."""
    budget = size + ALIAS_ALLOWANCE
    stack: list[tuple[Any, int, Any]] = [(data, 1, None)]  # node, its depth, its parent
    while stack:
        node, depth, parent = stack.pop()
        budget -= 1
        if budget < 0:
            raise InputError(
                path,
                f"its aliases expand to more than {size + ALIAS_ALLOWANCE} nodes "
                "(a YAML 'billion laughs'?)",
                line=line_of(parent),
            )
        children: Iterable[Any]
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_DEPTH:
            raise too_deep(path, line_of(node))
        stack.extend((child, depth + 1, node) for child in children)


def check_nplurals(path: Path, nplurals: int, line: int | None) -> None:
    """Refuse a Plural-Forms header with more forms than any language has."""
    if nplurals > MAX_NPLURALS:
        raise InputError(
            path,
            f"Plural-Forms declares nplurals={nplurals}; no language has more than "
            f"{MAX_NPLURALS} plural forms",
            line=line,
        )


_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> str | None:
    """What is wrong with ``text`` if it holds half of a surrogate pair, else None."""
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return f"\\u{ord(found[0]):04x} is half of a surrogate pair, not a character"


def check_surrogates(
    path: Path, data: Any, line_of: Callable[[Any], int | None] = lambda node: None
) -> None:
    """Refuse a string (key or value) holding half of a surrogate pair (an escaped ``\\ud800``):
    it is no character, and no UTF-8 file can hold it. Call after ``check_tree``, which bounds
    the walk."""
    for node, parent in nodes(data):
        if isinstance(node, str):
            problem = lone_surrogate(node)
            if problem is not None:
                raise InputError(path, problem, line_of(parent))


def nodes(data: Any) -> Iterator[tuple[Any, Any]]:
    """Every node of a loaded tree (keys too) with its parent; after ``check_tree``, which
    bounds the walk."""
    stack: list[tuple[Any, Any]] = [(data, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        if isinstance(node, dict):
            stack.extend((child, node) for item in node.items() for child in item)
        elif isinstance(node, list):
            stack.extend((child, node) for child in node)
