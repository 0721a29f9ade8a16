"""gettext PO files: a line map keeps every byte not filled, and reads the meaning too.

The line scan (``po_lines.read``) reads every entry; polib parses the file again only when the
scan cannot vouch that polib would read the same entries from it (see ``po_lines.Scan``), so
that polib's errors and quirks stay what they were and a plain file is parsed once.

polib's ``save`` re-wraps the whole file at 78 columns, so it is never used: the file's own lines
are kept and ``dumps`` replaces only the ``#,`` and ``msgstr`` lines of the entries that were filled
or approved (see ``po_lines.py``). Encoding, line endings, a BOM and a missing final newline are
kept as they were.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib

from l10n_qwen import formatcheck, gettext_plurals, placeholders
from l10n_qwen.catalog import Entry, LoadOptions, State, entry_key
from l10n_qwen.charsets import po_codec
from l10n_qwen.errors import InputError
from l10n_qwen.formats.po_lines import (
    GETTEXT_WIDTH,
    Kind,
    PoSyntaxError,
    Span,
    classify,
    continuation,
    flag_tokens,
    read,
    render,
)
from l10n_qwen.gcpause import collector_paused
from l10n_qwen.gettext_plurals import PluralLayout, gettext_layout
from l10n_qwen.limits import check_nplurals
from l10n_qwen.severity import MARKUP_KINDS

NAME = "po"
SUFFIXES: tuple[str, ...] = (".po", ".pot")  # annotated: the registry protocol wants it

_LINE_IN_ERROR = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
# What str.splitlines ends a line at and bytes.splitlines does not (only \n, \r, \r\n).
_STR_ONLY_LINE_ENDS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@dataclass(slots=True)
class _Record:
    """One live entry: what the pipeline sees, where it sits, and what was changed."""

    entry: Entry
    span: Span
    plural: bool
    was_fuzzy: bool
    fuzzy: bool
    targets: list[str] | None = None  # new msgstr values, once filled
    forms: int = 1  # msgstr / msgstr[n] lines in the file


@dataclass(slots=True)
class _Message:
    """What the adapter reads of one entry: the fields of polib's ``POEntry`` it uses."""

    msgctxt: str | None
    msgid: str
    msgid_plural: str
    msgstr: str
    msgstr_plural: dict[int, str]
    flags: list[str]
    tcomment: str
    comment: str
    obsolete: bool


@dataclass(frozen=True)
class _PluralRule:
    nplurals: int
    expr: str
    from_header: bool  # False: from our table, so the header needs a Plural-Forms line on write


def load(path: Path, options: LoadOptions) -> PoFile:
    """Read a PO/POT file; any error is an ``InputError`` naming the file and line."""
    with collector_paused():
        return _load(Path(path), options)


def _load(path: Path, options: LoadOptions) -> PoFile:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    raw = data[len(bom) :].splitlines(keepends=True)  # \n, \r\n and \r: as polib splits lines
    charset = file_charset(path, raw)
    texts = _decode(path, data[len(bom) :], raw, charset)
    try:  # before polib, which reads some malformed strings quietly and wrongly
        found = read(texts)
    except PoSyntaxError as exc:
        raise InputError(path, f"syntax error: {exc.message}", exc.line, exc.column) from exc
    spans, header = found.spans, _header_span(found.spans)
    live = [span for span in spans if span is not header]
    if found.polib_exact and codecs.lookup(charset).name == "utf-8" and _one_header(spans):
        # polib would read the same entries from the same lines (see ``po_lines.Scan``): take
        # them from the scan, and spare a second parse of the file (half the load time).
        metadata = _metadata(header.values.get("msgstr", "") if header else "")
        # Read as the records are built, each entry once while its lines are at hand.
        messages: Iterable[_Message] = (_from_span(span, texts) for span in live)
    else:
        try:
            po = polib.pofile(str(path), encoding=charset)
        except (OSError, ValueError) as exc:  # polib raises OSError("Syntax error ... (line N)")
            raise _parse_error(path, exc) from exc
        metadata, messages = po.metadata, _from_polib(path, po, live)
    language = metadata.get("Language", "").strip() or None
    plural_forms = metadata.get("Plural-Forms", "")
    # New lines end as most of the file's lines do (every "\n" ends a line, as does "\r\n").
    crlf = data.count(b"\r\n")
    eol = "\r\n" if crlf > data.count(b"\n") - crlf else "\n"
    return PoFile(path, options, language, plural_forms, bom, raw, eol, charset, header)._read(
        messages, live
    )


