"""YAML locale files (Rails i18n and plain nested keys), edited on ruamel.yaml's round trip.

Comments, key order, quoting, block scalars, anchors and aliases survive; the layout (mapping and
sequence indentation, ``~``/``null`` spelling, ``---``) is detected so an unchanged file is written
back byte for byte, and an untouched file is never re-serialised at all. A Rails file keeps its
root locale key out of entry keys (``cart.items.one``, not ``en.cart.items.one``); the target gets
its own root (``en:`` in the source becomes ``de:``). Rails plurals (a mapping of CLDR category
keys) get exactly the target language's categories; a new key goes after its source-order
neighbour, and a comment below that neighbour stays above the key it introduces.
Rails reads YAML 1.1, so a written key or text that would read there as no text (``no``,
``off``, ``12:30``) is quoted, and a plain source value like ``yes`` is copied, not translated.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    ScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from l10n_qwen import limits, verbatim
from l10n_qwen.catalog import LoadOptions
from l10n_qwen.errors import InputError
from l10n_qwen.formats import tree, yaml_splice
from l10n_qwen.formats.pairing import Pairing, _same_locale, pair
from l10n_qwen.formats.plurals import rules_for
from l10n_qwen.formats.treefile import TreeFile

NAME = "yaml"
SUFFIXES: tuple[str, ...] = (".yml", ".yaml")

# Plain scalars that YAML 1.1 (Ruby's Psych, hence Rails) reads as something other than text:
# booleans (Psych ignores their case; the spec adds y/n), nulls, integers (binary, octal, hex,
# decimal with ``_`` or Psych's ``,``, sexagesimal ``12:30``), floats, timestamps and ``<<``/``=``.
# YAML 1.2 (ruamel) reads many of them as text, so a translation "no" or "12:30", or a key
# ``off``, must be quoted, and a plain source value ``yes`` is no text to translate.
_YAML11_SCALAR = re.compile(
    r"""^(?:
        (?i:y|n|yes|no|true|false|on|off)
      | ~ | (?i:null)
      | [-+]?0b[01_]+ | [-+]?0x[0-9a-fA-F_]+ | [-+]?[0-9][0-9_,]*
      | [-+]?(?:[0-9][0-9_,]*\.[0-9_]*|\.[0-9][0-9_]*|[0-9][0-9_]*(?=[eE]))(?:[eE][-+]?[0-9]+)?
      | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}
        (?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
           (?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?
      | << | =
    )$""",
    re.VERBOSE,
)
_NULL_ITEM = re.compile(r"^[ \t]*-[ \t]+(~|null|Null|NULL)[ \t]*(?:#.*)?$", re.MULTILINE)
_NULL_VALUE = re.compile(r":[ \t]+(~|null|Null|NULL)[ \t]*(?:#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class Layout:
    """What ruamel needs to write a file the way it was written."""

    mapping: int = 2
    sequence: int = 2
    offset: int = 0
    explicit_start: bool = False
    null_value: str = ""  # how a null mapping value is spelled: "", "~" or "null"
    null_item: str = ""  # how a null list item is spelled


def _guess_layout(text: str, fallback: Layout | None = None) -> Layout:
    """The file's layout; what it does not show is taken from ``fallback`` (the source's)."""
    base = fallback or Layout()
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#") and line.strip() != "---"
    ]
    mapping = seq_offset = seq_indent = None
    for above, below in itertools.pairwise(lines):
        if not above.rstrip().endswith(":"):
            continue
        indent_above = len(above) - len(above.lstrip(" "))
        body = below.lstrip(" ")
        indent_below = len(below) - len(body)
        if body.startswith("- ") or body == "-":
            if seq_offset is None and indent_below >= indent_above:
                seq_offset = indent_below - indent_above
                after_dash = body[1:]
                seq_indent = seq_offset + 1 + len(after_dash) - len(after_dash.lstrip(" "))
        elif mapping is None and indent_below > indent_above:
            mapping = indent_below - indent_above
        if mapping is not None and seq_offset is not None:
            break
    mapping = mapping or base.mapping
    if seq_offset is None or seq_indent is None:
        seq_offset, seq_indent = base.offset, base.sequence
    return Layout(
        mapping,
        max(seq_indent, seq_offset + 2),
        seq_offset,
        text.lstrip().startswith("---") if text.strip() else base.explicit_start,
        _most_common(_NULL_VALUE.findall(text), base.null_value),
        _most_common(_NULL_ITEM.findall(text), base.null_item),
    )


def _most_common(spellings: list[str], default: str) -> str:
    return max(sorted(set(spellings)), key=spellings.count) if spellings else default


class _Representer(RoundTripRepresenter):
    """Writes nulls the way the file does, which ruamel itself does not remember."""

    null_value = ""
    null_item = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_seq: list[bool] = []

    def represent_sequence(self, *args: Any, **kwargs: Any) -> Any:
        self._in_seq.append(True)
        try:
            return super().represent_sequence(*args, **kwargs)
        finally:
            self._in_seq.pop()

    def represent_mapping(self, *args: Any, **kwargs: Any) -> Any:
        self._in_seq.append(False)
        try:
            return super().represent_mapping(*args, **kwargs)
        finally:
            self._in_seq.pop()

    def represent_none(self, data: Any) -> Any:
        if not self._in_seq:
            return super().represent_none(data)
        spelling = self.null_item if self._in_seq[-1] else self.null_value
        return self.represent_scalar("tag:yaml.org,2002:null", spelling)


_Representer.add_representer(type(None), _Representer.represent_none)


def _yaml(layout: Layout) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-fold long lines
    yaml.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    yaml.explicit_start = layout.explicit_start
    representer = type(
        "Representer",
        (_Representer,),
        {"null_value": layout.null_value, "null_item": layout.null_item},
    )
    yaml.Representer = representer
    return yaml


def _dump(data: Any, layout: Layout) -> str:
    out = io.StringIO()
    _yaml(layout).dump(data, out)
    return out.getvalue()


@dataclass
class _Doc:
    path: Path
    text: str
    data: Any
    layout: Layout
    raw: bytes | None = None  # the file's bytes; None if it does not exist yet
    _base: str | None = None  # ruamel's dump of ``text`` as read, unedited

    def spliced(self, edited: str) -> str:
        """``edited`` (ruamel's dump after edits) as edits of the text as read, where ruamel
        rewrote lines it did not need to (a plain scalar folded over lines, a flow mapping);
        ruamel's dump where an edit falls inside such lines (see ``yaml_splice``)."""
        if yaml_splice.only_inserts(self.text, edited):
            return edited  # every line as read is still there: ruamel kept them all
        if self._base is None:  # loaded again only now: a file never written never pays for it
            self._base = _dump(_yaml(self.layout).load(self.text), self.layout)
        if self._base == self.text:
            return edited  # ruamel keeps every line of this file: its dump is exact
        merged = yaml_splice.merge(self.text, self._base, edited)
        if merged is None or not _holds(merged, self.data):
            return edited
        return merged


def _holds(text: str, data: Any) -> bool:
    """Whether ``text`` reads as ``data`` (a guard on the splice; one plain load)."""
    try:
        return bool(YAML(typ="safe").load(text) == data)
    except YAMLError:
        return False


def yaml_error(path: Path, exc: YAMLError) -> InputError:
    """ruamel's error as an ``InputError`` with file, line and column (1-based)."""
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or str(exc)
        where = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        return InputError(path, f"invalid YAML: {message}", *where)
    return InputError(path, f"invalid YAML: {exc}")


def _read(path: Path, fallback: Layout | None = None) -> _Doc:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, "not UTF-8 text", raw.count(b"\n", 0, exc.start) + 1) from exc
    layout = _guess_layout(text, fallback)
    return _Doc(path, text, load_bounded(_yaml(layout), path, text), layout, raw)


