"""The project glossary: load it (CSV, TBX, YAML) and pick the terms relevant to one string.

Qwen-MT counts every ``terms`` entry against its 8,192-token input limit, so a request carries
only the terms that occur in its text::

    glossary = load_glossary(Path("glossary.csv"))  # header: en,de,pt_BR
    glossary.terms_for("Open the files", "en", "de_DE")  # -> (('file', 'Datei'),)

Formats, by suffix:

- ``.csv``/``.tsv``: a header row naming the locale of each column (``en,de,pt_BR``, or English
  names); the first locale column is the source. Columns named note(s), comment(s), description,
  definition or context, and unnamed columns, are ignored. UTF-8 with or without BOM; the
  delimiter (``,`` ``;`` or tab) is the one the header uses. An empty target cell = no term yet.
- ``.tbx``: TBX-Basic / TBX v2 (``termEntry``/``langSet``/``tig`` or ``ntig``) and TBX v3
  (``conceptEntry``/``langSec``/``termSec``). Every term of a language is matched in source
  texts; the first one not marked deprecated or superseded is the one to translate into.
- ``.yaml``/``.yml``, either shape::

      de: {"pull request": "Pull-Request"}   # target locale -> {source term: target term};
      fr: {"pull request": "demande de fusion"}   # the source is the run's source language

      - {en: pull request, de: Pull-Request, note: ...}   # a list of {locale: term}; first = source

Columns match locales loosely (``best_match``): ``de_DE`` text uses a ``de`` column, ``pt_BR``
prefers a ``pt_BR`` column over ``pt``, and ``zh_TW`` never uses ``zh`` (another Qwen-MT language).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml.sax  # type: ignore[import-untyped]
from defusedxml import DefusedXmlException, EntitiesForbidden
from ruamel.yaml import YAML

from l10n_qwen.errors import ConfigError, InputError
from l10n_qwen.formats.yaml import load_bounded
from l10n_qwen.languages import normalize, resolve
from l10n_qwen.limits import MAX_DEPTH, too_deep

#: Terms sent with one request at most (longest first): each costs input tokens.
MAX_TERMS = 20

_IGNORED_COLUMNS = frozenset(
    {"note", "notes", "comment", "comments", "description", "definition", "context"}
)
# The column of YAML mapping-shape source terms, whose language is not named: the run's source.
_UNNAMED = ""

# Scripts written without spaces between words, and Hangul (Korean particles attach to the noun:
# 파일을): a term there has no word boundary to look for.
_NO_SPACES = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
_NO_SPACES_CHAR = re.compile(f"[{_NO_SPACES}]")
# Prefilter tokens: runs of word characters, except that each no-space character stands alone.
_TOKEN = re.compile(rf"[{_NO_SPACES}]|(?:(?![{_NO_SPACES}])\w)+")
_WORD_CHAR = re.compile(r"\w")


# -- locale matching -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)  # a TMX asks about the same few codes for every tu
def _locale_parts(code: str) -> tuple[tuple[str, ...], str]:
    """(normalized subtags, Qwen-MT language code) of a locale; unknown ones still compare."""
    try:
        norm = normalize(code)
    except ConfigError:
        norm = code.strip()
    parts = tuple(re.split(r"[_@]", norm))
    try:
        language = resolve(code).code
    except ConfigError:
        language = parts[0].lower()
    return parts, language


def best_index(wanted: str, available: Sequence[str]) -> int | None:
    """Index of the locale in ``available`` that suits ``wanted`` best; None if none does.

    Best first: the same locale (any spelling); a more general one (``pt`` for ``pt_BR``); a more
    specific one (``de_DE`` for ``de``); another variant of the same Qwen-MT language (``pt_PT``
    for ``pt_BR``, ``no`` for ``nb``). Ties go to the earlier one.
    """
    want, want_lang = _locale_parts(wanted)
    best: tuple[int, int] | None = None
    for index, code in enumerate(available):
        have, have_lang = _locale_parts(code)
        if have == want:
            rank = 0
        elif have_lang != want_lang:
            continue
        elif want[: len(have)] == have:
            rank = 1
        elif have[: len(want)] == want:
            rank = 2
        else:
            rank = 3
        if best is None or rank < best[0]:
            best = (rank, index)
    return None if best is None else best[1]


def best_match(wanted: str, available: Sequence[str]) -> str | None:
    """The locale in ``available`` that suits ``wanted`` best (see ``best_index``)."""
    index = best_index(wanted, available)
    return None if index is None else available[index]


# -- the glossary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Concept:
    forms: dict[str, tuple[str, ...]]  # column -> every term of that language
    preferred: dict[str, str]  # column -> the term to translate into
    line: int


@dataclass(frozen=True)
class _Term:
    source: str
    target: str
    order: int  # position in the file: the first of equal terms wins
    pattern: re.Pattern[str]


def _bounded(char: str) -> bool:
    """Whether a term edge of ``char`` needs a word boundary beside it."""
    return bool(_WORD_CHAR.match(char)) and not _NO_SPACES_CHAR.match(char)


def _source_pattern(term: str) -> re.Pattern[str]:
    """``term`` as whole words, any whitespace between them, and an optional plural ending."""
    body = r"\s+".join(re.escape(word) for word in term.split())
    acronym = term.isupper()  # IT, US, API: only in capitals, or "it" and "us" would match
    if _bounded(term[0]):
        body = r"(?<!\w)" + body
    if _bounded(term[-1]):
        if term[-1].isalpha():
            if not acronym and term[-1] in "yY" and len(term) > 1 and term[-2] not in "aeiouAEIOU":
                body = body[:-1] + "(?:y|ies)"  # category -> categories
            body += "(?i:e?s)?"  # file -> files, process -> processes, APIs
        body += r"(?!\w)"
    return re.compile(body, 0 if acronym else re.IGNORECASE)


def _target_pattern(term: str) -> re.Pattern[str]:
    """``term`` at the start of a word, any ending: translations inflect (Datei -> Dateien)."""
    body = r"\s+".join(re.escape(word) for word in term.split())
    return re.compile((r"(?<!\w)" if _bounded(term[0]) else "") + body, re.IGNORECASE)


def _tokens(text: str) -> set[str]:
    """Lower-case tokens of ``text``, plus their singulars, to look terms up by first token."""
    found: set[str] = set()
    for token in _TOKEN.findall(text.lower()):
        found.add(token)
        if token.endswith("s"):
            found.add(token[:-1])
            if token.endswith("es"):
                found.add(token[:-2])
            if token.endswith("ies"):
                found.add(token[:-3] + "y")
    return found


class _Index:
    """The terms of one source column -> target column, looked up by their first token."""

    def __init__(self, terms: Iterable[_Term]) -> None:
        self.by_token: dict[str, list[_Term]] = {}
        self.unkeyed: list[_Term] = []  # no word character at all ("&"): always tried
        for term in terms:
            first = _TOKEN.search(term.source.lower())
            if first is None:
                self.unkeyed.append(term)
            else:
                self.by_token.setdefault(first[0], []).append(term)

    def select(self, text: str, limit: int | None) -> list[_Term]:
        """Terms occurring in ``text``: longest first, one per source term, at most ``limit``.

        A term found only inside a longer one ("request" in "pull request") is left out: its
        target would fight the longer term's.
        """
        candidates = dict.fromkeys(self.unkeyed)
        for token in _tokens(text):
            candidates.update(dict.fromkeys(self.by_token.get(token, ())))
        found = []
        for term in candidates:
            spans = [m.span() for m in term.pattern.finditer(text)]
            if spans:
                found.append((term, spans))
        found.sort(key=lambda item: (-len(item[0].source), item[0].order))
        chosen: list[_Term] = []
        seen: set[str] = set()
        covered: list[tuple[int, int]] = []
        for term, spans in found:
            key = term.source.casefold()
            inside = all(any(a <= s and e <= b for a, b in covered) for s, e in spans)
            if key in seen or inside:
                continue
            seen.add(key)
            covered.extend(spans)
            chosen.append(term)
            if limit is not None and len(chosen) >= limit:
                break
        return chosen


class Glossary:
    """Concepts with a term per locale column; ``terms_for`` picks what one request needs."""

    def __init__(self, path: Path, concepts: Sequence[_Concept], source: str | None) -> None:
        self.path = path
        #: The declared source locale (first CSV column, TBX ``xml:lang``, first key of a YAML
        #: list); None for the YAML mapping shape, whose source is the run's source language.
        self.source = source
        self._concepts = tuple(concepts)
        columns = dict.fromkeys(column for c in concepts for column in c.forms)
        self._unnamed = _UNNAMED in columns
        #: The named locale columns, normalized, in file order.
        self.locales: tuple[str, ...] = tuple(c for c in columns if c != _UNNAMED)
        self._indexes: dict[tuple[str, str], _Index | None] = {}

    def __len__(self) -> int:
        return len(self._concepts)

    def columns(self, source_lang: str, target_lang: str) -> tuple[str, str] | None:
        """The (source, target) columns used for a language pair; None if the pair has none.

        ``source_lang`` "auto" uses the declared source. ``""`` is the YAML mapping shape's
        unnamed source column.
        """
        target = best_match(target_lang, self.locales)
        if target is None:
            return None
        others = [column for column in self.locales if column != target]
        source: str | None
        if source_lang.strip().lower() == "auto":
            source = self.source if self.source in others else None
        else:
            source = best_match(source_lang, others)
        if source is None and self._unnamed:
            source = _UNNAMED
        return None if source is None else (source, target)

    def _index(self, source_lang: str, target_lang: str) -> _Index | None:
        key = (source_lang, target_lang)
        if key not in self._indexes:
            columns = self.columns(source_lang, target_lang)
            self._indexes[key] = None if columns is None else self._build(*columns)
        return self._indexes[key]

    def _build(self, source: str, target: str) -> _Index:
        terms = []
        for order, concept in enumerate(self._concepts):
            translation = concept.preferred.get(target)
            if translation is None:
                continue
            for form in concept.forms.get(source, ()):
                terms.append(_Term(form, translation, order, _source_pattern(form)))
        return _Index(terms)

    def terms_for(
        self, text: str, source_lang: str, target_lang: str, limit: int = MAX_TERMS
    ) -> tuple[tuple[str, str], ...]:
        """The (source term, target term) pairs occurring in ``text``, longest first.

        Matches whole words, case-insensitively (acronyms only in capitals), with any
        whitespace inside multi-word terms and a plural ending (file: "files"; not "profile").
        """
        index = self._index(source_lang, target_lang)
        if index is None:
            return ()
        return tuple((t.source, t.target) for t in index.select(text, limit))

    def check_terms(
        self, source: str, translation: str, source_lang: str, target_lang: str
    ) -> list[tuple[str, str]]:
        """Terms present in ``source`` whose target term is missing from ``translation``.

        ``check_terms("Open file", "Öffne das Dokument", "en", "de")`` gives
        ``[('file', 'Datei')]``.
        """
        index = self._index(source_lang, target_lang)
        if index is None:
            return []
        return [
            (t.source, t.target)
            for t in index.select(source, None)
            if not _target_pattern(t.target).search(translation)
        ]


def load_glossary(path: Path) -> Glossary:
    """Read a glossary by its suffix; any problem is an ``InputError`` naming file and line."""
    path = Path(path)
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise InputError(path, "unknown glossary format: expected .csv, .tsv, .tbx, .yaml or .yml")
    return loader(path)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "not UTF-8 text", line=line) from exc


# -- CSV -----------------------------------------------------------------------------------------


def _load_csv(path: Path) -> Glossary:
    text = _read_text(path)
    header_text = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=header_text.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    columns: list[str | None] | None = None
    source = ""
    concepts: list[_Concept] = []
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num  # a quoted cell may span lines
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            if columns is None:
                columns = _csv_header(path, cells, start)
                source = next(c for c in columns if c is not None)
                continue
            if any(cells[len(columns) :]):
                raise InputError(
                    path, f"{len(cells)} cells, but the header has {len(columns)}", line=start
                )
            forms: dict[str, tuple[str, ...]] = {
                column: (cell,)
                for column, cell in zip(columns, cells, strict=False)
                if column is not None and cell
            }
            if source not in forms:
                raise InputError(path, f"empty source term (column {source})", line=start)
            concepts.append(_Concept(forms, {c: f[0] for c, f in forms.items()}, start))
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", line=reader.line_num) from exc
    if columns is None:
        raise InputError(path, "no header row (e.g. en,de,fr: a locale per column)", line=1)
    return Glossary(path, concepts, source)


def _csv_header(path: Path, cells: list[str], line: int) -> list[str | None]:
    """The normalized locale of each column; None for ignored columns."""
    columns: list[str | None] = []
    for cell in cells:
        if not cell or cell.casefold() in _IGNORED_COLUMNS:
            columns.append(None)
            continue
        try:
            code = normalize(cell)
        except ConfigError:
            raise InputError(
                path,
                f"header column {cell!r} is not a locale code"
                " (the header names each column's locale, e.g. en,de,pt_BR)",
                line=line,
            ) from None
        if code in columns:
            raise InputError(path, f"header names locale {code} twice", line=line)
        columns.append(code)
    if sum(column is not None for column in columns) < 2:
        raise InputError(
            path, "the header needs a source and at least one target locale, e.g. en,de", line=line
        )
    return columns


# -- XML (TBX here, TMX in tmfiles.py) -----------------------------------------------------------


@dataclass
class XmlNode:
    """An XML element with its line: just what TBX and TMX need, namespace prefixes dropped."""

    tag: str
    attrs: dict[str, str]
    line: int
    content: list[str | XmlNode] = field(default_factory=list)  # text and elements, in order

    def children(self, *tags: str) -> list[XmlNode]:
        """Child elements named one of ``tags``."""
        return [n for n in self.content if isinstance(n, XmlNode) and n.tag in tags]

    def find(self, tag: str) -> XmlNode | None:
        """The first child element named ``tag``."""
        return next(iter(self.children(tag)), None)

    def iter(self, *tags: str) -> Iterator[XmlNode]:
        """This element and its descendants, in document order (only ``tags``, if given)."""
        if not tags or self.tag in tags:
            yield self
        for node in self.content:
            if isinstance(node, XmlNode):
                yield from node.iter(*tags)

    def text(self) -> str:
        """All text inside, markup removed."""
        return "".join(n if isinstance(n, str) else n.text() for n in self.content)


class _TreeBuilder(ContentHandler):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.root: XmlNode | None = None
        self._stack: list[XmlNode] = []
        self._locator: Locator | None = None

    @property
    def line(self) -> int | None:
        return self._locator.getLineNumber() if self._locator is not None else None

    def setDocumentLocator(self, locator: Locator) -> None:
        self._locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        if len(self._stack) >= MAX_DEPTH:  # XmlNode.iter and .text recurse
            raise too_deep(self.path, self.line)
        node = XmlNode(
            name.rpartition(":")[2], dict(attrs.items()) if attrs else {}, self.line or 0
        )
        if self._stack:
            self._stack[-1].content.append(node)
        else:
            self.root = node
        self._stack.append(node)

    def endElement(self, name: str) -> None:
        self._stack.pop()

    def characters(self, content: str) -> None:
        if not self._stack:
            return
        parts = self._stack[-1].content
        if parts and isinstance(parts[-1], str):
            parts[-1] += content
        else:
            parts.append(content)


def read_xml(path: Path) -> XmlNode:
    """Parse an XML file with defusedxml (no entity expansion, no external fetches)."""
    builder = _TreeBuilder(path)
    parser = defusedxml.sax.make_parser()
    # TBX v2 files name an external DTD (<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">), which
    # defusedxml's default refuses. Without external entities the stdlib parser skips it unread;
    # entity declarations (billion laughs, SYSTEM entities) are still refused.
    parser.forbid_external = False
    parser.setFeature(feature_external_ges, False)
    parser.setContentHandler(builder)
    try:
        with path.open("rb") as stream:
            parser.parse(stream)
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    except SAXParseException as exc:
        column = exc.getColumnNumber()
        raise InputError(
            path,
            f"malformed XML: {exc.getMessage()}",
            line=exc.getLineNumber(),
            column=column + 1 if column is not None and column >= 0 else None,
        ) from exc
    except DefusedXmlException as exc:
        what = f"entity {exc.name!r}" if isinstance(exc, EntitiesForbidden) else "a reference"
        raise InputError(
            path,
            f"refused: XML entity declarations and external references are not allowed ({what})",
            line=builder.line,
        ) from exc
    except (LookupError, ValueError) as exc:  # encoding="EBCDIC": expat knows no such codec
        raise InputError(path, f"cannot read the XML: {exc}", line=builder.line) from exc
    if builder.root is None:  # pragma: no cover - expat reports "no element found" first
        raise InputError(path, "no XML element")
    return builder.root


def xml_lang(path: Path, node: XmlNode) -> str:
    """The ``xml:lang`` (TMX 1.1: ``lang``) of ``node``; InputError naming its line if none."""
    lang = (node.attrs.get("xml:lang") or node.attrs.get("lang") or "").strip()
    if not lang:
        raise InputError(path, f"<{node.tag}> without xml:lang", line=node.line)
    return lang


def _deprecated(holder: XmlNode) -> bool:
    """Whether a TBX term's notes say it must not be used."""
    for note in holder.children("termNote"):
        if note.attrs.get("type") in ("administrativeStatus", "normativeAuthorization"):
            status = note.text().casefold()
            if "deprecated" in status or "superseded" in status:
                return True
    return False