def file_charset(path: Path, raw: Sequence[bytes] | None = None) -> str:
    """The codec for the file's declared charset (see ``charsets``); InputError naming the
    header line if it is no text encoding."""
    if raw is None:
        raw = path.read_bytes().splitlines(keepends=True)
    line = next((n for n, text in enumerate(raw, start=1) if b"charset=" in text), None)
    return po_codec(path, polib.detect_encoding(str(path)), line)


def _decode(path: Path, data: bytes, raw: Sequence[bytes], charset: str) -> list[str]:
    """The lines of ``raw`` (``data`` split) as text, without their line ends; InputError at an
    undecodable byte."""
    try:
        if codecs.lookup(charset).name == "utf-8":  # one decode, if str splits as bytes did
            text = data.decode(charset)
            # One fast search per character: a regex set tests each character of the file.
            if not any(end in text for end in _STR_ONLY_LINE_ENDS):
                return text.splitlines()
        return [line.rstrip(b"\r\n").decode(charset) for line in raw]
    except UnicodeDecodeError:
        pass
    for number, line in enumerate(raw, start=1):  # again, one at a time, to name the line
        try:
            line.rstrip(b"\r\n").decode(charset)
        except UnicodeDecodeError as exc:
            raise InputError(
                path,
                f"not valid {charset} text (byte 0x{line[exc.start]:02x});"
                " the header's charset must match the file's encoding",
                line=number,
                column=exc.start + 1,
            ) from exc
    raise AssertionError("unreachable: a line failed to decode once but not twice")


def _parse_error(path: Path, exc: Exception) -> InputError:
    match = _LINE_IN_ERROR.search(str(exc))
    if match is None:
        return InputError(path, f"not a valid PO file: {exc}")
    detail = f"syntax error: {match[2]}" if match[2] else "syntax error"
    return InputError(path, detail, line=int(match[1]))