def load_bounded(yaml: YAML, path: Path, text: str) -> Any:
    """``yaml.load(text)``, refusing what would cost far more than the text's size (too deep a
    nesting, aliases expanding past a budget: see ``limits``); InputError with the line."""
    # ruamel's scanner takes time quadratic in the nesting of flow collections ("[[[[..."):
    # a text that may be deep is measured first, by parser events, stopping at the limit.
    cut = _deep_from(text)
    line = _deep_line(text[:cut]) if cut is not None else None
    if line is not None:
        raise limits.too_deep(path, line)
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise yaml_error(path, exc) from exc
    except RecursionError:  # ruamel composes nodes recursively: find the line without doing so
        raise limits.too_deep(path, _deep_line(text)) from None
    except Exception as exc:  # ruamel's own slips: "<<: *a" inside the "&a" it refers to
        raise InputError(path, f"invalid YAML: {type(exc).__name__}: {exc}") from exc
    limits.check_tree(path, data, len(text), _node_line)
    if "\\u" in text or "\\U" in text:  # only an escape can make a lone surrogate
        limits.check_surrogates(path, data, _node_line)
    if "!" in text:
        _check_tags(path, text, data)
    return data


def _check_tags(path: Path, text: str, data: Any) -> None:
    """Refuse a local tag with a flow indicator (``!,000``): ruamel takes it, but YAML forbids
    it and Ruby's reader refuses the file, and a copied value would carry it into a target."""
    for node, _parent in limits.nodes(data):
        tag = getattr(getattr(node, "tag", None), "value", None)
        if isinstance(tag, str) and tag.startswith("!") and any(c in tag for c in ",[]{}"):
            at = text.find(tag)
            line = text.count("\n", 0, at) + 1 if at >= 0 else None
            raise InputError(path, f"invalid YAML: {tag!r} is not a valid tag", line)


