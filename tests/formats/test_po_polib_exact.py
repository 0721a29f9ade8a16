"""The PO adapter reads a plain file from its own scan, without polib (``po_lines.Scan``).

That path must give exactly what polib's path gives: the same entries, the same language and
plural rule, the same error, the same bytes after a fill. Each case here is loaded twice, once
as it is and once with the scan's ``polib_exact`` forced off (polib parses the file), and the
two must agree. The cases are the fixtures and random files built from lines polib treats in
its own ways (header comments, "##" and "#x" comments, misplaced comments and continuations,
"msgstr[10]", a comment on the last line, ...).
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import polib
import pytest

from l10n_qwen.catalog import Entry, LoadOptions
from l10n_qwen.errors import InputError
from l10n_qwen.formats import po, po_lines

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "po"
HEADER = [
    'msgid ""',
    'msgstr ""',
    '"Language: de\\n"',
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
]
LINES = [
    "",
    "   ",
    "#",
    "# ",
    "# translator note",
    "#  two spaces",
    "#\ttab",
    "## double",
    "#x no space",
    "#. extracted",
    "#.x",
    "#.",
    "#: src/a.c:1",
    "#:",
    "#, fuzzy",
    "#, c-format, fuzzy",
    "#, python-format,,",
    "#,fuzzy",
    "#,",
    '#| msgid "old"',
    '#~ msgid "gone"',
    '#~ msgstr "weg"',
    " # indented",
    'msgctxt "menu"',
    'msgid "Open"',
    'msgid "File"',
    'msgid "%d file"',
    'msgid_plural "%d files"',
    'msgstr "Öffnen"',
    'msgstr ""',
    'msgstr[0] "eine"',
    'msgstr[1] "%d Dateien"',
    'msgstr[2] "x"',
    'msgstr[10] "zehn"',
    '"continued"',
    '"Language: fr\\n"',
    '"a\\"b"',
    'msgid  "two spaces"',
    'msgid\t"tab"',
]


def _entries(path: Path, exact: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    """What loading ``path`` gives (entries, language, bytes after a fill), or the error."""
    real = po_lines.read

    def read(lines: list[str]) -> po_lines.Scan:
        found = real(lines)
        return po_lines.Scan(found.spans, found.polib_exact and exact)

    with monkeypatch.context() as patch:
        patch.setattr(po, "read", read)
        try:
            loaded = po.load(path, LoadOptions(target_lang="de"))
        except InputError as exc:
            return ("refused", str(exc))
        entries: list[Entry] = list(loaded.entries())
        seen = [(e.key, e.sources, list(e.targets), e.state, e.flags, e.comments) for e in entries]
        for entry in entries:
            try:
                loaded.fill(entry, ["X"] * len(entry.sources), review=True)
            except InputError as exc:
                return ("fill refused", str(exc), seen)
        return (seen, entries, loaded.language, loaded.dumps())


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    return _entries(path, True, monkeypatch), _entries(path, False, monkeypatch)


@pytest.mark.parametrize(
    "name", sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.glob("*/*.po*"))
)
def test_fixtures_read_the_same_without_polib(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(FIXTURES / name, monkeypatch)
    assert fast == slow


def _random_file(rng: random.Random) -> list[str]:
    """Entries as gettext writes them, with now and then a line from ``LINES`` anywhere."""
    lines = [*HEADER] if rng.random() < 0.8 else []
    for n in range(rng.randint(0, 5)):
        entry = [rng.choice(LINES[2:17]) for _ in range(rng.randint(0, 3))]
        entry += ['msgctxt "c"'] if rng.random() < 0.2 else []
        entry += [f'msgid "m{rng.randint(0, 3)}"'] + ['"+"'] * rng.randint(0, 1)
        if rng.random() < 0.3:
            entry += ['msgid_plural "p"', 'msgstr[0] "a"', '"b"', 'msgstr[1] ""']
        else:
            entry += ['msgstr "s"'] + ['"+"'] * rng.randint(0, 1)
        lines += [*entry, ""] if n else entry
    for _ in range(rng.choice((0, 0, 1, 2))):
        lines.insert(rng.randint(0, len(lines)), rng.choice(LINES))
    return lines


def test_random_files_read_the_same_without_polib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(11)
    exact = 0
    for case in range(1500):
        lines = _random_file(rng)
        path = tmp_path / f"case{case}.po"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with contextlib.suppress(po_lines.PoSyntaxError):  # refused: both ways, checked below
            exact += po_lines.read(lines).polib_exact
        fast, slow = _both(path, monkeypatch)
        assert fast == slow, "\n".join(lines)
    assert exact > 500  # enough of the cases take the path without polib


def test_a_plain_catalog_is_read_without_polib() -> None:
    lines = [
        *HEADER,
        "",
        "# note",
        "#. shown",
        "#: a.c:1",
        "#, c-format",
        'msgid "%d"',
        'msgstr ""',
    ]
    assert po_lines.read(lines).polib_exact
    plural = ['msgid "b"', 'msgid_plural "c"', 'msgstr[0] "d"']
    assert po_lines.read([*lines, *plural, 'msgstr[1] "e"']).polib_exact
    assert not po_lines.read([*lines, *plural, 'msgstr[10] "e"']).polib_exact  # polib: [1]
    for odd in ("#x", '#~ msgid "a"', " # x", '#| msgid "a"'):
        assert not po_lines.read([*lines, odd, 'msgid "b"', 'msgstr "c"']).polib_exact, odd
    assert not po_lines.read([*lines, "# the end"]).polib_exact  # polib drops the entry above


def test_line_ends_only_str_knows_stay_inside_their_line(tmp_path: Path) -> None:
    # The file is decoded at once and split as text only if no such character is in it.
    path = tmp_path / "de.po"
    lines = [*HEADER, "", "# a\x0cnote\x85", 'msgid "one\u2028two"', 'msgstr "eins\x1ezwei"', ""]
    lines += ['msgid "three"', 'msgstr ""']
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    loaded = po.load(path, LoadOptions())
    first, second = loaded.entries()
    assert (first.sources, first.targets, first.line) == (("one\u2028two",), ["eins\x1ezwei"], 6)
    assert (first.comments, second.line) == ("a\x0cnote", 10)  # polib strips the \x85
    loaded.fill(second, ["drei"], review=False)
    original = path.read_bytes()
    assert loaded.dumps() == original[: -len('msgstr ""\r\n')] + b'msgstr "drei"\r\n'


def test_escape_is_polibs_for_every_character_of_the_basic_plane() -> None:
    # po_lines.escape skips polib.escape when nothing needs escaping: it must never skip one.
    for code in range(0xD800):
        char = chr(code)
        for text in (char, f"a{char}b", f'"{char}\\'):
            assert po_lines.escape(text) == polib.escape(text), repr(text)