def _load_tbx(path: Path) -> Glossary:
    root = read_xml(path)
    if root.tag not in ("martif", "tbx"):
        raise InputError(path, f"not a TBX file (root element <{root.tag}>)", line=root.line)
    declared = root.attrs.get("xml:lang")
    source = _column(path, declared, root.line) if declared else None
    concepts = []
    for entry in root.iter("termEntry", "conceptEntry"):
        forms: dict[str, list[str]] = {}
        preferred: dict[str, str] = {}
        for lang_set in entry.children("langSet", "langSec"):
            column = _column(path, xml_lang(path, lang_set), lang_set.line)
            for holder in lang_set.iter():  # tig, termGrp (in ntig), termSec, or langSet itself
                term = holder.find("term")
                if term is None:
                    continue
                text = " ".join(term.text().split())
                if not text:
                    raise InputError(path, "empty <term>", line=term.line)
                forms.setdefault(column, []).append(text)
                if column not in preferred and not _deprecated(holder):
                    preferred[column] = text
        if forms:
            source = source or next(iter(forms))
            concepts.append(
                _Concept({c: tuple(f) for c, f in forms.items()}, preferred, entry.line)
            )
    return Glossary(path, concepts, source)


def _column(path: Path, code: str, line: int | None) -> str:
    try:
        return normalize(code)
    except ConfigError:
        raise InputError(path, f"{code!r} is not a locale code", line=line) from None


