"""A JSON document that remembers where every value is, so edits leave all other bytes alone.

``json.loads`` forgets the layout, and re-serialising a hand-formatted file rewrites it; instead
``JsonDoc`` parses with its own small scanner (strings via json's C ``scanstring``), records the
span of every value, and ``dumps`` splices changed values and new members into the original text.
New members copy the layout of their siblings (indent, ``": "``, tabs, CRLF, ``","`` or ``", "``
in a compact file); a new nested value is indented by the unit the file uses, or written on one
line with the file's separators; new strings escape non-ASCII only if the file does.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from l10n_qwen.errors import InputError
from l10n_qwen.formats.tree import PathT
from l10n_qwen.limits import MAX_DEPTH, lone_surrogate

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_ESCAPED_NON_ASCII = re.compile(
    r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})"
)
# The C string scanner json.loads itself uses (typeshed does not declare it).
_scanstring: Callable[[str, int, bool], tuple[str, int]] = getattr(json.decoder, "scanstring")  # noqa: B009
_LITERALS = {"true": True, "false": False, "null": None}


@dataclass
class _Container:
    open: int  # offset of "{" / "["
    close: int  # offset of "}" / "]"
    first_ws: str  # between the opener and the first member (all of it when empty)
    item_ws: str  # between "," and the next member ("" if fewer than two members)
    close_ws: str  # between the last member and the closer
    colon: str  # between a key and its value, e.g. ": "
    size: int  # members at load time


class _Parser:
    def __init__(self, text: str, file: Path) -> None:
        self.text = text
        self.file = file
        self.spans: dict[PathT, tuple[int, int]] = {}
        self.lines: dict[PathT, int] = {}
        self.containers: dict[PathT, _Container] = {}
        self.comma: str | None = None  # the first blank after a comma within a line: " " or ""
        self.colon: str | None = None  # the first key-value separator, e.g. ": " or ":"
        self._line = 1
        self._line_pos = 0

    def line_at(self, pos: int) -> int:
        """1-based line of ``pos``; ``pos`` only grows while parsing, so counting is incremental."""
        if pos < self._line_pos:
            return self.text.count("\n", 0, pos) + 1
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def error(self, pos: int, message: str) -> InputError:
        line = self.text.count("\n", 0, pos) + 1
        column = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return InputError(self.file, f"invalid JSON: {message}", line, column)

    def ws(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        assert match is not None
        return match.end()

    def parse(self) -> Any:
        pos = self.ws(0)
        value, pos = self.value(pos, ())
        end = self.ws(pos)
        if end != len(self.text):
            raise self.error(end, "extra data after the document")
        return value

    def value(self, pos: int, path: PathT) -> tuple[Any, int]:
        text = self.text
        char = text[pos : pos + 1]
        start = pos
        value: Any
        if path not in self.lines:
            self.lines[path] = self.line_at(pos)
        if char == '"':
            value, pos = self.string(pos)
        elif char in ("{", "[") and len(path) >= MAX_DEPTH:  # before the recursion runs out
            raise self.error(pos, f"nested more than {MAX_DEPTH} levels deep")
        elif char == "{":
            value, pos = self.object(pos, path)
        elif char == "[":
            value, pos = self.array(pos, path)
        else:
            for word, literal in _LITERALS.items():
                if text.startswith(word, pos):
                    value, pos = literal, pos + len(word)
                    break
            else:
                match = _NUMBER.match(text, pos)
                if match is None or not match.group():
                    what = repr(char) if char else "end of file"
                    raise self.error(pos, f"expected a value, found {what}")
                value = self.number(pos, match.group())
                pos = match.end()
        self.spans[path] = (start, pos)
        return value, pos

    def number(self, pos: int, number: str) -> int | float:
        """A number's value; one Python cannot hold (or write back as JSON) is an error."""
        try:
            value = float(number) if any(c in number for c in ".eE") else int(number)
        except ValueError:  # over sys.get_int_max_str_digits() (4,300) digits
            raise self.error(pos, f"a number of {len(number)} digits") from None
        if value in (math.inf, -math.inf):  # json.dumps would write "Infinity", not JSON
            raise self.error(pos, f"a number too large for a double: {number[:20]}...")
        return value

    def string(self, pos: int) -> tuple[str, int]:
        try:
            value, end = _scanstring(self.text, pos + 1, True)
        except json.JSONDecodeError as exc:
            raise self.error(exc.pos, exc.msg) from exc
        # A "\ud800" escape with no partner is no character: it cannot be written as UTF-8.
        problem = lone_surrogate(value)
        if problem is not None:
            raise self.error(pos, problem)
        return value, end

    def object(self, start: int, path: PathT) -> tuple[dict[str, Any], int]:
        text = self.text
        result: dict[str, Any] = {}
        pos = self.ws(start + 1)
        first_ws = text[start + 1 : pos]
        item_ws = colon = ""
        if text[pos : pos + 1] == "}":
            self.containers[path] = _Container(start, pos, first_ws, "", "", "", 0)
            return result, pos + 1
        while True:
            if text[pos : pos + 1] != '"':
                raise self.error(pos, "expected a key in double quotes")
            key_pos = pos
            key, pos = self.string(pos)
            if key in result:
                raise InputError(self.file, f"duplicate key {key!r}", self.line_at(key_pos), None)
            colon_start = pos
            pos = self.ws(pos)
            if text[pos : pos + 1] != ":":
                raise self.error(pos, "expected ':' after a key")
            pos = self.ws(pos + 1)
            if not colon:
                colon = text[colon_start:pos]
                if self.colon is None:
                    self.colon = colon
            sub = (*path, key)
            self.lines[sub] = self.line_at(key_pos)
            result[key], pos = self.value(pos, sub)
            end = pos
            pos = self.ws(pos)
            char = text[pos : pos + 1]
            if char == "}":
                close_ws = text[end:pos]
                self.containers[path] = _Container(
                    start, pos, first_ws, item_ws, close_ws, colon, len(result)
                )
                return result, pos + 1
            if char != ",":
                raise self.error(pos, "expected ',' or '}' after a member")
            pos, item_ws = self._past_comma(pos, item_ws)

    def _past_comma(self, comma: int, item_ws: str) -> tuple[int, str]:
        """Skip a comma and the space after it; note the container's (and the file's first
        single-line) spacing between items, which new items copy."""
        pos = self.ws(comma + 1)
        if not item_ws:
            item_ws = self.text[comma + 1 : pos]
            if self.comma is None and "\n" not in item_ws:
                self.comma = item_ws
        return pos, item_ws

    def array(self, start: int, path: PathT) -> tuple[list[Any], int]:
        text = self.text
        result: list[Any] = []
        pos = self.ws(start + 1)
        first_ws = text[start + 1 : pos]
        item_ws = ""
        if text[pos : pos + 1] == "]":
            self.containers[path] = _Container(start, pos, first_ws, "", "", "", 0)
            return result, pos + 1
        while True:
            value, pos = self.value(pos, (*path, len(result)))
            result.append(value)
            end = pos
            pos = self.ws(pos)
            char = text[pos : pos + 1]
            if char == "]":
                self.containers[path] = _Container(
                    start, pos, first_ws, item_ws, text[end:pos], "", len(result)
                )
                return result, pos + 1
            if char != ",":
                raise self.error(pos, "expected ',' or ']' after an item")
            pos, item_ws = self._past_comma(pos, item_ws)