class PoFile:
    """A loaded PO file (see ``catalog.LocaleFile``)."""

    native_review = True

    def __init__(
        self,
        path: Path,
        options: LoadOptions,
        language: str | None,
        plural_forms: str,
        bom: bytes,
        raw: list[bytes],
        eol: str,
        charset: str,
        header_span: Span | None,
    ) -> None:
        self.path = path
        self._bom = bom
        # The lines as read (line ends included); not also as text: the few a fill or approve
        # reads again are decoded then (``_text``), and a large file's text doubled its size.
        self._raw = raw
        self._charset = charset
        # "\r\n" or "\n", never a bare CR: gettext reads a CR before LF as part of the line
        # end, a CR alone as a blank, so a "#, fuzzy" line ended by CR alone would swallow the
        # msgid after it (a file with CR CR LF line ends).
        self._eol = eol
        self._language = language
        self._target = options.target_lang or self._language
        self._header = header_span
        # msgfmt takes "nplurals=" and "plural=" from anywhere in the header, as gettext's
        # runtime does: so must we, or a mangled header gets forms msgfmt counts otherwise.
        header = self._header.values.get("msgstr", "") if self._header else ""
        self._rule = _plural_rule(header or plural_forms, self._target)
        if self._rule is not None and self._rule.from_header:  # before any work sized by it
            check_nplurals(path, self._rule.nplurals, self._header_line("nplurals"))
        self._filled = False
        self._records: dict[str, _Record] = {}
        self._flag_sets: dict[tuple[str, ...], frozenset[str]] = {}  # one set per distinct flags

    def _read(self, messages: Iterable[_Message], spans: list[Span]) -> PoFile:
        """Build the records of the entries (``messages``, read from ``spans``, same order)."""
        for poentry, span in zip(messages, spans, strict=True):
            if poentry.obsolete:
                continue
            if span.msgstr_start < 0:  # polib lets a last msgid go without one; msgfmt does not
                raise InputError(self.path, "msgid without msgstr", line=span.start + 1)
            record = self._record_for(poentry, span)
            first = self._records.setdefault(record.entry.key, record)
            if first is not record:
                raise InputError(
                    self.path,
                    f"duplicate message definition (first defined at line {first.entry.line})",
                    line=record.entry.line,
                )
        return self

    def _record_for(self, poentry: _Message, span: Span) -> _Record:
        plural = bool(poentry.msgid_plural or poentry.msgstr_plural)
        flags = self._flag_sets.get(tuple(poentry.flags))
        if flags is None:  # shared by the entries with the same flags: fewer objects to keep
            flags = self._flag_sets[tuple(poentry.flags)] = frozenset(poentry.flags) - {"fuzzy"}
        sources: tuple[str, ...]
        layout = _layout(self._rule, poentry, flags) if plural else None
        if layout is not None:
            n = self._rule.nplurals if self._rule else max(2, len(poentry.msgstr_plural))
            sources = tuple(
                poentry.msgid if i == layout.singular else poentry.msgid_plural for i in range(n)
            )
            targets = [poentry.msgstr_plural.get(i, "") for i in range(n)]
            # msgfmt compares every form with msgid_plural; only msgstr[0] alone is strict.
            refs = tuple((poentry.msgid_plural, n == 1 or i in layout.strict) for i in range(n))
        else:
            sources, targets = (poentry.msgid,), [poentry.msgstr]
            refs = ((poentry.msgid, True),)
        fuzzy = "fuzzy" in poentry.flags
        entry = Entry(
            key=entry_key(poentry.msgctxt, poentry.msgid),
            sources=sources,
            targets=targets,
            state=_state(targets, fuzzy),
            context=poentry.msgctxt,
            comments=(
                f"{poentry.tcomment}\n{poentry.comment}"
                if poentry.tcomment and poentry.comment
                else poentry.tcomment or poentry.comment
            ),
            flags=flags,
            line=span.start + 1,
            hints=layout.hints if layout and len(layout.hints) == len(sources) else (),
            single_value_slots=layout.single if layout else _NO_SLOTS,
            msgfmt_refs=refs,
            guess=fuzzy and bool(span.previous_lines),
        )
        forms = len(poentry.msgstr_plural) if plural else 1
        return _Record(entry, span, plural, was_fuzzy=fuzzy, fuzzy=fuzzy, forms=forms)

    @property
    def language(self) -> str | None:
        """The ``Language`` header, if set."""
        return self._language

    def entries(self) -> Sequence[Entry]:
        """Every live entry in file order (not the header, not obsolete ``#~`` entries)."""
        return [record.entry for record in self._records.values()]

    def fill(self, entry: Entry, targets: Sequence[str], *, review: bool) -> None:
        """Set the msgstr (or every msgstr[n]) of ``entry``; ``review`` adds ``#, fuzzy``.

        Raises ``InputError`` (and changes nothing) if a text cannot be written in the file's
        charset, or a plural entry has no known plural rule.
        """
        record = self._find(entry)
        if len(targets) != len(record.entry.sources):
            raise ValueError(f"{entry.key!r} takes {len(record.entry.sources)} targets")
        if record.plural and self._rule is None:
            raise InputError(
                self.path,
                "no Plural-Forms header and no known language to take the plural rule from",
                line=record.entry.line,
            )
        for text in targets:
            if text.isascii():  # every charset of the allow-list holds ASCII (test_charsets)
                continue
            try:
                text.encode(self._charset)
            except UnicodeEncodeError as exc:
                raise InputError(
                    self.path,
                    f"{text[exc.start : exc.end]!r} cannot be written in the file's charset"
                    f" {self._charset}; convert the file first (msgconv -t UTF-8)",
                    line=record.entry.line,
                ) from exc
        # An approved plural entry short of forms (Django's Hebrew catalog declares 4, its
        # entries have 3): marking it fuzzy would take its human forms out of the compiled
        # catalog, so it stays approved and the run reports the new form for review (#8).
        # (An entry whose forms are all there, some empty, is a translator's unfinished work.)
        present = record.entry.targets[: record.forms]
        completes = (
            record.plural and not record.was_fuzzy and record.forms < len(targets) and all(present)
        )
        if record.plural and any(record.entry.targets) and self._rule is not None:
            self._check_completed(record, targets)
        record.targets = list(targets)
        record.fuzzy = review and not completes
        self._filled = True
        self._update(record, entry)

    def _check_completed(self, record: _Record, targets: Sequence[str]) -> None:
        """Refuse to complete a plural entry whose kept forms msgfmt would reject (a person's
        ``msgstr[1]`` ending in ``\\n`` where msgid does not): msgfmt checks an entry only once
        every form is there, so the filled file would fail where the original passed."""
        assert self._rule is not None
        rule = f"nplurals={self._rule.nplurals}; plural={self._rule.expr};"
        values = record.span.values
        found = formatcheck.completed_entry(
            values.get("msgid", ""),
            values.get("msgid_plural", ""),
            list(targets),
            record.entry.flags,
            rule,
        )
        if found:
            raise InputError(
                self.path, f"{found[0]} (a form kept from the file): fix it", record.entry.line
            )

    def approve(self, entry: Entry) -> None:
        """Drop the fuzzy flag of ``entry``, and its ``#|`` previous-msgid lines as Poedit does."""
        record = self._find(entry)
        record.fuzzy = False
        self._update(record, entry)

    def dumps(self) -> bytes:
        """The file's bytes: the original lines, with the changed entries' lines replaced."""
        with collector_paused():
            return self._dumps()

    def _dumps(self) -> bytes:
        raw = self._raw
        # Each edit is encoded as it is made: holding every edit's lines until the end tripled
        # the memory a large fill's save took.
        edits: list[tuple[int, int, bytes]] = []
        if self._filled and self._rule is not None and not self._rule.from_header:
            # first: a new header goes above all
            edits.extend(self._encoded(*edit) for edit in self._header_edits(self._rule))
        for record in self._records.values():
            if record.targets is not None or record.fuzzy != record.was_fuzzy:  # else no edit
                self._entry_edits(record, edits)
        if not edits:
            return self._bom + b"".join(raw)
        # Built up piece by piece: one join of every line and edit would make a buffer record
        # (80 bytes) per piece, more than the file itself.
        out = bytearray(self._bom)
        pos = 0
        for start, end, data in sorted(edits, key=lambda edit: edit[:2]):  # stable sort
            out += b"".join(raw[pos:start])
            out += data
            pos = end
        out += b"".join(raw[pos:])
        return bytes(out)

    def _encoded(self, start: int, end: int, lines: list[str]) -> tuple[int, int, bytes]:
        """An edit: lines ``start`` to ``end`` (exclusive) become ``lines``."""
        eol, raw = self._eol, self._raw
        text = eol.join(lines) + eol if lines else ""
        if end == len(raw) and raw and not _eol(raw[-1]):
            text = text[: -len(eol)]  # the file had no final newline: still none
        return start, end, text.encode(self._charset)

    # -- helpers ---------------------------------------------------------------------------

    def _header_line(self, word: str) -> int | None:
        """The 1-based line of the header that holds ``word``."""
        header = self._header
        if header is None:
            return None
        lines = range(header.start, max(header.msgstr_end, header.start + 1))
        return next((i + 1 for i in lines if word in self._text(i)), header.start + 1)

    @functools.cached_property
    def _wrap(self) -> int:
        """The width new lines are wrapped at: only a fill or a new header needs it."""
        # The lines of more than 79 bytes (a line of more than 79 characters is one), picked
        # out without a Python step per line.
        over = map(GETTEXT_WIDTH.__lt__, map(len, self._raw))
        return _wrap_width(self._text(i) for i in itertools.compress(itertools.count(), over))

    def _text(self, i: int) -> str:
        """Line ``i`` (0-based) as text, without its line end, as ``_decode`` read it."""
        return self._raw[i].rstrip(b"\r\n").decode(self._charset)

    def _find(self, entry: Entry) -> _Record:
        record = self._records.get(entry.key)
        if record is None:
            raise ValueError(f"{entry.key!r} is not an entry of {self.path}")
        return record

    def _update(self, record: _Record, entry: Entry) -> None:
        """Keep the Entry objects (ours, and the caller's if it is a copy) in step."""
        for model in (record.entry,) if entry is record.entry else (record.entry, entry):
            if record.targets is not None:
                model.targets = list(record.targets)
            model.state = _state(model.targets, record.fuzzy)
            # A guess's "#|" lines go with a new translation, or with the fuzzy flag.
            model.guess = model.guess and record.targets is None and record.fuzzy

    def _entry_edits(self, record: _Record, edits: list[tuple[int, int, bytes]]) -> None:
        """Add the edits of a filled or approved entry to ``edits``."""
        span = record.span
        encoded = self._encoded
        if record.fuzzy and not record.was_fuzzy:
            if span.flag_lines:  # gettext puts fuzzy first: "#, fuzzy, c-format"
                i = span.flag_lines[0]
                line = _flags_line(["fuzzy", *flag_tokens(self._text(i))])
                edits.append(encoded(i, i + 1, [line]))
            else:  # a new "#," line goes after the comments, before "#|" and msgctxt/msgid
                at = min((*span.previous_lines, span.keyword_start))
                edits.append(encoded(at, at, ["#, fuzzy"]))
        elif record.was_fuzzy and not record.fuzzy:
            for i in span.flag_lines:
                tokens = flag_tokens(self._text(i))
                if "fuzzy" in tokens:
                    kept = [token for token in tokens if token != "fuzzy"]
                    edits.append(encoded(i, i + 1, [_flags_line(kept)] if kept else []))
            # "#|" says what the fuzzy match was made from: once reviewed it is stale.
            edits.extend(encoded(i, i + 1, []) for i in span.previous_lines)
        if record.targets is not None:
            if record.was_fuzzy and record.fuzzy:  # a msgmerge guess, retranslated
                edits.extend(encoded(i, i + 1, []) for i in span.previous_lines)
            width = 0 if "no-wrap" in record.entry.flags else self._wrap
            lines: list[str] = []
            if record.plural:
                for n, text in enumerate(record.targets):
                    lines += render(f"msgstr[{n}]", text, width)
            else:
                lines = render("msgstr", record.targets[0], width)
            edits.append(encoded(span.msgstr_start, span.msgstr_end, lines))

    def _header_edits(self, rule: _PluralRule) -> list[tuple[int, int, list[str]]]:
        """Add (or correct) the header's Plural-Forms line; create the header if there is none."""
        field = f"Plural-Forms: nplurals={rule.nplurals}; plural={rule.expr};\n"
        header = self._header
        if header is None:
            fields = [
                "MIME-Version: 1.0\n",
                f"Content-Type: text/plain; charset={self._charset.upper()}\n",
                "Content-Transfer-Encoding: 8bit\n",
                f"Language: {self._target}\n" if self._target else "",
                field,
            ]
            lines = ['msgid ""', 'msgstr ""', *continuation("".join(fields), self._wrap), ""]
            return [(0, 0, lines)]
        # The plural rule came from the target language: say which one (msgfmt and editors read
        # it), in a template's empty "Language: " line or next to the new Plural-Forms.
        language = f"Language: {self._target}\n" if self._target and not self._language else ""
        edits: list[tuple[int, int, list[str]]] = []
        plural_line = None
        for i in range(header.msgstr_start + 1, header.msgstr_end):
            line = classify(self._text(i))
            if line.kind is not Kind.MORE:
                continue
            if line.value.startswith("Plural-Forms:"):
                plural_line = i  # e.g. a copied template's "nplurals=INTEGER; plural=EXPRESSION;"
            elif language and line.value.startswith("Language:"):
                edits.append((i, i + 1, continuation(language, self._wrap)))
                language = ""
        field = language + field
        if plural_line is not None:
            return [*edits, (plural_line, plural_line + 1, continuation(field, self._wrap))]
        value = header.values.get("msgstr", "")
        if value and not value.endswith("\n"):
            field = "\n" + field  # the last field had no line end of its own
        end = header.msgstr_end
        return [*edits, (end, end, continuation(field, self._wrap))]