def _node_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return int(lc.line) + 1 if lc is not None and lc.line is not None else None


_BRACKET = re.compile(r"[][{}]")
_DEEP_INDENT = re.compile(rf"^ {{{limits.MAX_DEPTH},}}\S", re.MULTILINE)


def _deep_from(text: str) -> int | None:
    """Where ``text`` may first nest deeper than the limit (brackets, in strings too, or
    indentation go that deep), or None: cheap, and None for real locale files. ruamel's scanner
    reads every "[" ahead before it yields one event, so only the text up to there is parsed."""
    depth = 0
    for match in _BRACKET.finditer(text):
        if match[0] in "[{":
            depth += 1
            if depth > limits.MAX_DEPTH:
                return match.end()
        else:
            depth = max(depth - 1, 0)
    # Block nesting (no look-ahead problem there) may go deep once lines are this indented.
    return None if _DEEP_INDENT.search(text) is None else len(text)


def _deep_line(text: str) -> int | None:
    """The line where ``text`` nests deeper than ``limits.MAX_DEPTH`` (parser events only)."""
    depth = 0
    try:
        for event in YAML(typ="rt").parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > limits.MAX_DEPTH:
                    return int(event.start_mark.line) + 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        pass
    return None


def _line(root: Any, path: tree.PathT) -> int | None:
    """The 1-based line of the key (or list item) at ``path``, if it was in the loaded file."""
    if not path:
        return None
    parent = tree.get_path(root, path[:-1])
    seg = path[-1]
    try:
        if isinstance(parent, CommentedMap) and seg in parent._ok:
            return int(parent.lc.key(seg)[0]) + 1
        if isinstance(parent, CommentedSeq) and isinstance(seg, int) and seg < len(parent):
            return int(parent.lc.item(seg)[0]) + 1
    except (KeyError, TypeError, IndexError, AttributeError):
        return None
    return None


def _rails_root(data: Any, locale: str | None) -> str | None:
    """The root locale key of a Rails file (``en:``), if ``data`` is one."""
    if isinstance(data, CommentedMap) and len(data) == 1 and locale is not None:
        key = next(iter(data))
        if isinstance(key, str) and _same_locale(key, locale):
            return key
    return None


