"""The PO adapter: byte-identical round trips, minimal edits, gettext-valid output."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from l10n_qwen.catalog import Entry, LoadOptions, State
from l10n_qwen.errors import InputError
from l10n_qwen.formats import po
from l10n_qwen.formats.po_lines import render

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "po"
#: Malformed strings that polib reads (often wrongly) and msgfmt refuses:
#: scenario -> (line, column, message) of the InputError.
SYNTAX = {
    "unterminated": (12, None, "end of line within a string (no closing quote)"),
    "continuation": (14, None, "end of line within a string (no closing quote)"),
    "bad_escape": (13, 9, "invalid escape sequence \\q"),
    "c_escape": (12, 14, "invalid escape sequence \\'"),  # C has \', gettext does not
    "previous": (12, 13, "invalid escape sequence \\e"),  # msgfmt reads "#|" strings too
    "trailing_text": (12, 17, "unexpected text after the string: 'now'"),
    "no_string": (13, None, "msgstr[0] without a string"),
    # polib reads these as a plural entry with an empty msgid_plural / as untranslated
    "no_msgid_plural": (
        12,
        None,
        "msgstr[0] without msgid_plural: a message without plural forms takes msgstr",
    ),
    "plural_plain_msgstr": (
        14,
        1,
        "msgstr after msgid_plural: a plural entry takes msgstr[0], msgstr[1], ...",
    ),
}
BROKEN = {"broken", "bad_encoding", "duplicate", *SYNTAX}
VALID = sorted(
    str(p.relative_to(FIXTURES)) for p in FIXTURES.glob("*/*.po*") if p.parent.name not in BROKEN
)
msgfmt_missing = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU msgfmt")


def copy(tmp_path: Path, name: str) -> Path:
    """Copy fixture ``scenario/file`` into tmp_path (nothing ever writes to fixtures/)."""
    src = FIXTURES / name
    dest = tmp_path / src.parent.name / src.name
    dest.parent.mkdir(exist_ok=True)
    shutil.copyfile(src, dest)
    return dest


def load(path: Path, target_lang: str | None = None) -> po.PoFile:
    return po.load(path, LoadOptions(target_lang=target_lang))


def entry(f: po.PoFile, key: str) -> Entry:
    return next(e for e in f.entries() if e.key == key)


def fake_translate(e: Entry) -> list[str]:
    """Keeps placeholders and leading/trailing newlines, as msgfmt --check-format requires."""
    return ["Ü " + source for source in e.sources]


def changed_lines(before: bytes, after: bytes, encoding: str = "utf-8") -> list[str]:
    """The '-'/'+' lines of a line diff: proof of which lines an edit touched."""
    diff = difflib.ndiff(
        before.decode(encoding).splitlines(keepends=True),
        after.decode(encoding).splitlines(keepends=True),
    )
    return [line for line in diff if line[:2] in ("- ", "+ ")]


def save(f: po.PoFile) -> bytes:
    data = f.dumps()
    f.path.write_bytes(data)
    return data


def run_msgfmt(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msgfmt", "--check-format", "--use-fuzzy", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


# -- reading --------------------------------------------------------------------------------


def test_module_contract() -> None:
    assert po.NAME == "po"
    assert po.SUFFIXES == (".po", ".pot")


@pytest.mark.parametrize("name", VALID)
@pytest.mark.parametrize("target_lang", [None, "de"])
def test_round_trip_is_byte_identical(tmp_path: Path, name: str, target_lang: str | None) -> None:
    path = copy(tmp_path, name)
    original = path.read_bytes()
    f = load(path, target_lang)
    assert f.entries()  # the fixture was really parsed
    assert f.dumps() == original


def test_round_trip_covers_the_scenarios() -> None:
    assert {
        "basic/de.po",
        "plurals_ru/ru.po",
        "plurals_ja/ja.po",
        "no_plural_forms/pl.po",
        "no_header/de.po",
        "wrapped79/fr.po",
        "unwrapped/fr.po",
        "latin1/de.po",
        "crlf/de.po",
        "bom/de.po",
        "no_final_newline/de.po",
        "template/messages.pot",
    } <= set(VALID)
    assert (FIXTURES / "crlf/de.po").read_bytes().count(b"\r\n") > 10
    assert (FIXTURES / "bom/de.po").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (FIXTURES / "no_final_newline/de.po").read_bytes().endswith(b"\n")
    assert max(map(len, (FIXTURES / "unwrapped/fr.po").read_text().splitlines())) > 100
    assert max(map(len, (FIXTURES / "wrapped79/fr.po").read_text().splitlines())) > 79  # comment


def test_entries_of_basic(tmp_path: Path) -> None:
    f = load(copy(tmp_path, "basic/de.po"))
    got = [(e.key, e.state, e.line) for e in f.entries()]
    assert got == [
        ("Open", State.TRANSLATED, 20),
        ("Save", State.UNTRANSLATED, 24),
        ("Hello, %(name)s!", State.UNTRANSLATED, 30),
        ("Copied %d files to %s", State.TRANSLATED, 35),
        ("Removed %d file", State.FUZZY, 40),
        ("menu\x04File", State.UNTRANSLATED, 46),
        ("dialog\x04File", State.TRANSLATED, 51),
        (
            'Welcome to Example.\nPress F1 for help or visit the "Getting started" page.\n',
            State.UNTRANSLATED,
            56,
        ),
        ("%(count)d item", State.UNTRANSLATED, 62),
        ("One file", State.TRANSLATED, 69),
    ]  # no header, no "#~" obsolete entries ("Quit", "Older text")
    save_ = entry(f, "Save")
    assert (
        save_.comments
        == "Shown on the toolbar; keep it short.\nTRANSLATORS: the verb, not the noun"
    )
    assert save_.sources == ("Save",) and save_.targets == [""]
    assert entry(f, "Removed %d file").flags == frozenset({"c-format"})  # fuzzy is the state
    assert entry(f, "Hello, %(name)s!").flags == frozenset({"python-format"})
    menu = entry(f, "menu\x04File")
    assert menu.context == "menu" and menu.sources == ("File",)
    plural = entry(f, "%(count)d item")
    assert plural.sources == ("%(count)d item", "%(count)d items")
    assert plural.targets == ["", ""]
    assert f.language == "de"


LONG_FR = (
    "The file %(name)s could not be opened because it is locked by another process;"
    " close it and try again."
)
PARAGRAPH_FR = (
    "First line of a long paragraph that goes on and on well past the seventy-nine column limit."
    "\nSecond line.\n"
)


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("plurals_ru/ru.po", {"%(count)d item": [0, 1, 2], "%d file": [1]}),
        ("plurals_ja/ja.po", {"%d file": [0]}),
        ("latin1/de.po", {"Close": [0]}),
        ("crlf/de.po", {"Save": [0], "%d file": [0, 1]}),
        ("wrapped79/fr.po", {LONG_FR: [0], "Short one": [0], PARAGRAPH_FR: [0]}),
    ],
)
def test_untranslated_entries_are_found(
    tmp_path: Path, name: str, missing: dict[str, list[int]]
) -> None:
    f = load(copy(tmp_path, name))
    found = {e.key: e.missing for e in f.entries() if e.state is State.UNTRANSLATED}
    assert found == missing


def test_plural_sources_follow_nplurals(tmp_path: Path) -> None:
    # Russian's form for 1 also serves 21, 31...: msgid has the number, so it is the source.
    ru = entry(load(copy(tmp_path, "plurals_ru/ru.po")), "%d file")
    assert ru.sources == ("%d file", "%d files", "%d files")
    assert ru.targets == ["%d файл", "", "%d файлов"]
    ja = entry(load(copy(tmp_path, "plurals_ja/ja.po")), "%d file")
    assert ja.sources == ("%d files",)  # one form: the plural msgid is the better source
    de = entry(load(copy(tmp_path, "basic/de.po")), "%(count)d item")
    assert de.sources == ("%(count)d item", "%(count)d items")  # form 0 is for 1 alone
    # Arabic: form 0 is for 0, form 1 for 1 alone: msgid goes to form 1.
    (tmp_path / "ar").mkdir()
    ar_po = tmp_path / "ar" / "ar.po"
    ar_po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ar\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "One apple"\nmsgid_plural "%d apples"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    ar = entry(load(ar_po), "One apple")
    assert ar.sources[:3] == ("%d apples", "One apple", "%d apples") and len(ar.sources) == 6


def test_plural_forms_sharing_a_source_get_hints(tmp_path: Path) -> None:
    """Forms 1 and 2 both come from msgid_plural: each names the counts it is used for."""
    ru = entry(load(copy(tmp_path, "plurals_ru/ru.po")), "%d file")
    assert ru.hints == (
        "",  # from msgid
        "Translate as the plural form used for counts like 2, 3, 4, 22, 23, 102.",
        "Translate as the plural form used for counts like 0, 5, 6, 11, 12, 25.",
    )
    pl = entry(load(copy(tmp_path, "no_plural_forms/pl.po")), "%d file")  # the table's rule
    assert len(set(pl.hints)) == 3 and "22" in pl.hints[1] and "12" in pl.hints[2]


def test_only_forms_from_msgid_plural_get_hints(tmp_path: Path) -> None:
    de = entry(load(copy(tmp_path, "basic/de.po")), "%(count)d item")
    assert de.hints == ("", "Translate as the plural form used for counts like 0, 2, 3, 5, 11, 12.")
    ja = load(copy(tmp_path, "plurals_ja/ja.po"))
    assert all(e.hints == () for e in ja.entries())  # one form: nothing to tell apart


def test_plural_forms_for_one_number_are_marked(tmp_path: Path) -> None:
    """msgfmt lets such a form leave the number out; the entry says which slots they are."""
    assert entry(load(copy(tmp_path, "basic/de.po")), "%(count)d item").single_value_slots == {0}
    assert entry(load(copy(tmp_path, "plurals_ru/ru.po")), "%d file").single_value_slots == set()
    assert entry(load(copy(tmp_path, "plurals_ja/ja.po")), "%d file").single_value_slots == set()
    path = copy(tmp_path, "no_plural_forms/pl.po")
    assert entry(load(path), "%d file").single_value_slots == {0}  # the table's rule: n==1
    assert all(not e.single_value_slots for e in load(path).entries() if len(e.sources) == 1)
    assert entry(load(path, "fr"), "%d file").single_value_slots == set()  # 0 and 1
    assert entry(load(copy(tmp_path, "no_header/de.po")), "%d file").single_value_slots == set()


def test_no_hints_without_a_plural_rule(tmp_path: Path) -> None:
    assert entry(load(copy(tmp_path, "no_header/de.po")), "%d file").hints == ()


def test_plural_rule_from_the_table_when_header_lacks_it(tmp_path: Path) -> None:
    path = copy(tmp_path, "no_plural_forms/pl.po")
    assert len(entry(load(path), "%d file").sources) == 3  # Polish, from the Language header
    assert len(entry(load(path, "ja"), "%d file").sources) == 1  # the given target wins
    assert len(entry(load(path, "pt-BR"), "%d file").sources) == 2  # BCP 47 spelling works


def test_broken_file_names_the_line(tmp_path: Path) -> None:
    path = copy(tmp_path, "broken/de.po")
    with pytest.raises(InputError) as info:
        load(path)
    assert info.value.line == 10
    assert info.value.path == path
    assert str(info.value) == f"{path}:10:20: syntax error: unescaped double quote found"


@pytest.mark.parametrize("name", sorted(SYNTAX))
def test_malformed_string_is_refused_at_its_line(tmp_path: Path, name: str) -> None:
    path = copy(tmp_path, f"{name}/de.po")
    line, column, message = SYNTAX[name]
    with pytest.raises(InputError) as info:
        load(path)
    assert (info.value.path, info.value.line, info.value.column) == (path, line, column)
    assert info.value.detail == f"syntax error: {message}"


@pytest.mark.parametrize("name", sorted(SYNTAX))
@msgfmt_missing
def test_msgfmt_refuses_the_same_files(name: str) -> None:
    path = FIXTURES / name / "de.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    first = next(line for line in result.stderr.splitlines() if "warning" not in line)
    reported = int(first.removeprefix(f"{path}:").split(":")[0])
    # msgfmt names the line after an unterminated string (its lexer has read the line end)
    assert reported in (SYNTAX[name][0], SYNTAX[name][0] + 1)


@msgfmt_missing
def test_every_gettext_escape_is_accepted(tmp_path: Path) -> None:
    path = copy(tmp_path, "escapes/de.po")
    assert run_msgfmt(path).returncode == 0
    f = load(path)
    assert entry(f, 'Tab\tnewline\nreturn\rquote"backslash\\').targets == [
        'Tab\tZeile\nWagen\rZitat"Schräg\\'
    ]
    # polib keeps the escapes it does not know (\a, octal, hex) as written
    assert entry(f, "Octal \\101 and hex \\x41").state is State.TRANSLATED
    assert f.dumps() == path.read_bytes()


def test_undecodable_byte_names_line_and_column(tmp_path: Path) -> None:
    path = copy(tmp_path, "bad_encoding/de.po")
    with pytest.raises(InputError) as info:
        load(path)
    assert (info.value.line, info.value.column) == (10, 11)
    assert "not valid utf-8" in str(info.value).lower()


def test_duplicate_message_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="duplicate message definition") as info:
        load(copy(tmp_path, "duplicate/de.po"))
    assert info.value.line == 12


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('msgid "a"\nmsgstr "b"\n\nmsgid "c"\n', "msgid without msgstr", 4),
        # polib drops the last entry when a "#~|" line ends the file: refuse, never mis-pair
        ('msgid "a"\nmsgstr "b"\n#~| msgid "x"\n', "cannot map", None),
    ],
)
def test_files_polib_misreads_are_refused(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    path = tmp_path / "de.po"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as info:
        load(path)
    assert info.value.line == line


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load(tmp_path / "nope.po")


# -- filling --------------------------------------------------------------------------------


def test_fill_changes_only_that_entrys_lines(tmp_path: Path) -> None:
    path = copy(tmp_path, "basic/de.po")
    before = path.read_bytes()
    f = load(path)
    f.fill(entry(f, "Save"), ["Speichern"], review=True)
    after = save(f)
    assert changed_lines(before, after) == [
        "+ #, fuzzy\n",
        '- msgstr ""\n',
        '+ msgstr "Speichern"\n',
    ]
    # the new flag line sits after the comments, right before msgid
    assert b'#: src/app.py:12 src/menu.py:40\n#, fuzzy\nmsgid "Save"\n' in after


def test_fill_adds_fuzzy_first_to_existing_flags(tmp_path: Path) -> None:
    path = copy(tmp_path, "basic/de.po")
    before = path.read_bytes()
    f = load(path)
    f.fill(entry(f, "Hello, %(name)s!"), ["Hallo, %(name)s!"], review=True)
    assert changed_lines(before, save(f)) == [
        "- #, python-format\n",
        "+ #, fuzzy, python-format\n",
        '- msgstr ""\n',
        '+ msgstr "Hallo, %(name)s!"\n',
    ]


def test_fill_without_review_adds_no_flag(tmp_path: Path) -> None:
    path = copy(tmp_path, "basic/de.po")
    before = path.read_bytes()
    f = load(path)
    e = entry(f, "menu\x04File")
    f.fill(e, ["Datei"], review=False)
    assert changed_lines(before, save(f)) == ['- msgstr ""\n', '+ msgstr "Datei"\n']
    assert e.state is State.TRANSLATED and e.targets == ["Datei"]


def test_refilling_a_fuzzy_entry_keeps_its_comments(tmp_path: Path) -> None:
    path = copy(tmp_path, "basic/de.po")
    before = path.read_bytes()
    f = load(path)
    f.fill(entry(f, "Removed %d file"), ["%d Datei entfernt"], review=True)
    assert changed_lines(before, save(f)) == [
        '- #| msgid "Deleted %d file"\n',  # msgmerge's guess is gone with its translation
        '- msgstr "%d Datei gelöscht"\n',
        '+ msgstr "%d Datei entfernt"\n',
    ]  # "#, fuzzy, c-format" and the comments stay


def test_fill_updates_the_entries(tmp_path: Path) -> None:
    f = load(copy(tmp_path, "basic/de.po"))
    f.fill(entry(f, "Save"), ["Speichern"], review=True)
    e = entry(f, "Save")
    assert (e.state, e.targets) == (State.FUZZY, ["Speichern"])


def test_multiline_value_is_written_like_msgmerge(tmp_path: Path) -> None:
    path = copy(tmp_path, "basic/de.po")
    f = load(path)
    e = entry(f, 'Welcome to Example.\nPress F1 for help or visit the "Getting started" page.\n')
    f.fill(e, ['Willkommen.\nDrücken Sie F1 oder lesen Sie "Erste Schritte".\n'], review=True)
    assert (
        'msgstr ""\n"Willkommen.\\n"\n"Drücken Sie F1 oder lesen Sie \\"Erste Schritte\\".\\n"\n'
        in save(f).decode()
    )


@pytest.mark.parametrize(
    ("name", "target_lang"),
    [
        ("basic/de.po", None),
        ("plurals_ru/ru.po", None),
        ("plurals_ja/ja.po", None),
        ("no_plural_forms/pl.po", None),
        ("no_header/de.po", "de"),
        ("wrapped79/fr.po", None),
        ("unwrapped/fr.po", None),
        ("latin1/de.po", None),
        ("crlf/de.po", None),
        ("no_final_newline/de.po", None),
    ],
)
@msgfmt_missing
def test_filled_file_is_valid_gettext(tmp_path: Path, name: str, target_lang: str | None) -> None:
    path = copy(tmp_path, name)
    f = load(path, target_lang)
    filled = {}
    for e in f.entries():
        if e.state is State.UNTRANSLATED:
            filled[e.key] = fake_translate(e)
            f.fill(e, filled[e.key], review=True)
    assert filled
    data = save(f)

    result = run_msgfmt(path)
    assert (result.returncode, result.stderr) == (0, "")

    back = {entry.msgid_with_context: entry for entry in polib.pofile(str(path))}
    for key, targets in filled.items():
        pe = back[key]
        values = [pe.msgstr_plural[i] for i in sorted(pe.msgstr_plural)] or [pe.msgstr]
        assert values == targets
        assert "fuzzy" in pe.flags
    again = load(path, target_lang)
    assert not [e for e in again.entries() if e.state is State.UNTRANSLATED]
    assert again.dumps() == data  # the written file round-trips too


def test_plural_fill_writes_exactly_nplurals(tmp_path: Path) -> None:
    path = copy(tmp_path, "plurals_ru/ru.po")
    f = load(path)
    f.fill(entry(f, "%d file"), ["%d файл", "%d файла", "%d файлов"], review=True)
    assert (
        b'#, fuzzy, c-format\nmsgid "%d file"\nmsgid_plural "%d files"\n'
        b'msgstr[0] "%d \xd1\x84\xd0\xb0\xd0\xb9\xd0\xbb"\n'
        b'msgstr[1] "%d \xd1\x84\xd0\xb0\xd0\xb9\xd0\xbb\xd0\xb0"\n'
        b'msgstr[2] "%d \xd1\x84\xd0\xb0\xd0\xb9\xd0\xbb\xd0\xbe\xd0\xb2"\n\n'
    ) in save(f)

    path = copy(tmp_path, "plurals_ja/ja.po")
    f = load(path)
    f.fill(entry(f, "%d file"), ["%d 個のファイル"], review=True)
    text = save(f).decode()
    assert 'msgid_plural "%d files"\nmsgstr[0] "%d 個のファイル"\n\nmsgid "Cancel"' in text
    assert "msgstr[1]" not in text


def test_plural_forms_header_is_added_from_the_table(tmp_path: Path) -> None:
    path = copy(tmp_path, "no_plural_forms/pl.po")
    before = path.read_bytes()
    f = load(path)
    f.fill(entry(f, "%d file"), ["%d plik", "%d pliki", "%d plików"], review=True)
    changed = changed_lines(before, save(f))
    expr = "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
    assert changed == [
        '+ "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 "\n',
        '+ "|| n%100>=20) ? 1 : 2);\\n"\n',  # wrapped at 79 columns like msgmerge does
        "- #, c-format\n",
        "+ #, fuzzy, c-format\n",
        '- msgstr[0] ""\n',
        '+ msgstr[0] "%d plik"\n',
        '- msgstr[1] ""\n',
        '+ msgstr[1] "%d pliki"\n',
        '+ msgstr[2] "%d plików"\n',
    ]
    assert 'Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms' in path.read_text()
    assert polib.pofile(str(path)).metadata["Plural-Forms"] == f"nplurals=3; plural={expr};"


def test_language_is_added_with_the_plural_forms_it_came_from(tmp_path: Path) -> None:
    path = tmp_path / "messages.po"
    path.write_text(
        (FIXTURES / "no_plural_forms/pl.po").read_text().replace('"Language: pl\\n"\n', "")
    )
    before = path.read_bytes()
    f = load(path, "pl")
    f.fill(entry(f, "%d file"), ["%d plik", "%d pliki", "%d plików"], review=True)
    assert changed_lines(before, save(f))[:3] == [
        '+ "Language: pl\\n"\n',
        '+ "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 "\n',
        '+ "|| n%100>=20) ? 1 : 2);\\n"\n',
    ]
    assert polib.pofile(str(path)).metadata["Language"] == "pl"


def test_header_is_created_when_missing(tmp_path: Path) -> None:
    path = copy(tmp_path, "no_header/de.po")
    before = path.read_text()
    f = load(path, "de")
    f.fill(entry(f, "Save"), ["Speichern"], review=True)
    after = save(f).decode()
    assert after.startswith(
        'msgid ""\nmsgstr ""\n"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        '"Language: de\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n#: src/app.py:12\n#, fuzzy\n'
    )
    assert after.endswith(before[before.index("\n#, c-format") :])


def test_plural_fill_without_any_rule_is_refused(tmp_path: Path) -> None:
    path = copy(tmp_path, "no_header/de.po")
    f = load(path)  # no header, no target language: nplurals unknown
    with pytest.raises(InputError, match="no Plural-Forms header"):
        f.fill(entry(f, "%d file"), ["a", "b"], review=True)
    f.fill(entry(f, "Save"), ["Speichern"], review=True)  # singular entries are fine
    assert f.dumps().startswith(b'#: src/app.py:12\n#, fuzzy\nmsgid "Save"\nmsgstr "Speichern"\n')


def test_template_placeholder_plural_forms_is_replaced(tmp_path: Path) -> None:
    path = copy(tmp_path, "template/messages.pot")
    before = path.read_bytes()
    f = load(path, "de")
    f.fill(entry(f, "Save"), ["Speichern"], review=True)
    assert changed_lines(before, save(f)) == [
        '- "Language: \\n"\n',  # the rule is German's: the empty Language says so too
        '+ "Language: de\\n"\n',
        '- "Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n',
        '+ "Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n',
        "+ #, fuzzy\n",
        '- msgstr ""\n',
        '+ msgstr "Speichern"\n',
    ]


def test_long_value_is_wrapped_at_79_columns(tmp_path: Path) -> None:
    path = copy(tmp_path, "wrapped79/fr.po")
    f = load(path)
    e = entry(f, "Short one")
    value = "Un texte court devenu très long, " * 5 + "pour voir comment il est coupé."
    f.fill(e, [value], review=True)
    lines = save(f).decode().splitlines()
    start = lines.index('msgid "Short one"') + 1
    assert lines[start] == 'msgstr ""'
    block = lines[start + 1 : lines.index("", start)]
    assert len(block) > 1 and all(len(line) <= 79 for line in block)
    assert entry(load(path), "Short one").targets == [value]


@pytest.mark.parametrize(
    "name",
    ["basic/de.po", "plurals_ru/ru.po", "no_plural_forms/pl.po", "wrapped79/fr.po", "latin1/de.po"],
)
@pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU msgcat")
def test_new_lines_are_written_as_gettext_writes_them(tmp_path: Path, name: str) -> None:
    path = copy(tmp_path, name)
    assert subprocess.run(["msgcat", str(path)], capture_output=True).stdout == path.read_bytes()
    f = load(path)
    prefix = "Le fichier ne peut pas être ouvert, c'est-à-dire qu'il est verrouillé. " * 2
    for e in f.entries():
        if e.state is State.UNTRANSLATED:
            f.fill(e, [prefix + s for s in e.sources], review=True)
    data = save(f)
    normalized = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
    assert data == normalized  # byte for byte what msgcat/msgmerge would write


def test_unwrapped_file_gets_unwrapped_lines(tmp_path: Path) -> None:
    path = copy(tmp_path, "unwrapped/fr.po")
    f = load(path)
    value = "Le fichier %(name)s est verrouillé par un autre processus ; fermez-le et réessayez."
    f.fill(entry(f, LONG_FR), [value], review=True)
    assert f'msgstr "{value}"\n'.encode() in save(f)


def test_no_wrap_flag_is_honoured() -> None:
    assert render("msgstr", "word " * 30, width=0) == [f'msgstr "{"word " * 30}"']
    assert len(render("msgstr", "word " * 30)) > 1


@pytest.mark.parametrize(
    "value",
    [
        "",
        "plain",
        'quote " backslash \\ tab \t cr \r',
        "trailing newline\n",
        "a\nb\n\nc",
        "long " * 40 + "\n" + "x" * 200 + " y\n",
        "no-break-" * 20,
    ],
)
def test_render_round_trips_through_polib(value: str) -> None:
    text = 'msgid "x"\n' + "\n".join(render("msgstr", value)) + "\n"
    assert polib.pofile(text)[0].msgstr == value


def test_latin1_file_stays_latin1(tmp_path: Path) -> None:
    path = copy(tmp_path, "latin1/de.po")
    before = path.read_bytes()
    f = load(path)
    f.fill(entry(f, "Close"), ["Schließen"], review=True)
    after = save(f)
    assert b'msgstr "Schlie\xdfen"\n' in after
    assert changed_lines(before, after, "latin-1") == [
        "+ #, fuzzy\n",
        '- msgstr ""\n',
        '+ msgstr "Schließen"\n',
    ]


def test_text_outside_the_charset_is_refused_cleanly(tmp_path: Path) -> None:
    path = copy(tmp_path, "latin1/de.po")
    before = path.read_bytes()
    f = load(path)
    e = entry(f, "Close")
    with pytest.raises(
        InputError, match="cannot be written in the file's charset ISO-8859-1"
    ) as info:
        f.fill(e, ["閉じる"], review=True)
    assert info.value.path == path and info.value.line == e.line
    assert e.state is State.UNTRANSLATED
    assert f.dumps() == before


def test_crlf_stays_crlf(tmp_path: Path) -> None:
    path = copy(tmp_path, "crlf/de.po")
    f = load(path)
    f.fill(entry(f, "%d file"), ["%d Datei", "%d Dateien"], review=True)
    data = save(f)
    assert data.count(b"\n") == data.count(b"\r\n")
    assert b'#, fuzzy, c-format\r\nmsgid "%d file"\r\nmsgid_plural "%d files"\r\n' in data
    assert b'msgstr[0] "%d Datei"\r\nmsgstr[1] "%d Dateien"\r\n' in data


def test_missing_final_newline_stays_missing(tmp_path: Path) -> None:
    path = copy(tmp_path, "no_final_newline/de.po")
    f = load(path)
    f.fill(entry(f, "Save"), ["Speichern"], review=True)
    assert save(f).endswith(b'\n#, fuzzy\nmsgid "Save"\nmsgstr "Speichern"')


def test_bom_is_kept(tmp_path: Path) -> None:
    path = copy(tmp_path, "bom/de.po")
    f = load(path)
    f.fill(entry(f, "Save"), ["Speichern"], review=True)
    data = save(f)
    assert data.startswith(b'\xef\xbb\xbfmsgid ""\n') and data.count(b"\xef\xbb\xbf") == 1
    assert entry(load(path), "Save").state is State.FUZZY


# -- approving ------------------------------------------------------------------------------


def test_approve_drops_fuzzy_and_previous_msgid(tmp_path: Path) -> None:
    path = copy(tmp_path, "basic/de.po")
    before = path.read_bytes()
    f = load(path)
    e = entry(f, "Removed %d file")
    f.approve(e)
    assert e.state is State.TRANSLATED
    assert changed_lines(before, save(f)) == [
        "- #, fuzzy, c-format\n",
        "+ #, c-format\n",
        '- #| msgid "Deleted %d file"\n',
    ]
    back = {pe.msgid: pe for pe in polib.pofile(str(path))}
    assert back["Removed %d file"].flags == ["c-format"]
    assert back["Removed %d file"].previous_msgid is None


def test_approve_after_fill_removes_the_new_flag(tmp_path: Path) -> None:
    path = copy(tmp_path, "basic/de.po")
    before = path.read_bytes()
    f = load(path)
    f.fill(entry(f, "Save"), ["Speichern"], review=True)
    f.approve(entry(f, "Save"))
    assert changed_lines(before, f.dumps()) == ['- msgstr ""\n', '+ msgstr "Speichern"\n']
    assert entry(f, "Save").state is State.TRANSLATED


def test_approve_of_a_reviewed_entry_changes_nothing(tmp_path: Path) -> None:
    path = copy(tmp_path, "basic/de.po")
    f = load(path)
    f.approve(entry(f, "Open"))
    assert f.dumps() == path.read_bytes()


def test_fill_rejects_wrong_slot_count_and_foreign_entries(tmp_path: Path) -> None:
    f = load(copy(tmp_path, "basic/de.po"))
    with pytest.raises(ValueError, match="takes 2 targets"):
        f.fill(entry(f, "%(count)d item"), ["x"], review=True)
    stranger = Entry(key="nope", sources=("nope",), targets=[""], state=State.UNTRANSLATED)
    with pytest.raises(ValueError, match="not an entry"):
        f.fill(stranger, ["x"], review=True)


def test_a_filled_guess_loses_its_previous_msgid_and_stays_fuzzy(tmp_path: Path) -> None:
    path = copy(tmp_path, "basic/de.po")
    before = path.read_bytes()
    f = load(path)
    e = entry(f, "Removed %d file")
    assert e.guess and e.state is State.FUZZY
    f.fill(e, ["%d Datei entfernt"], review=True)
    assert not e.guess and e.state is State.FUZZY
    changed = changed_lines(before, save(f))
    assert '- #| msgid "Deleted %d file"\n' in changed
    assert not any(line.startswith(("- #,", "+ #,")) for line in changed)  # still fuzzy
    assert not entry(load(path), "Removed %d file").guess