def _layout(rule: _PluralRule | None, poentry: _Message, flags: frozenset[str]) -> PluralLayout:
    """Which form translates which source (see ``gettext_layout``); without a rule, the usual."""
    if rule is None:
        return _NO_RULE_LAYOUT
    without, with_number = _rule_layouts(rule.nplurals, rule.expr)
    if without == with_number:  # most rules: the placeholders make no difference, skip them
        return without
    mentioned = {p.text for p in placeholders.find(poentry.msgid, flags)}
    number_only_in_plural = any(
        p.kind not in MARKUP_KINDS and p.text not in mentioned
        for p in placeholders.find(poentry.msgid_plural, flags)
    )
    return with_number if number_only_in_plural else without


_NO_SLOTS: frozenset[int] = frozenset()
_NO_RULE_LAYOUT = PluralLayout(0, (), frozenset(), frozenset({0, 1}))


@functools.lru_cache(maxsize=64)
def _rule_layouts(nplurals: int, expr: str) -> tuple[PluralLayout, PluralLayout]:
    """The layouts of a rule when the number is, and is not, only in ``msgid_plural``: found
    once per rule, not once per entry (a placeholder search costs ~30 µs an entry)."""
    return (
        gettext_layout(nplurals, expr, number_only_in_plural=False),
        gettext_layout(nplurals, expr, number_only_in_plural=True),
    )


