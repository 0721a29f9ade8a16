"""Find, mask and verify placeholders and markup in a source text and its translation.

Qwen-MT documents nothing about placeholders (see qwen-mt-protocol.md), so the tool checks every
translation itself: ``verify`` lists what a translation broke, and ``mask`` hides everything that
must survive verbatim behind opaque tokens for a second, safer attempt.

Which syntaxes count follows the PO format flags (``c-format``, ``python-format``,
``python-brace-format``, ...). Without a format flag, the common ones are sniffed conservatively:
a bare ``100%`` or ``50% off`` is not printf. Markup (tags, entities), escapes, URLs and e-mail
addresses are always protected.

    >>> [p.text for p in find("Hello %(name)s, <b>{count}</b> new")]
    ['%(name)s', '<b>', '{count}', '</b>']
    >>> verify("%(n)s files", "%(m)s Dateien", frozenset({"python-format"}))
    ['placeholder %(n)s missing', 'unexpected placeholder %(m)s']
    >>> verify("%d day", "يوم", frozenset({"c-format"}), single_number=True)  # Arabic n=0 only
    []
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import icu
from .severity import Category, Issue


def _code_digest() -> str:
    """A digest of the code that verifies translations (this module and what it calls).

    The cache stamps each translation with it: a translation verified by this very code need
    not be verified again, and any change to the code makes every stamp stale.
    """
    digest = hashlib.sha256()
    try:
        for name in ("placeholders.py", "icu.py", "severity.py", "formatcheck.py"):
            digest.update((Path(__file__).parent / name).read_bytes())
    except OSError:  # pragma: no cover - sources not readable (a zipped install): never trust
        return os.urandom(16).hex()
    return digest.hexdigest()[:16]


CODE_DIGEST = _code_digest()


@dataclass(frozen=True)
class Placeholder:
    """One protected piece of a text; ``name`` is the argument/tag/entity name where it has one.

    Kinds: printf, python (``%(name)s``), brace, i18next, ruby, symfony, qt, icu (an argument),
    icu-syntax (the frame of a plural/select), icu-pound, tag, entity, escape, url, email,
    accelerator.
    """

    kind: str
    text: str
    name: str | None
    start: int
    end: int


# --- which syntaxes a text uses --------------------------------------------------------------

# gettext format flags (without "-format") -> the kinds they turn on. "icu", "i18next" and
# "symfony" are not gettext's: JSON/YAML adapters may pass them when they know the library.
_C_LIKE = ("c", "objc", "c++", "php", "perl", "gcc-internal", "gfc-internal", "awk", "lua",
           "javascript", "java-printf", "sh-printf", "boost", "tcl")  # fmt: skip
_FLAG_KINDS: dict[str, frozenset[str]] = {
    **{name: frozenset({"printf"}) for name in _C_LIKE},
    "python": frozenset({"printf", "python"}),
    "python-brace": frozenset({"brace"}),
    "perl-brace": frozenset({"brace"}),
    "csharp": frozenset({"brace"}),
    "ruby": frozenset({"printf", "ruby"}),
    "qt": frozenset({"qt"}),
    "kde": frozenset({"qt"}),
    "ycp": frozenset({"qt"}),
    "java": frozenset({"icu", "brace"}),  # java.text.MessageFormat is ICU's ancestor
    "icu": frozenset({"icu", "brace"}),
    "i18next": frozenset({"i18next"}),
    "symfony": frozenset({"symfony"}),
}
_SNIFFED = frozenset({"printf", "python", "brace", "i18next", "ruby", "symfony", "icu"})
_ALWAYS = frozenset({"tag", "entity", "escape", "url", "email"})


@dataclass(frozen=True)
class _Config:
    kinds: frozenset[str]
    printf: str  # the printf grammar: "c", "python", or "sniff" (conservative, unflagged)
    brace_escapes: bool  # python-brace-format: "{{" and "}}" are literal braces


@functools.lru_cache(maxsize=256)
def _config(flags: frozenset[str]) -> _Config:
    on: set[str] = set()
    off: set[str] = set()  # no-c-format and friends: the author says "this is not printf"
    for flag in flags:
        negated = flag.startswith("no-")
        base = flag[3:] if negated else flag
        kinds = _FLAG_KINDS.get(base.removesuffix("-format")) if base.endswith("-format") else None
        if kinds:
            (off if negated else on).update(kinds)
    if on:
        printf = "python" if "python-format" in flags else "c"
        return _Config(frozenset(on) | _ALWAYS, printf, "python-brace-format" in flags)
    return _Config((_SNIFFED - off) | _ALWAYS, "sniff", False)


def format_kinds(flags: frozenset[str]) -> frozenset[str]:
    """The placeholder kinds the format flags turn on (``python-format``: printf and python);
    empty without a format flag, where kinds are only sniffed.

    >>> sorted(format_kinds(frozenset({"python-format"}))), format_kinds(frozenset())
    (['printf', 'python'], frozenset())
    """
    config = _config(flags)
    return frozenset() if config.printf == "sniff" else config.kinds - _ALWAYS


#: Flags, width and precision of a printf directive (after its "%", "(name)" or "n$"): msgfmt
#: compares only the argument and its type, so "%-d" matches "%d" and "%(v).s" "%(v)s".
_SPEC_NOISE = re.compile(
    r"^(%(?:\([^()]*\)|\d+\$)?)[-+ #0']*(?:\d+|\*(?:\d+\$)?)?(?:\.(?:\d*|\*(?:\d+\$)?))?"
)


def directive_types(text: str, flags: frozenset[str]) -> str:
    """``text`` with every printf directive cut to its argument and type (``%-5d`` -> ``%d``,
    ``%(n).2f`` -> ``%(n)f``), as ``msgfmt --check-format`` compares them.

    >>> directive_types("%-d %b, %(n)05.1f", frozenset({"python-format"}))
    '%d %b, %(n)f'
    """
    out: list[str] = []
    pos = 0
    for p in find(text, flags):
        if p.kind in ("printf", "python") and p.text != "%%":
            out += [text[pos : p.start], _SPEC_NOISE.sub(r"\1", p.text)]
            pos = p.end
    out.append(text[pos:])
    return "".join(out)


def valid_format(text: str, flags: frozenset[str]) -> bool:
    """Whether ``text`` is a valid format string for its flag (msgfmt checks nothing when the
    ``msgid`` is not, e.g. a strftime pattern marked python-format); True without a flag."""
    config = _config(flags)
    return config.printf == "sniff" or not _invalid_directives(text, config.printf)


# --- finders, in priority order: an earlier kind wins where two overlap ------------------------

_C_SPEC = (
    r"(?:(\d+)\$)?[-+ #0']*(?:\d+|\*(?:\d+\$)?)?(?:\.(?:\d+|\*(?:\d+\$)?)?)?"
    r"(?:hh|h|ll|l|L|q|j|z|Z|t|I64|I32|I)?[diouxXeEfFgGaAcCsSpn@]"
)
_PRINTF = {
    "c": re.compile(r"%(?:%|" + _C_SPEC + ")"),
    "python": re.compile(
        r"%(?:%|(?:\(([^()]*)\))?[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?[hlL]?[diouxXeEfFgGcrsa])"
    ),
    # Unflagged: no space flag ("50% off"), no "%" right after a digit ("20%discount"), and only
    # the conversions real strings use.
    "sniff": re.compile(
        r"%%|(?<!\d)%(?:(\d+)\$)?[-+#0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t|L|q)?[sdifuxXeEgGc@]"
    ),
}
_PYTHON_NAMED = re.compile(r"%\((?P<name>[^()\s]+)\)[-+ #0]*\d*(?:\.\d*)?[diouxXeEfFgGcrsa]")
_BRACE = re.compile(
    r"\{(?P<name>[A-Za-z_]\w*|\d+)?(?:\.[A-Za-z_]\w*|\[[^\[\]{}]*\])*(?:![rsa])?(?::[^{}]*)?\}"
)
_BRACE_ESCAPES = re.compile(r"\{\{|\}\}|" + _BRACE.pattern)
_I18NEXT = re.compile(
    r"\{\{-?\s*(?P<name>[^{},]+?)\s*(?:,[^{}]*)?\}\}|\$t\((?P<key>[^(),]+)[^()]*\)"
)
_RUBY = re.compile(r"%\{(?P<name>\w+)\}|%<(?P<fmt>\w+)>[-+ #0]*\d*(?:\.\d+)?[A-Za-z]")
# %name%, not %d%% or %dx%d: a name of two characters at least, not touching other word characters.
_SYMFONY = re.compile(r"(?<!\w)%(?P<name>[A-Za-z_][\w.]*\w)%(?!\w)")
_QT = re.compile(r"%L?(?P<name>\d{1,2})")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*|\d+)((?:\s+[^<>]*?)?)\s*(/?)>")
_ENTITY = re.compile(r"&(?P<name>[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# Backslash sequences kept as text (JSON "\\n", YAML single-quoted '\n') that the app interprets.
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|[nrt\"'\\])")
_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'{}\[\]]*[^\s<>\"'{}\[\].,;:!?)]")
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)

_Finder = Callable[[str, _Config], Iterator[Placeholder]]


def _regex_finder(kind: str, regex: re.Pattern[str], *groups: str) -> _Finder:
    def finder(text: str, config: _Config) -> Iterator[Placeholder]:
        for m in regex.finditer(text):
            name = next((m.group(g) for g in groups if m.group(g) is not None), None)
            yield Placeholder(kind, m.group(), name, m.start(), m.end())

    return finder


def _printf(text: str, config: _Config) -> Iterator[Placeholder]:
    for m in _PRINTF[config.printf].finditer(text):
        # Python grammar: group 1 is %(name)s's name; C and sniff: group 1 is %1$s's position.
        named = config.printf == "python" and m.group(1) is not None
        yield Placeholder(
            "python" if named else "printf", m.group(), m.group(1), m.start(), m.end()
        )


def _brace(text: str, config: _Config) -> Iterator[Placeholder]:
    regex = _BRACE_ESCAPES if config.brace_escapes else _BRACE
    for m in regex.finditer(text):
        yield Placeholder("brace", m.group(), m.group("name"), m.start(), m.end())


def _tags(text: str, config: _Config) -> Iterator[Placeholder]:
    for m in _TAG.finditer(text):
        yield Placeholder("tag", m.group(), m.group(2).lower(), m.start(), m.end())


_FINDERS: tuple[tuple[str, _Finder], ...] = (
    ("ruby", _regex_finder("ruby", _RUBY, "name", "fmt")),  # before tags: %<count>d
    ("tag", _tags),
    ("url", _regex_finder("url", _URL)),
    ("email", _regex_finder("email", _EMAIL)),
    ("i18next", _regex_finder("i18next", _I18NEXT, "name", "key")),
    ("python", _regex_finder("python", _PYTHON_NAMED, "name")),
    ("brace", _brace),
    ("qt", _regex_finder("qt", _QT, "name")),
    ("symfony", _regex_finder("symfony", _SYMFONY, "name")),
    ("printf", _printf),
    ("entity", _regex_finder("entity", _ENTITY, "name")),
    ("escape", _regex_finder("escape", _ESCAPE)),
)

_ICU_KINDS = {"arg": "icu", "syntax": "icu-syntax", "pound": "icu-pound"}


def _icu_message(text: str, config: _Config) -> icu.Message | None:
    """The parsed message if ``text`` is ICU beyond plain ``{name}`` arguments."""
    if "icu" not in config.kinds or not icu.looks_like_icu(text):
        return None
    try:
        return icu.parse(text)
    except icu.IcuSyntaxError:
        return None  # braces that are not ICU after all: the other finders take over


def _accelerators(text: str, chars: str) -> Iterator[Placeholder]:
    for char in chars:
        c = re.escape(char)
        for m in re.finditer(rf"{c}{c}|{c}(?P<key>[^\W_])", text):
            if m.group("key"):  # a doubled marker is the literal character
                yield Placeholder("accelerator", m.group(), m.group("key"), m.start(), m.end())


def find(
    text: str, flags: frozenset[str] = frozenset(), *, accelerators: str = ""
) -> list[Placeholder]:
    """Every placeholder, tag, entity, escape, URL and e-mail address of ``text``, in order.

    ``accelerators`` is the marker of keyboard accelerators (``"&"``, ``"_"``); none by default.
    """
    config = _config(flags)
    message = _icu_message(text, config)
    found = [
        Placeholder(_ICU_KINDS[s.kind], text[s.start : s.end], s.name, s.start, s.end)
        for s in (message.spans if message is not None else ())
    ]
    taken = bytearray(len(text))
    for p in found:
        taken[p.start : p.end] = b"\1" * (p.end - p.start)
    kinds = config.kinds if message is None else config.kinds - {"brace"}  # ICU owns its braces
    candidates = [f(text, config) for kind, f in _FINDERS if kind in kinds]
    if accelerators:
        candidates.append(_accelerators(text, accelerators))
    for finder in candidates:
        for p in finder:
            if 1 not in taken[p.start : p.end]:
                taken[p.start : p.end] = b"\1" * (p.end - p.start)
                found.append(p)
    found.sort(key=lambda p: p.start)
    return found


# --- verify ------------------------------------------------------------------------------------

_WHAT = {"tag": "tag", "entity": "entity", "escape": "escape sequence", "url": "URL",
         "email": "e-mail address"}  # fmt: skip
_SEPARATE = {"printf", "tag", "accelerator", "icu", "icu-syntax", "icu-pound"}
# Attributes whose values are text for the reader: a translation changes them.
_TRANSLATABLE_ATTRS = frozenset({"alt", "title", "placeholder", "label", "aria-label",
                                 "aria-description", "aria-valuetext"})  # fmt: skip
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                        "param", "source", "track", "wbr"})  # fmt: skip
_ATTR = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_POSITION = re.compile(r"%(\d+)\$")
#: Names that stand for the count a plural form is chosen by (i18next and Rails call it
#: ``count``, Polyglot ``smart_count``).
_COUNT_NAMES = frozenset({"count", "counter", "n", "num", "number", "smart_count"})
_NAMED_KINDS = frozenset({"python", "brace", "i18next", "ruby", "symfony"})


def verify(
    source: str,
    translation: str,
    flags: frozenset[str] = frozenset(),
    *,
    accelerators: str = "",
    single_number: bool = False,
) -> list[Issue]:
    """What ``translation`` broke of ``source``'s placeholders and markup; ``[]`` if nothing.

    Named placeholders may move, unnumbered printf ones may not; tags must stay balanced;
    leading/trailing whitespace and the number of line breaks must be the same.

    ``single_number``: ``translation`` is a plural form used for exactly one number (German
    ``one`` is 1 only, Arabic's first form 0 only), so it may leave the number out ("one day",
    as GNU ``msgfmt -c`` allows, see ``check_msgid_msgstr_format_i`` in gettext's format.c). Only
    missing: an integer printf conversion that no later argument depends on, or a placeholder
    named like a count (``%(count)d``, ``{count}``, ``{{count}}``, ``%{count}``).
    """
    problems = _whitespace(source, translation)
    config = _config(flags)
    optional = functools.partial(_is_count, config) if single_number else None
    src = find(source, flags, accelerators=accelerators)
    tgt = find(translation, flags, accelerators=accelerators)

    # A plural/select message repeats its placeholders per case, and a translation may have more
    # or fewer cases: only which placeholders appear can be compared, not how often.
    as_set = False
    src_message = _icu_message(source, config)
    if src_message is not None:
        try:
            problems += icu.compare(src_message, icu.parse(translation))
        except icu.IcuSyntaxError as exc:
            text = f"ICU syntax error in translation: {exc}"
            problems.append(Issue(text, Category.SYNTAX, "icu"))
        as_set = src_message.is_complex
        # ICU's arguments were compared above; a "{name}" the ICU parser did not claim in the
        # translation is the same argument seen through a broken or simpler message.
        tgt = [p for p in tgt if p.kind != "brace"]

    problems += _compare_printf(
        [p for p in src if p.kind == "printf"],
        [p for p in tgt if p.kind == "printf"],
        as_set,
        optional,
    )
    src_other = [(_key(p), p) for p in src if p.kind not in _SEPARATE]
    tgt_other = [(_key(p), p) for p in tgt if p.kind not in _SEPARATE]
    problems += _compare(src_other, tgt_other, as_set, optional)

    src_tags = [p for p in src if p.kind == "tag"]
    tgt_tags = [p for p in tgt if p.kind == "tag"]
    problems += _compare(
        [(_tag_key(p), p) for p in src_tags], [(_tag_key(p), p) for p in tgt_tags], as_set
    )
    if not _balance(src_tags):  # a source fragment ("</b> and <b>") need not balance
        problems += _balance(tgt_tags)

    if accelerators:
        problems += _compare_accelerators(
            [p for p in src if p.kind == "accelerator"], [p for p in tgt if p.kind == "accelerator"]
        )

    if config.printf != "sniff" and not _invalid_directives(source, config.printf):
        problems += _invalid_directives(translation, config.printf)
    return problems


def _edges(text: str) -> tuple[str, str]:
    core = text.strip()
    if not core:
        return text, text
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def _whitespace(source: str, translation: str) -> list[Issue]:
    problems = []
    (src_lead, src_trail), (tgt_lead, tgt_trail) = _edges(source), _edges(translation)
    # msgfmt -c wants both or neither to start (and end) with a line break.
    newline = {
        "leading": source.startswith("\n") != translation.startswith("\n"),
        "trailing": source.endswith("\n") != translation.endswith("\n"),
    }
    for edge, src, tgt in (("leading", src_lead, tgt_lead), ("trailing", src_trail, tgt_trail)):
        if src != tgt:
            category = Category.NEWLINE if newline[edge] else Category.WHITESPACE
            text = f"{edge} whitespace differs: {src!r} in source, {tgt!r} in translation"
            problems.append(Issue(text, category))
    n, m = source.count("\n"), translation.count("\n")
    if n != m:
        text = f"{n} line break{'s' if n != 1 else ''} in source, {m} in translation"
        problems.append(Issue(text, Category.WHITESPACE))
    return problems


def _is_count(config: _Config, p: Placeholder) -> bool:
    """Whether ``p`` may stand for the count, and a plural form may leave it out."""
    if p.kind == "printf":
        # Python's "%d" % n needs every conversion ("not all arguments converted"); C does not.
        return config.printf != "python" and p.text[-1] in "diu"
    if p.kind == "python" and p.text[-1] in "diu":
        return True
    return p.kind in _NAMED_KINDS and (p.name or "").lower() in _COUNT_NAMES


def _compare(
    src: list[tuple[str, Placeholder]],
    tgt: list[tuple[str, Placeholder]],
    as_set: bool,
    optional: Callable[[Placeholder], bool] | None = None,
) -> list[Issue]:
    """Missing and unexpected items, compared by key (a multiset unless ``as_set``).

    An item of ``src`` for which ``optional`` is true may be missing altogether.
    """
    problems: list[Issue] = []
    src_count = Counter(key for key, _ in src)
    tgt_count = Counter(key for key, _ in tgt)
    shown = {key: p for key, p in reversed(tgt)} | {key: p for key, p in reversed(src)}
    for key in src_count:
        what, n, m = _describe(shown[key]), src_count[key], tgt_count[key]
        if m == 0 and optional is not None and optional(shown[key]):
            continue
        kind = _kind(shown[key])
        if m == 0:
            problems.append(Issue(f"{what} missing", Category.MISSING, kind))
        elif n != m and not as_set:
            text = f"{what} appears {n} time(s) in source, {m} in translation"
            problems.append(Issue(text, Category.COUNT, kind))
    problems += [
        Issue(f"unexpected {_describe(shown[key])}", Category.UNEXPECTED, _kind(shown[key]))
        for key in tgt_count
        if key not in src_count
    ]
    return problems


def _kind(p: Placeholder) -> str:
    # i18next's $t(key) nests another key: the runtime resolves one the source lacks.
    return "i18next-nesting" if p.kind == "i18next" and p.text.startswith("$t(") else p.kind


def _key(p: Placeholder) -> str:
    if p.kind == "i18next" and p.text.startswith("{{") and p.name:
        # i18next fills "{{name}}" by its name; "-" turns escaping off, so it counts. Blanks and
        # the format after the comma only change how the value is shown, and a format i18next
        # does not know ("{{- minimum, sana vaqti}}" in a real Uzbek file) shows it as it is.
        unescaped = "-" if p.text[2:].lstrip().startswith("-") else ""
        return "{{" + unescaped + p.name.strip() + "}}"
    # $t(key) nesting: blanks inside do not count.
    return "".join(p.text.split()) if p.kind == "i18next" else p.text


def _compare_accelerators(src: list[Placeholder], tgt: list[Placeholder]) -> list[Issue]:
    # Only the number counts: the marked letter belongs to the translated word.
    if len(src) == len(tgt):
        return []
    if not tgt:
        return [Issue(f"accelerator {src[0].text} missing", Category.MISSING, "accelerator")]
    if not src:
        return [Issue(f"unexpected accelerator {tgt[0].text}", Category.UNEXPECTED, "accelerator")]
    text = f"{len(src)} accelerators in source, {len(tgt)} in translation"
    return [Issue(text, Category.COUNT, "accelerator")]


def _describe(p: Placeholder) -> str:
    return f"{_WHAT.get(p.kind, 'placeholder')} {p.text}"


def _compare_printf(
    src: list[Placeholder],
    tgt: list[Placeholder],
    as_set: bool,
    optional: Callable[[Placeholder], bool] | None = None,
) -> list[Issue]:
    src_args, tgt_args = _printf_args(src), _printf_args(tgt)
    if optional is not None:
        # An argument the translation does not take: one it numbers (%2$s) or, unnumbered, one
        # after its last (only the tail of printf's argument list can go unread).
        taken = {n for n, _, _ in tgt_args}
        src_args = [a for a in src_args if not a[0] or a[0] in taken or not optional(a[2])]
    problems = _compare(
        [(spec, p) for _, spec, p in src_args], [(spec, p) for _, spec, p in tgt_args], as_set
    )
    if problems or as_set:
        return problems
    # Same conversions: each argument (by position, %2$s or the n-th unnumbered) keeps its type.
    src_map = {n: spec for n, spec, _ in src_args if n}
    tgt_map = {n: spec for n, spec, _ in tgt_args if n}
    if src_map != tgt_map:
        moved = [src_map[n] for n in sorted(src_map) if tgt_map.get(n) != src_map[n]]
        text = f"order of {'/'.join(dict.fromkeys(moved))} changed"
        problems.append(Issue(text, Category.ORDER, "printf"))
    return problems


def _printf_args(placeholders: list[Placeholder]) -> list[tuple[int, str, Placeholder]]:
    """(argument number or 0 for %%, conversion without its position, placeholder)."""
    args = []
    sequence = 0
    for p in placeholders:
        if p.text == "%%":
            args.append((0, "%%", p))
            continue
        m = _POSITION.match(p.text)
        if m:
            args.append((int(m.group(1)), "%" + p.text[m.end() :], p))
        else:
            sequence += 1
            args.append((sequence, p.text, p))
    return args


def _tag_key(p: Placeholder) -> str:
    m = _TAG.fullmatch(p.text)
    assert m is not None
    closing, name, attrs, empty = m.groups()
    parts = []
    for a in _ATTR.finditer(attrs):
        attr = a.group(1).lower()
        value = next((v for v in a.groups()[1:] if v is not None), None)
        parts.append(f"{attr}=…" if attr in _TRANSLATABLE_ATTRS else f"{attr}={value!r}")
    return f"<{closing}{name.lower()} {' '.join(sorted(parts))}{empty}>"


def _balance(tags: list[Placeholder]) -> list[Issue]:
    problems: list[str] = []
    stack: list[Placeholder] = []
    for p in tags:
        if p.text.endswith("/>") or p.name in _VOID_TAGS:
            continue
        if not p.text.startswith("</"):
            stack.append(p)
        elif any(open_.name == p.name for open_ in stack):
            while stack[-1].name != p.name:
                problems.append(f"tag {stack.pop().text} not closed before {p.text}")
            stack.pop()
        else:
            problems.append(f"closing tag {p.text} without opening tag")
    problems += [f"tag {p.text} not closed" for p in stack]
    return [Issue(text, Category.MARKUP, "tag") for text in problems]


def _invalid_directives(text: str, grammar: str) -> list[Issue]:
    """What ``msgfmt -c`` would reject: a ``%`` that starts no valid conversion."""
    regex, problems, pos = _PRINTF[grammar], list[Issue](), 0
    while (i := text.find("%", pos)) != -1:
        m = regex.match(text, i)
        if m:
            pos = m.end()
            continue
        text_ = f"invalid format directive {text[i : i + 3]!r} (write %% for a literal %)"
        problems.append(Issue(text_, Category.INVALID, "printf"))
        pos = i + 1
    return problems


# --- mask / unmask -----------------------------------------------------------------------------

# Tokens are empty XML elements, "<x0/>": MT engines are trained to carry inline markup through
# untouched (XLIFF's <x id="0"/> is the same idea), the model has no word in them to translate,
# digits inside markup are not localized (bare "{0}" can come back as "{٠}"), and they parse back
# unambiguously. Every tag of the source is itself masked, so a literal "<x0/>" cannot collide.
TOKEN = "<x{}/>"
_TOKEN = re.compile(r"<\s*[xX]\s*(\d+)\s*/?\s*>")  # also the variants models write: <x0 />, <X0>


@dataclass(frozen=True)
class Masked:
    """``text`` with each placeholder replaced by a token; ``tokens`` maps a token to its original.

    Leading and trailing whitespace is kept aside (``lead``/``trail``) and restored by ``unmask``:
    models drop it, and it is not theirs to change.
    """

    text: str
    tokens: dict[str, str]
    lead: str = ""
    trail: str = ""


class MaskError(ValueError):
    """The model's output lost, duplicated or invented tokens; ``problems`` says which."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def mask(text: str, flags: frozenset[str] = frozenset()) -> Masked:
    """Replace every placeholder, tag, entity, escape, URL and e-mail address with a token.

    Adjacent ones share a token (``{n, plural, one {`` + ``#``): fewer tokens to keep.
    """
    lead, trail = _edges(text)
    if not text.strip():
        return Masked("", {}, text, "")
    core = text[len(lead) : len(text) - len(trail)]
    pieces: list[str] = []
    originals: list[str] = []
    pos = 0
    for p in find(core, flags):
        if originals and p.start == pos:
            originals[-1] += p.text
        else:
            pieces += [core[pos : p.start], TOKEN.format(len(originals))]
            originals.append(p.text)
        pos = p.end
    pieces.append(core[pos:])
    tokens = {TOKEN.format(i): original for i, original in enumerate(originals)}
    return Masked("".join(pieces), tokens, lead, trail)


def unmask(text: str, masked: Masked) -> str:
    """Put the originals back into the translation of ``masked.text``; MaskError if tokens broke."""
    seen = Counter(TOKEN.format(int(m.group(1))) for m in _TOKEN.finditer(text))
    problems = []
    for token, original in masked.tokens.items():
        if seen[token] == 0:
            problems.append(f"token {token} ({original}) missing")
        elif seen[token] > 1:
            problems.append(f"token {token} ({original}) appears {seen[token]} times")
    problems += [f"unknown token {token}" for token in seen if token not in masked.tokens]
    if problems:
        raise MaskError(problems)
    core = _TOKEN.sub(lambda m: masked.tokens[TOKEN.format(int(m.group(1)))], text)
    return masked.lead + core.strip() + masked.trail