@dataclass(frozen=True)
class Style:
    """How a file lays out what it does not show yet (new nested values, new strings)."""

    indent: str | None  # one indentation unit ("  ", "    ", "\t"); None: everything on one line
    newline: str  # "\n" or "\r\n"
    ensure_ascii: bool | None  # None: the file shows no non-ASCII text, either way
    tail: str  # what follows the document (usually "\n")
    colon: str = ": "  # between a key and its value
    comma: str = " "  # after a comma between members on one line: '{"a": 1, "b": 2}' or '[1,2]'


def _detect_style(parser: _Parser, tail: str, fallback: Style | None) -> Style:
    """The file's own layout; what it does not show (an empty file) comes from ``fallback``."""
    text, root = parser.text, parser.containers.get(())
    newline = "\r\n" if "\r\n" in text else "\n"
    indent: str | None = fallback.indent if fallback is not None else "  "
    if root is not None and root.size:
        indent = None  # all on one line
        if "\n" in root.first_ws:
            indent = root.first_ws.rpartition("\n")[2] or None
    ensure_ascii = fallback.ensure_ascii if fallback is not None else None
    if not text.isascii():
        ensure_ascii = False
    elif _ESCAPED_NON_ASCII.search(text):
        ensure_ascii = True
    colon = parser.colon or (fallback.colon if fallback is not None else ": ")
    comma = parser.comma
    if comma is None:  # no two members on one line: spaced like this file's colon, or the source
        if parser.colon is None and fallback is not None:
            comma = fallback.comma
        else:
            comma = " " if colon.endswith(" ") else ""
    return Style(indent, newline, ensure_ascii, tail, colon, comma)


