"""A small ICU MessageFormat parser: where the syntax is, which arguments there are, and checks.

Only what placeholder verification needs: the spans that are syntax (not translatable), the
arguments with their types and plural/select keys, and ``compare`` for a source and its
translation. Apostrophe quoting follows ICU's default (DOUBLE_OPTIONAL): ``'`` quotes only when
followed by ``{``, ``}``, ``|``, or ``#`` inside a plural; ``''`` is one apostrophe.

    >>> [a.name for a in parse("{n, plural, one {# file} other {# files}} in {dir}").arguments]
    ['n', 'dir']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from l10n_qwen.severity import Category, Issue

PLURAL_TYPES = frozenset({"plural", "selectordinal"})
COMPLEX_TYPES = PLURAL_TYPES | {"select"}
CLDR_CATEGORIES = ("zero", "one", "two", "few", "many", "other")

# A plural/select argument, or a typed simple one ({n, number}): the text is meant as ICU.
_ICU_HINT = re.compile(
    r"\{\s*[\w.]+\s*,\s*(?:plural|select|selectordinal|number|date|time|spellout|ordinal"
    r"|duration)\s*[,}]"
)


class IcuSyntaxError(ValueError):
    """The text is not a well-formed ICU message; ``pos`` is where parsing stopped."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(f"{message} at position {pos}")
        self.pos = pos


@dataclass(frozen=True)
class Argument:
    """One ``{...}`` argument; ``keys`` are the plural/select cases, in order."""

    name: str
    type: str | None
    keys: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Span:
    """Text that is not translatable: ``arg`` a simple argument, ``syntax`` the frame of a
    plural/select (``{n, plural, one {``, ``} other {``, ``}}``), ``pound`` a plural's ``#``."""

    kind: str
    start: int
    end: int
    name: str | None


@dataclass(frozen=True)
class Message:
    """A parsed message: every argument (nested ones too) and every syntax span, in text order."""

    arguments: tuple[Argument, ...]
    spans: tuple[Span, ...]

    @property
    def is_complex(self) -> bool:
        """True if it has a plural, selectordinal or select argument."""
        return any(a.type in COMPLEX_TYPES for a in self.arguments)


def looks_like_icu(text: str) -> bool:
    """Whether ``text`` uses ICU syntax beyond a plain ``{name}`` (which brace formats share)."""
    return _ICU_HINT.search(text) is not None