def _from_polib(path: Path, po: polib.POFile, spans: list[Span]) -> list[_Message]:
    """polib's entries, checked against the scanned spans (same order, same messages)."""
    same = len(po) == len(spans) and all(
        (bool(e.obsolete), e.msgctxt, e.msgid) == (s.obsolete, s.msgctxt, s.msgid)
        for e, s in zip(po, spans, strict=True)
    )
    if not same:  # a layout the scanner reads differently from polib: refuse, write nothing
        raise InputError(path, "cannot map the file's lines to its entries")
    return [
        _Message(
            e.msgctxt,
            e.msgid,
            e.msgid_plural,
            e.msgstr,
            e.msgstr_plural,
            e.flags,
            e.tcomment,
            e.comment,
            bool(e.obsolete),
        )
        for e in po
    ]


def _from_span(span: Span, texts: Sequence[str]) -> _Message:
    """The entry polib would read from ``span`` (a ``polib_exact`` scan), as its parser does."""
    values = span.values
    flags: list[str] = []
    for i in span.flag_lines:
        flags += [token.strip() for token in texts[i].strip()[3:].split(",")]
    tcomment = comment = ""
    for i in span.comment_lines:
        line = texts[i].strip()
        if line.startswith("#."):
            comment = _polib_append(comment, line[3:])
        else:
            text = line.lstrip("#")
            tcomment = _polib_append(tcomment, text[1:] if text.startswith(" ") else text)
    plural = (  # the scan refuses msgstr[n] without a msgid_plural
        {int(word[7]): value for word, value in values.items() if word[:7] == "msgstr["}
        if "msgid_plural" in values
        else {}
    )
    return _Message(
        values.get("msgctxt"),
        values["msgid"],
        values.get("msgid_plural", ""),
        values.get("msgstr", ""),
        plural,
        flags,
        tcomment,
        comment,
        False,
    )