class YamlFile(TreeFile):
    """A plain YAML target file (nested keys at the top) paired with its source."""

    def __init__(self, path: Path, doc: _Doc, pairing: Pairing, source: _Doc | None) -> None:
        super().__init__(path, pairing)
        self._doc = doc
        self._source = source
        self._orders: dict[tree.PathT, _Order] = {}
        self._root_key: str | None = None
        self._source_root: str | None = None
        self._source_body: Any = tree.MISSING
        self._source_keys: dict[tree.PathT, dict[str, ScalarString]] = {}
        self._quote_type: type[ScalarString] | None = None
        if source is not None:
            self._plan_entries(source)

    def _settle_root(self, source: _Doc, data: CommentedMap) -> None:
        """Refuse a target whose keys sit under a root locale key its source does not have."""
        root = _rails_root(data, self._pairing.locale)
        if root is not None and root not in self._source_body:  # filling would mix both layouts
            raise InputError(
                self.path,
                f"unexpected root key {root!r}: {source.path} has its keys at the top, "
                "with no root key naming the locale",
                _line(data, (root,)),
            )

    def _plan_entries(self, source: _Doc) -> None:
        source_root = self._source_root
        source_body = source.data[source_root] if source_root is not None else source.data
        self._source_body = source_body
        if not isinstance(source_body, CommentedMap):
            raise InputError(source.path, "expected a mapping of keys at the top", 1)
        data = self._doc.data
        if data is None:  # empty, or nothing but comments
            data = self._doc.data = _comments_only(self._doc.text)
        if not isinstance(data, CommentedMap):
            raise InputError(self.path, "expected a mapping of keys at the top", 1)
        self._settle_root(source, data)

        def is_text(path: tree.PathT) -> bool:
            # A plain ``yes`` or ``12:30`` is text to ruamel (YAML 1.2) but not to Rails, nor is
            # a plain ``:year`` (a Ruby symbol); a URL or a lone ``%{count}`` is copied as well.
            value = tree.get_path(source_body, path)
            if type(value) is str and (_YAML11_SCALAR.match(value) or verbatim.is_symbol(value)):
                return False
            return not (isinstance(value, str) and verbatim.kind(value) == "copy")

        rules = dataclasses.replace(rules_for(self._pairing.locale, "subkeys"), is_text=is_text)
        self._plan_slots(source_body, self._body(create=False), rules, source.path)

    def _line(self, slot: tree.Slot) -> int:
        line = _line(self._doc.data, self._full(slot.path))
        if line is None and self._source is not None:
            root = self._source_root
            line = _line(self._source.data, (root, *slot.source_path) if root else slot.source_path)
        return line or 0

    def _shape_line(self, path: tree.PathT) -> int | None:
        return _line(self._doc.data, self._full(path))

    def _full(self, path: tree.PathT) -> tree.PathT:
        return (self._root_key, *path) if self._root_key is not None else path

    def _body(self, *, create: bool) -> Any:
        data = self._doc.data
        if self._root_key is None:
            return data
        if self._root_key not in data:
            if not create:
                return tree.MISSING
            root = self._source_root
            key = type(root)(self._root_key) if isinstance(root, ScalarString) else None
            data[self._quoted(self._root_key) if key is None else key] = CommentedMap()
        body = data[self._root_key]
        if body is None and create:
            body = data[self._root_key] = CommentedMap()
        return body

    def _first_change(self) -> None:
        self._quotes()  # the file's quote style, before edits add quoted keys of the source's
        for path, value in self._plan.copies:
            self._set(path, _fresh_copy(value), None)  # as it is: a plain ``yes`` stays plain

    def _put(self, slot: tree.Slot, text: str) -> None:
        self._set(slot.path, text, slot.source_path)

    def dumps(self) -> bytes:
        raw = self._doc.raw
        if not self._changed:
            return raw if raw is not None else b""
        text = _dump(self._doc.data, self._doc.layout)
        if raw is not None and self._doc.text.strip():
            text = self._doc.spliced(text)  # keeps the file's own line ends
        else:
            # ruamel writes LF; a blank CR LF file, or a new one beside a CR LF source, is CR LF.
            like = self._doc.text or (self._source.text if self._source is not None else "")
            if like.count("\r\n") * 2 > like.count("\n"):
                text = text.replace("\n", "\r\n")
        bom = codecs.BOM_UTF8 if raw is not None and raw.startswith(codecs.BOM_UTF8) else b""
        return bom + text.encode("utf-8")

    def _styled(self, text: str, current: Any, source_path: tree.PathT) -> Any:
        """``text`` quoted like the value it replaces, else like its source text."""
        if isinstance(current, ScalarString):
            return type(current)(text)
        original = tree.get_path(self._source_body, source_path)
        if isinstance(original, ScalarString):
            return type(original)(text)
        return self._quoted(text)

    def _quoted(self, text: str) -> Any:
        """``text``, in the file's quotes if YAML 1.1 would read it (plain) as no text."""
        return self._quotes()(text) if _YAML11_SCALAR.match(text) else text

    def _quotes(self) -> type[ScalarString]:
        """The quotes the file had as loaded, else the source's; double ones by default."""
        if self._quote_type is None:
            found = _quote_type(self._doc.data)
            if found is None and self._source is not None:
                found = _quote_type(self._source.data)
            self._quote_type = found or DoubleQuotedScalarString
        return self._quote_type

    def _key(self, parent: tree.PathT, key: str) -> Any:
        """A new key under ``parent``: quoted like the source's key, else if YAML 1.1 needs it."""
        quoted = self._source_keys.get(parent)
        if quoted is None:
            container = tree.get_path(self._source_body, parent)
            quoted = self._source_keys[parent] = (
                {str(k): k for k in container if isinstance(k, ScalarString)}
                if isinstance(container, CommentedMap)
                else {}
            )
        original = quoted.get(key)
        return type(original)(key) if original is not None else self._quoted(key)

    def _order(self, path: tree.PathT) -> _Order:
        order = self._orders.get(path)
        if order is None:
            order = self._orders[path] = _Order(self._plan.order.get(path, ()))
        return order

    def _set(self, path: tree.PathT, value: Any, source_path: tree.PathT | None) -> None:
        """Put ``value`` at ``path``: a translation of ``source_path``, or a copy if None."""
        node = self._body(create=True)
        for depth, seg in enumerate(path):
            last = depth == len(path) - 1
            if last:
                fresh = value
                if isinstance(value, str) and source_path is not None:
                    fresh = self._styled(value, _get(node, seg), source_path)
            else:
                fresh = CommentedSeq() if isinstance(path[depth + 1], int) else CommentedMap()
            if isinstance(seg, int):
                while len(node) < seg:
                    node.append("")
                if seg == len(node):
                    node.append(fresh)
                elif last or not isinstance(node[seg], (dict, list)):
                    node[seg] = fresh
            elif seg not in node:
                _insert(node, self._key(path[:depth], seg), fresh, self._order(path[:depth]))
            elif last or not isinstance(node[seg], (dict, list)):
                node[seg] = fresh
            node = node[seg]