def parse(text: str) -> Message:
    """Parse an ICU message; raises ``IcuSyntaxError``."""
    parser = _Parser(text)
    parser.message(depth=0, in_plural=False)
    args = sorted(parser.args, key=lambda a: a.start)
    spans = sorted(parser.spans, key=lambda s: s.start)
    return Message(tuple(args), tuple(spans))


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.args: list[Argument] = []
        self.spans: list[Span] = []

    def error(self, message: str) -> IcuSyntaxError:
        return IcuSyntaxError(message, self.pos)

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def word(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in " \t\r\n{},'#":
            self.pos += 1
        return self.text[start : self.pos]

    def message(self, depth: int, in_plural: bool) -> None:
        """Text up to the ``}`` that closes this sub-message (or the end, at depth 0)."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "'":
                self.quote(in_plural)
            elif char == "{":
                self.argument(in_plural)
            elif char == "}":
                if depth == 0:
                    raise self.error("'}' without '{'")
                return
            elif char == "#" and in_plural:
                self.spans.append(Span("pound", self.pos, self.pos + 1, None))
                self.pos += 1
            else:
                self.pos += 1
        if depth > 0:
            raise self.error("'{' not closed")

    def quote(self, in_plural: bool) -> None:
        text, pos = self.text, self.pos
        following = text[pos + 1 : pos + 2]
        if following == "'":
            self.pos += 2
        elif following in ("{", "}", "|") or (following == "#" and in_plural):
            pos += 1
            while pos < len(text):
                if text[pos] == "'":
                    if text[pos + 1 : pos + 2] != "'":
                        break
                    pos += 1
                pos += 1
            self.pos = pos + 1  # an unterminated quote runs to the end, as in ICU
        else:
            self.pos += 1

    def argument(self, in_plural: bool) -> None:
        start = self.pos
        self.pos += 1
        self.skip_ws()
        name = self.word()
        if not name:
            raise self.error("argument without a name")
        self.skip_ws()
        if self.peek() == "}":
            self.simple(start, name, None)
            return
        self.expect(",")
        self.skip_ws()
        arg_type = self.word().lower()
        if not arg_type:
            raise self.error(f"argument {{{name}}} without a type")
        self.skip_ws()
        if self.peek() == "}":
            self.simple(start, name, arg_type)
            return
        self.expect(",")
        if arg_type in COMPLEX_TYPES:
            self.cases(start, name, arg_type, in_plural)
        else:
            self.style()
            self.simple(start, name, arg_type)

    def simple(self, start: int, name: str, arg_type: str | None) -> None:
        self.pos += 1  # the closing brace
        self.args.append(Argument(name, arg_type, (), start, self.pos))
        self.spans.append(Span("arg", start, self.pos, name))

    def style(self) -> None:
        """Skip a style (``::currency/EUR``, ``short``, a choice pattern) up to its ``}``."""
        depth = 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "'":
                self.quote(in_plural=False)
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    return
                depth -= 1
            self.pos += 1
        raise self.error("'{' not closed")

    def cases(self, start: int, name: str, arg_type: str, in_plural: bool) -> None:
        self.skip_ws()
        if arg_type in PLURAL_TYPES and self.text.startswith("offset:", self.pos):
            self.pos += len("offset:")
            self.skip_ws()
            while self.peek().isdigit():
                self.pos += 1
        keys: list[str] = []
        # The head span ("{n, plural, one {") carries the argument's name, the others none.
        frame_start, frame_name = start, name
        while True:
            self.skip_ws()
            if not self.peek():
                raise self.error(f"{{{name}, {arg_type}}} not closed")
            if self.peek() == "}":
                if not keys:
                    raise self.error(f"{arg_type} argument {{{name}}} without cases")
                self.pos += 1
                self.spans.append(Span("syntax", frame_start, self.pos, None))
                break
            key = self.word()
            if not key:
                raise self.error(f"expected a {arg_type} case")
            keys.append(key)
            self.skip_ws()
            self.expect("{")
            self.spans.append(Span("syntax", frame_start, self.pos, frame_name or None))
            self.message(depth=1, in_plural=in_plural or arg_type in PLURAL_TYPES)
            frame_start, frame_name = self.pos, ""
            self.pos += 1  # the sub-message's closing brace
        self.args.append(Argument(name, arg_type, tuple(keys), start, self.pos))

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            found = repr(self.peek()) if self.peek() else "end of text"
            raise self.error(f"expected {char!r}, found {found}")
        self.pos += 1


def compare(source: Message, translation: Message) -> list[Issue]:
    """Problems with a translation's ICU arguments: same names and types, sound case keys.

    Plural cases may differ (a Russian translation adds ``few`` and ``many``), but ``other`` must
    be there, explicit ``=N`` cases of the source stay, and every key must be a CLDR category.
    """
    problems: list[Issue] = []
    src = _by_name(source)
    tgt = _by_name(translation)
    for name in src:
        if name not in tgt:
            problems.append(Issue(f"ICU argument {{{name}}} missing", Category.MISSING, "icu"))
    for name in tgt:
        if name not in src:
            text = f"unexpected ICU argument {{{name}}}"
            problems.append(Issue(text, Category.UNEXPECTED, "icu"))
    for name, src_args in src.items():
        tgt_args = tgt.get(name)
        if not tgt_args:
            continue
        src_types = {a.type for a in src_args}
        tgt_types = {a.type for a in tgt_args}
        if src_types != tgt_types:
            text = (
                f"ICU argument {{{name}}} is {_types(src_types)} in source, "
                f"{_types(tgt_types)} in translation"
            )
            problems.append(Issue(text, Category.STRUCTURE, "icu"))
            continue
        for arg_type in sorted(t for t in src_types if t in COMPLEX_TYPES):
            src_keys = {k for a in src_args if a.type == arg_type for k in a.keys}
            tgt_keys = {k for a in tgt_args if a.type == arg_type for k in a.keys}
            problems.extend(_compare_keys(name, arg_type, src_keys, tgt_keys))
    return problems


def _by_name(message: Message) -> dict[str, list[Argument]]:
    out: dict[str, list[Argument]] = {}
    for arg in message.arguments:
        out.setdefault(arg.name, []).append(arg)
    return out


def _types(types: set[str | None]) -> str:
    return "/".join(sorted(t or "plain" for t in types))


def _compare_keys(name: str, arg_type: str, src: set[str], tgt: set[str]) -> list[Issue]:
    if arg_type == "select":  # a formatter refuses a select without "other" too
        return [
            Issue(
                f"ICU {{{name}, select}}: case {key!r} missing",
                Category.SYNTAX if key == "other" else Category.STRUCTURE,
                "icu",
            )
            for key in sorted(src - tgt)
        ] + [
            Issue(f"ICU {{{name}, select}}: unexpected case {key!r}", Category.STRUCTURE, "icu")
            for key in sorted(tgt - src)
        ]
    problems = []
    if "other" not in tgt:  # ICU formatters refuse a plural without it, as a syntax error
        text = f"ICU {{{name}, {arg_type}}}: case 'other' missing"
        problems.append(Issue(text, Category.SYNTAX, "icu"))
    for key in sorted(k for k in src - tgt if k.startswith("=")):
        text = f"ICU {{{name}, {arg_type}}}: case {key!r} missing"
        problems.append(Issue(text, Category.STRUCTURE, "icu"))
    for key in sorted(tgt):
        if key not in CLDR_CATEGORIES and not re.fullmatch(r"=\d+", key):
            text = f"ICU {{{name}, {arg_type}}}: {key!r} is not a plural category"
            problems.append(Issue(text, Category.STRUCTURE, "icu"))
    return problems