# -- YAML ----------------------------------------------------------------------------------------

_YAML_SHAPES = (
    "expected a mapping of target locale to {source term: target term},"
    " or a list of {locale: term} mappings whose first key is the source"
)


def _yaml_line(container: Any, key: Any) -> int | None:
    """1-based line of a mapping key or list item, from ruamel's round-trip position data."""
    try:
        position = container.lc  # before isinstance narrows the Any away
        if isinstance(container, list):
            return int(position.item(key)[0]) + 1
        return int(position.key(key)[0]) + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return None


def _yaml_text(path: Path, value: Any, line: int | None) -> str:
    """A term from a YAML scalar (numbers allowed: "404"); "" for null."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(path, f"a term must be text, not {value!r}", line=line)
    return " ".join(str(value).split())


def _load_yaml(path: Path) -> Glossary:
    text = _read_text(path)
    # The round-trip loader, not typ="safe": it alone keeps line numbers, and it is just as
    # safe (it builds plain mappings, lists and scalars; never arbitrary Python objects).
    data = load_bounded(YAML(typ="rt"), path, text)
    if data is None:
        return Glossary(path, [], None)
    if isinstance(data, dict):
        return _yaml_by_target(path, data)
    if isinstance(data, list):
        return _yaml_list(path, data)
    raise InputError(path, _YAML_SHAPES, line=1)


def _yaml_by_target(path: Path, data: dict[Any, Any]) -> Glossary:
    """``{de: {source: target}}``: one concept per source term, across target locales."""
    concepts: dict[str, _Concept] = {}
    for locale, terms in data.items():
        line = _yaml_line(data, locale)
        column = _column(path, str(locale), line)
        if not isinstance(terms, dict):
            raise InputError(path, f"{locale}: {_YAML_SHAPES}", line=line)
        for source, target in terms.items():
            term_line = _yaml_line(terms, source)
            source_text = _yaml_text(path, source, term_line)
            target_text = _yaml_text(path, target, term_line)
            if not source_text:
                raise InputError(path, "empty source term", line=term_line)
            if not target_text:
                continue  # not translated yet
            concept = concepts.setdefault(
                source_text,
                _Concept({_UNNAMED: (source_text,)}, {_UNNAMED: source_text}, term_line or 0),
            )
            concept.forms.setdefault(column, (target_text,))
            concept.preferred.setdefault(column, target_text)
    return Glossary(path, list(concepts.values()), None)


def _yaml_list(path: Path, data: list[Any]) -> Glossary:
    """``[{en: source, de: target, note: ...}]``: each item's first locale key is its source."""
    concepts = []
    declared = None
    for number, item in enumerate(data):
        line = _yaml_line(data, number)
        if not isinstance(item, dict):
            raise InputError(path, _YAML_SHAPES, line=line)
        forms: dict[str, tuple[str, ...]] = {}
        first: tuple[str, int | None] | None = None
        for key, value in item.items():
            key_line = _yaml_line(item, key)
            if str(key).casefold() in _IGNORED_COLUMNS:
                continue
            column = _column(path, str(key), key_line)
            first = first or (column, key_line)
            term = _yaml_text(path, value, key_line)
            if term:
                forms.setdefault(column, (term,))
        if first is None:
            raise InputError(path, "no locale keys in this item", line=line)
        if first[0] not in forms:
            raise InputError(path, f"empty source term ({first[0]})", line=first[1])
        declared = declared or first[0]
        concepts.append(_Concept(forms, {c: f[0] for c, f in forms.items()}, line or 0))
    return Glossary(path, concepts, declared)


_LOADERS: dict[str, Callable[[Path], Glossary]] = {
    ".csv": _load_csv,
    ".tsv": _load_csv,
    ".tbx": _load_tbx,
    ".yaml": _load_yaml,
    ".yml": _load_yaml,
}