def _polib_append(field: str, line: str) -> str:
    return f"{field}\n{line}" if field else line


def _metadata(header: str) -> dict[str, str]:
    """The header's fields, read as polib reads them (a line without ":" continues the last)."""
    fields: dict[str, str] = {}
    key = None
    for line in header.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key] = value.strip()
        elif key is not None:
            fields[key] += "\n" + line.strip()
    return fields


def _one_header(spans: Sequence[Span]) -> bool:
    """At most one live ``msgid ""``: polib removes its header by equality, not identity."""
    return sum(1 for span in spans if span.msgid == "" and not span.obsolete) <= 1


def _state(targets: Sequence[str], fuzzy: bool) -> State:
    if not all(targets):
        return State.UNTRANSLATED
    return State.FUZZY if fuzzy else State.TRANSLATED


def _flags_line(tokens: Sequence[str]) -> str:
    return "#, " + ", ".join(tokens)


def _eol(line: bytes) -> str:
    if line.endswith(b"\r\n"):
        return "\r\n"
    return line[-1:].decode("ascii") if line[-1:] in (b"\n", b"\r") else ""


def _header_span(spans: Sequence[Span]) -> Span | None:
    """The header entry, chosen as polib's ``find("")`` chooses it."""
    matches = [s for s in spans if not s.obsolete and s.msgid == ""]
    if len(matches) > 1:
        no_context = [s for s in matches if not s.msgctxt]
        return no_context[-1] if no_context else matches[0]
    return matches[0] if matches else None


def _plural_rule(header: str, locale: str | None) -> _PluralRule | None:
    """nplurals and plural from the header, else from the project's table for ``locale``."""
    match = _NPLURALS.search(header)
    expr = re.search(r"plural\s*=\s*([^;\n]+)", header)
    if match and int(match[1]) >= 1 and expr:
        return _PluralRule(int(match[1]), expr[1].strip(), from_header=True)
    known = gettext_plurals.plural_forms(locale) if locale else None
    if known is None:  # no rule known: plural fills will say so
        return None
    return _PluralRule(known[0], known[1], from_header=False)


def _wrap_width(texts: Iterable[str]) -> int:
    """79 (gettext's default), or 0 if the file was written unwrapped (``--no-wrap``).

    A string line longer than 79 columns with a space inside it could have been wrapped, so
    whoever wrote the file did not wrap: new lines follow suit.
    """
    for text in texts:
        if len(text) <= GETTEXT_WIDTH:  # most lines: no need to classify them
            continue
        line = classify(text)
        if line.kind in (Kind.KEYWORD, Kind.MORE):
            quoted = text[text.index('"') :]
            if " " in quoted.rstrip():
                return 0
    return GETTEXT_WIDTH