class RailsYamlFile(YamlFile):
    """A Rails YAML target: its keys sit under one root key naming the locale (``de:``), which
    entry keys leave out and the target gets as its own (``en:`` in the source becomes ``de:``)."""

    def __init__(self, path: Path, doc: _Doc, pairing: Pairing, source: _Doc | None) -> None:
        if source is None:  # the source-language file itself
            root = _rails_root(doc.data, pairing.locale)
        else:
            root = _rails_root(source.data, pairing.source_locale)
        self._root_in_source = root
        super().__init__(path, doc, pairing, source)
        if source is None:
            self._root_key = root

    def _plan_entries(self, source: _Doc) -> None:
        self._source_root = self._root_in_source
        super()._plan_entries(source)

    def _settle_root(self, source: _Doc, data: CommentedMap) -> None:
        self._root_key = _rails_root(data, self._pairing.locale) or (
            next(iter(data)) if len(data) == 1 and self._pairing.locale is None else None
        )
        if self._root_key is None:
            if len(data):
                raise InputError(
                    self.path,
                    f"expected one root key naming the locale (like {self._source_root!r} in "
                    f"{source.path})",
                    1,
                )
            self._root_key = self._pairing.locale_token or self._pairing.locale or self._source_root

    @property
    def language(self) -> str | None:
        return self._root_key or self._pairing.locale


class _Order:
    """A container's key order, with O(1) lookup (large flat files insert thousands of keys)."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = list(keys)
        self.rank = {key: i for i, key in enumerate(self.keys)}


def _get(node: Any, seg: str | int) -> Any:
    if isinstance(seg, int):
        return node[seg] if seg < len(node) else None
    return node.get(seg)


def _quote_type(data: Any) -> type[ScalarString] | None:
    """The quotes most of the file's quoted keys and values have (double on a tie), if any."""
    counts = {DoubleQuotedScalarString: 0, SingleQuotedScalarString: 0}
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:  # an alias
                continue
            seen.add(id(node))
            stack.extend(
                itertools.chain.from_iterable(node.items()) if isinstance(node, dict) else node
            )
        elif type(node) in counts:
            counts[type(node)] += 1
    double, single = counts.values()
    if not double and not single:
        return None
    return SingleQuotedScalarString if single > double else DoubleQuotedScalarString