class JsonDoc:
    """A parsed JSON text plus the edits made to it; ``dumps`` applies them.

    ``fallback`` supplies the layout the text does not show (the source file's, for a target that
    is still empty).
    """

    def __init__(self, text: str, file: Path, *, fallback: Style | None = None) -> None:
        parser = _Parser(text, file)
        self.value: Any = parser.parse()
        self.text = text
        self.file = file
        self._spans = parser.spans
        self._lines = parser.lines
        self._containers = parser.containers
        end = self._spans[()][1]
        self.style = _detect_style(parser, text[end:], fallback)
        self._replaced: dict[PathT, Any] = {}
        self._grown: set[PathT] = set()
        self._order: Callable[[PathT], Sequence[str]] = lambda path: ()

    def line(self, path: PathT) -> int | None:
        """The 1-based line of the key (or list item) at ``path`` as loaded; None if absent."""
        return self._lines.get(path)

    @property
    def changed(self) -> bool:
        return bool(self._replaced or self._grown)

    def set(self, path: PathT, value: Any) -> None:
        """Set the value at ``path``, creating mappings/lists on the way (lists padded with "")."""
        if not path:
            raise ValueError("cannot replace the whole document")
        node = self.value
        for depth, seg in enumerate(path):
            here = path[:depth]
            last = depth == len(path) - 1
            fresh: Any = value if last else ([] if isinstance(path[depth + 1], int) else {})
            if isinstance(seg, int):
                while len(node) < seg:
                    node.append("")
                exists = seg < len(node)
                if not exists:
                    node.append(fresh)
            else:
                exists = seg in node
                if not exists:
                    node[seg] = fresh
            if not exists:
                if here in self._containers:
                    self._grown.add(here)
            elif last or not isinstance(node[seg], (dict, list)):
                node[seg] = fresh
                at = (*here, seg)
                if at in self._spans:
                    self._replaced[at] = fresh
            node = node[seg]

    def dumps(self, order: Callable[[PathT], Sequence[str]] = lambda path: ()) -> str:
        """The text with every edit applied; exactly the loaded text when nothing was edited.

        ``order(path)`` gives the key order new members of the mapping at ``path`` should follow
        (the source file's); each is placed after its nearest predecessor in that order.
        """
        if not self.changed:
            return self.text
        self._order = order
        edits: list[tuple[int, int, str]] = []
        for path, value in self._replaced.items():
            start, end = self._spans[path]
            line_start = self.text.rfind("\n", 0, start) + 1
            line = self.text[line_start:start]
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            edits.append((start, end, self._render(value, indent, path)))
        for path in self._grown:
            edits.extend(self._growth(path))
        edits.sort(key=lambda edit: (edit[0], edit[1]))
        out: list[str] = []
        pos = 0
        for start, end, text in edits:
            out.append(self.text[pos:start])
            out.append(text)
            pos = end
        out.append(self.text[pos:])
        return "".join(out)

    def _node(self, path: PathT) -> Any:
        node = self.value
        for seg in path:
            node = node[seg]
        return node

    def _member_ws(self, path: PathT, box: _Container) -> str:
        """What goes between a comma and a new member of the container at ``path``."""
        if box.size >= 2:
            return box.item_ws
        if box.size == 1 and "\n" in box.first_ws:
            return box.first_ws
        unit = self.style.indent
        if box.size == 0 and unit is not None:
            return self.style.newline + unit * (len(path) + 1)
        return self.style.comma  # members on one line, spaced as elsewhere in the file

    def _ordered(self, value: Any, path: PathT) -> Any:
        """A copy of ``value`` with every mapping's keys in the source order."""
        if isinstance(value, dict):
            rank = {key: i for i, key in enumerate(self._order(path))}
            keys = sorted(value, key=lambda k: rank.get(k, len(rank)))
            return {k: self._ordered(value[k], (*path, k)) for k in keys}
        if isinstance(value, list):
            return [self._ordered(v, (*path, i)) for i, v in enumerate(value)]
        return value

    def _render(self, value: Any, indent: str, path: PathT) -> str:
        """``value`` (at ``path``) as JSON text for a place indented by ``indent``."""
        if isinstance(value, (dict, list)) and value:
            value = self._ordered(value, path)
            if self.style.indent is None:
                return json.dumps(
                    value,
                    ensure_ascii=bool(self.style.ensure_ascii),
                    separators=("," + self.style.comma, self.style.colon),
                )
            text = json.dumps(
                value,
                ensure_ascii=bool(self.style.ensure_ascii),
                indent=self.style.indent,
                separators=(",", self.style.colon),
            )
            return text.replace("\n", self.style.newline + indent)
        return json.dumps(value, ensure_ascii=bool(self.style.ensure_ascii))

    def _growth(self, path: PathT) -> list[tuple[int, int, str]]:
        """Edits inserting the members added to the (loaded) container at ``path``."""
        order = self._order(path)
        box = self._containers[path]
        node = self._node(path)
        ws = self._member_ws(path, box)
        indent = ws.rpartition("\n")[2]
        colon = box.colon or self.style.colon
        if isinstance(node, list):
            items = [
                self._render(v, indent, (*path, box.size + i))
                for i, v in enumerate(node[box.size :])
            ]
            if box.size == 0:
                return [(box.open + 1, box.close, self._wrap_empty(path, ws, items))]
            last_item = (*path, box.size - 1)
            end = self._spans[last_item][1]
            return [(end, end, "".join("," + ws + item for item in items))]
        new_keys = [k for k in node if (*path, k) not in self._spans]
        rank = {key: i for i, key in enumerate(order)}
        new_keys.sort(key=lambda k: rank.get(k, len(rank)))
        members = {
            k: json.dumps(k, ensure_ascii=bool(self.style.ensure_ascii))
            + colon
            + self._render(node[k], indent, (*path, k))
            for k in new_keys
        }
        if box.size == 0:
            return [(box.open + 1, box.close, self._wrap_empty(path, ws, list(members.values())))]
        # Each new key goes after the nearest key before it in ``order`` that was already there.
        anchors: dict[str | None, list[str]] = {}
        last_loaded: str | None = None
        loaded_keys = [k for k in node if (*path, k) in self._spans]
        in_order = set(order)
        for key in order:
            if (*path, key) in self._spans:
                last_loaded = key
            elif key in members:
                anchors.setdefault(last_loaded, []).append(key)
        for key in new_keys:
            if key not in in_order:  # not in the source: at the end
                anchors.setdefault(loaded_keys[-1], []).append(key)
        edits = []
        for anchor, keys in anchors.items():
            if anchor is None:  # before the first member, after the blanks that lead to it
                at = box.open + 1 + len(box.first_ws)
                edits.append((at, at, "".join(members[k] + "," + ws for k in keys)))
            else:
                anchor_path = (*path, anchor)
                end = self._spans[anchor_path][1]
                edits.append((end, end, "".join("," + ws + members[k] for k in keys)))
        return edits

    def _wrap_empty(self, path: PathT, ws: str, members: list[str]) -> str:
        unit = self.style.indent
        close = self.style.newline + unit * len(path) if unit is not None else ""
        if unit is None:
            return ("," + self.style.comma).join(members)
        return ",".join(ws + m for m in members) + close


def new_doc(file: Path, like: JsonDoc) -> JsonDoc:
    """An empty object for a target file that does not exist yet, laid out like ``like``."""
    return JsonDoc("{}" + like.style.tail, file, fallback=like.style)