def _comments_only(text: str) -> CommentedMap:
    """An empty mapping for a document with no content, keeping the comments it has.

    ruamel loads such a document as ``None`` and drops its comments; here they become the
    mapping's start comment, which ruamel writes above the first key (and below ``---``).
    """
    data = CommentedMap()
    kept = []
    for line in text.splitlines():
        # Comments and blank lines only: "~", "null", "--- # note" hold a null, not text to keep.
        body = re.sub(r"^(?:---|\.\.\.)(?=\s|$)", "", line).strip()
        if not body or body.startswith("#"):
            kept.append(body)
    comment = "\n".join(kept).strip("\n")
    if comment.strip():
        comment += "" if comment.endswith("\n") else "\n"
        data.ca.comment = [None, [CommentToken(comment, CommentMark(0), None)]]
    return data


def _fresh_copy(value: Any) -> Any:
    """A copy of a source value without the source's comments and positions."""
    if isinstance(value, dict):
        return CommentedMap((k, _fresh_copy(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_fresh_copy(v) for v in value)
    return value


def _insert(node: CommentedMap, key: str, value: Any, order: _Order) -> None:
    """Put ``key`` after its nearest predecessor in ``order`` that ``node`` has."""
    own = node._ok  # the keys of its own, not merged in
    anchor = None
    if key in order.rank:
        for i in range(order.rank[key] - 1, -1, -1):
            if order.keys[i] in own:
                anchor = order.keys[i]
                break
    elif own:
        anchor = next(k for k in reversed(node) if k in own)
    if anchor is None:
        node.insert(0, key, value)
        return
    merged = bool(getattr(node, "merge", None))
    if merged or anchor == next(reversed(node)):
        node[key] = value  # at the end (with a ``<<:`` merge, positions count it too)
    else:
        node.insert([k for k in node if k in own].index(anchor) + 1, key, value)
    _move_trailing_comment(node, anchor, key)


def _tail(container: Any, key: Any) -> tuple[Any, Any]:
    """The innermost last (container, key) of the value at ``container[key]``."""
    value = container[key]
    while isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        container = value
        key = next(reversed(value)) if isinstance(value, CommentedMap) else len(value) - 1
        value = container[key]
    return container, key


def _move_trailing_comment(node: CommentedMap, anchor: str, key: str) -> None:
    """Comment lines below ``anchor``'s value introduce what follows: keep them below ``key``.

    ruamel stores them with the preceding value (after its end-of-line comment), so a key
    inserted after ``anchor`` would land below them.
    """
    old_container, old_key = _tail(node, anchor)
    slot = 2 if isinstance(old_container, CommentedMap) else 0
    items = old_container.ca.items.get(old_key)
    token = items[slot] if items else None
    if not isinstance(token, CommentToken) or "\n" not in token.value:
        return
    head, _, rest = token.value.partition("\n")
    if not rest:
        return
    token.value = head + "\n"
    new_container, new_key = _tail(node, key)
    new_slot = 2 if isinstance(new_container, CommentedMap) else 0
    moved = CommentToken("\n" + rest, token.start_mark, None)
    entry = new_container.ca.items.setdefault(new_key, [None, None, None, None])
    entry[new_slot] = moved


def load(path: Path, options: LoadOptions) -> YamlFile:
    """Load a YAML target and its source; InputError for bad YAML, UsageError for no source."""
    path = Path(path)
    pairing = pair(path, options)
    if pairing.source is None:
        doc = _read(path)
        rails = _rails_root(doc.data, pairing.locale) is not None
        return (RailsYamlFile if rails else YamlFile)(path, doc, pairing, None)
    source = _read(pairing.source)
    if path.exists():
        doc = _read(path, source.layout)
    else:
        doc = _Doc(path, "", CommentedMap(), source.layout)
    rails = _rails_root(source.data, pairing.source_locale) is not None
    return (RailsYamlFile if rails else YamlFile)(path, doc, pairing, source)
