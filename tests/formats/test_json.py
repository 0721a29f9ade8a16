"""JSON adapter: i18next, flat keys, ARB, WebExtension; layout kept byte for byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from l10n_qwen.catalog import LoadOptions, State
from l10n_qwen.errors import InputError, UsageError
from l10n_qwen.formats import json as json_format

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "json"


def copy(tmp_path: Path, scenario: str) -> Path:
    """A fresh copy of the fixture folder ``scenario``."""
    shutil.copytree(FIXTURES / scenario, tmp_path / scenario)
    return tmp_path / scenario


def fill_all(locale_file: json_format.JsonFile) -> None:
    """Fill every untranslated entry with ``T(<source>)``."""
    for entry in locale_file.entries():
        if entry.state is State.UNTRANSLATED:
            locale_file.fill(entry, [f"T({entry.sources[0]})"], review=True)


@pytest.mark.parametrize(
    "target",
    [
        "i18next/de.json",
        "flat4/fr.json",
        "tabs/fr.json",
        "escaped/de.json",
        "odd_layout/de.json",
        "nested_dirs/locales/de/app.json",
        "arb/app_de.arb",
        "webext/_locales/de/messages.json",
        "i18next/en.json",
    ],
)
def test_unchanged_file_is_byte_identical(tmp_path: Path, target: str) -> None:
    folder = copy(tmp_path, target.split("/")[0])
    path = folder / target.split("/", 1)[1]
    assert json_format.load(path, LoadOptions()).dumps() == path.read_bytes()


def test_i18next_entries(tmp_path: Path) -> None:
    locale_file = json_format.load(copy(tmp_path, "i18next") / "de.json", LoadOptions())
    untranslated = {e.key: e for e in locale_file.entries() if e.state is State.UNTRANSLATED}
    assert list(untranslated) == [
        "common.cancel",
        "notes.deleted_zero",
        "notes.deleted_one",
        "notes.deleted_other",
        "notes.empty",
        "settings.theme.light",
        "settings.theme.dark",
        "tips.1",
    ]
    assert untranslated["common.cancel"].line == 5  # in the target
    assert untranslated["notes.deleted_zero"].line == 13  # not in the target: the source's line
    assert untranslated["notes.deleted_one"].sources == ("One note deleted",)
    assert untranslated["notes.deleted_one"].hints == (
        "Translate as the German plural form for the CLDR category 'one' (counts like 1).",
    )
    assert untranslated["notes.deleted_one"].comments == ""  # the hint is not a comment
    assert untranslated["common.cancel"].hints == ()
    greeting = next(e for e in locale_file.entries() if e.key == "common.greeting")
    assert greeting.state is State.TRANSLATED
    assert greeting.targets == ["Hallo, {{name}}!"]
    assert locale_file.language == "de"
    assert locale_file.native_review is False


def test_plural_categories_sharing_a_source_get_distinct_hints(tmp_path: Path) -> None:
    folder = copy(tmp_path, "i18next")
    ru = {e.key: e for e in json_format.load(folder / "ru.json", LoadOptions()).entries()}
    forms = [ru[f"notes.count_{cat}"] for cat in ("one", "few", "many", "other")]
    assert [e.sources for e in forms[1:]] == [("{{count}} notes",)] * 3  # one source text ...
    assert len({e.hints for e in forms}) == 4  # ... but four requests
    assert forms[1].hints == (
        "Translate as the Russian plural form for the CLDR category 'few' "
        "(counts like 2, 3, 4, 22, 23, 102).",
    )
    assert ru["notes.deleted_zero"].hints == (
        "Translate as the Russian text used when the count is 0.",
    )
    assert ru["notes.title"].hints == ()
    # Japanese has one form; it still says so (the English "one" text is not its source)
    ja = {e.key: e for e in json_format.load(folder / "ja.json", LoadOptions()).entries()}
    assert "notes.count_one" not in ja
    assert ja["notes.count_other"].hints == (
        "Translate as the Japanese plural form for the CLDR category 'other' "
        "(counts like 0, 1, 2, 3, 5, 11).",
    )


def test_i18next_fill_inserts_in_source_order_and_keeps_everything_else(tmp_path: Path) -> None:
    path = copy(tmp_path, "i18next") / "de.json"
    locale_file = json_format.load(path, LoadOptions())
    fill_all(locale_file)
    assert locale_file.dumps().decode() == (
        "{\n"
        '  "common": {\n'
        '    "appName": "Acme Notizen",\n'
        '    "save": "Speichern",\n'
        '    "cancel": "T(Cancel)",\n'
        '    "greeting": "Hallo, {{name}}!",\n'
        '    "company": "Erstellt von {{- company}}"\n'
        "  },\n"
        '  "notes": {\n'
        '    "title": "Deine Notizen",\n'
        '    "count_one": "{{count}} Notiz",\n'
        '    "count_other": "{{count}} Notizen",\n'
        '    "deleted_zero": "T(No notes deleted)",\n'
        '    "deleted_one": "T(One note deleted)",\n'
        '    "deleted_other": "T({{count}} notes deleted)",\n'
        '    "empty": "T(You have no notes yet. <1>Create one</1>.)",\n'
        '    "maxLength": 500,\n'
        '    "pinned": true,\n'
        '    "legacy": "Nur in der Übersetzung"\n'
        "  },\n"
        '  "settings": {\n'
        '    "title": "Einstellungen",\n'
        '    "theme": {\n'
        '      "light": "T(Light)",\n'
        '      "dark": "T(Dark)"\n'
        "    }\n"
        "  },\n"
        '  "tips": [\n'
        '    "Drücke N, um eine Notiz anzulegen.",\n'
        '    "T(Press / to search.)"\n'
        "  ]\n"
        "}\n"
    )


def test_fill_state_follows_review(tmp_path: Path) -> None:
    locale_file = json_format.load(copy(tmp_path, "i18next") / "de.json", LoadOptions())
    first, second = [e for e in locale_file.entries() if e.state is State.UNTRANSLATED][:2]
    locale_file.fill(first, ["Abbrechen"], review=True)
    locale_file.fill(second, ["Keine"], review=False)
    assert (first.state, second.state) == (State.FUZZY, State.TRANSLATED)
    assert first.targets == ["Abbrechen"]
    locale_file.approve(first)  # no mark in the file: nothing to do


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("ru", ["count_one", "count_few", "count_many", "count_other"]),
        ("ja", ["count_other"]),
        ("de", ["count_one", "count_other"]),
        ("ar", ["count_zero", "count_one", "count_two", "count_few", "count_many", "count_other"]),
    ],
)
def test_plural_keys_follow_the_target_language(
    tmp_path: Path, locale: str, expected: list[str]
) -> None:
    path = copy(tmp_path, "missing_target") / f"{locale}.json"
    locale_file = json_format.load(path, LoadOptions())
    fill_all(locale_file)
    notes = json.loads(locale_file.dumps())["notes"]
    assert [k for k in notes if k.startswith("count_")] == expected
    # Each form comes from the source's form of the same category, else from its ``other``.
    assert notes["count_other"] == "T({{count}} notes)"
    if "count_one" in expected:
        assert notes["count_one"] == "T({{count}} note)"
    # ``_zero`` is kept where the source has it: i18next uses it for a count of 0 in any language.
    assert "deleted_zero" in notes


@pytest.mark.parametrize(
    ("locale", "single"),
    [
        ("de", {"notes.count_one", "notes.deleted_zero", "notes.deleted_one"}),
        ("fr", {"notes.deleted_zero"}),  # French "one" is 0 and 1
        (
            "ar",
            {
                f"notes.{key}_{cat}"
                for key in ("count", "deleted")
                for cat in ("zero", "one", "two")
            },
        ),
    ],
)
def test_plural_categories_for_one_number_are_marked(
    tmp_path: Path, locale: str, single: set[str]
) -> None:
    # Their translation may leave {{count}} out ("Eine Notiz"), as i18next does not need it.
    path = copy(tmp_path, "missing_target") / f"{locale}.json"
    entries = json_format.load(path, LoadOptions()).entries()
    assert {e.key for e in entries if e.single_value_slots == {0}} == single
    assert all(e.single_value_slots in (set(), {0}) for e in entries)


def test_missing_target_is_created_with_the_source_structure(tmp_path: Path) -> None:
    folder = copy(tmp_path, "missing_target")
    locale_file = json_format.load(folder / "ja.json", LoadOptions())
    assert all(e.state is State.UNTRANSLATED for e in locale_file.entries())
    fill_all(locale_file)
    text = locale_file.dumps().decode()
    source = (folder / "en.json").read_text()
    assert text.endswith("}\n")
    created = json.loads(text)
    assert list(created) == list(json.loads(source))
    assert created["notes"]["maxLength"] == 500  # numbers and booleans copied, not translated
    assert created["notes"]["pinned"] is True
    assert created["tips"] == ["T(Press N to create a note.)", "T(Press / to search.)"]
    assert '\n  "common": {\n    "appName": "T(Acme Notes)",\n' in text  # the source's indent
    assert not (folder / "ja.json").exists()  # writing is the pipeline's job


def test_flat_keys_escape_dots_and_keep_four_space_indent(tmp_path: Path) -> None:
    locale_file = json_format.load(copy(tmp_path, "flat4") / "fr.json", LoadOptions())
    keys = [e.key for e in locale_file.entries()]
    assert keys == [
        "nav\\.home",
        "nav\\.about",
        "footer\\.copyright",
        "cart_one",
        "cart_many",
        "cart_other",
    ]
    fill_all(locale_file)
    assert locale_file.dumps().decode() == (
        "{\n"
        '    "nav.home": "Accueil",\n'
        '    "nav.about": "T(About us)",\n'
        '    "footer.copyright": "T(© {{year}} Acme)",\n'
        '    "cart_one": "T({{count}} item in your cart)",\n'
        '    "cart_many": "T({{count}} items in your cart)",\n'
        '    "cart_other": "T({{count}} items in your cart)"\n'
        "}\n"
    )


def test_tab_indent(tmp_path: Path) -> None:
    locale_file = json_format.load(copy(tmp_path, "tabs") / "fr.json", LoadOptions())
    fill_all(locale_file)
    assert locale_file.dumps() == (
        b'{\n\t"title": "Param\xc3\xa8tres",\n\t"sections": {\n'
        b'\t\t"account": "Compte",\n\t\t"privacy": "T(Privacy)"\n\t}\n}\n'
    )


def test_escaped_non_ascii_stays_escaped(tmp_path: Path) -> None:
    locale_file = json_format.load(copy(tmp_path, "escaped") / "de.json", LoadOptions())
    entry = next(e for e in locale_file.entries() if e.key == "goodbye")
    assert next(e for e in locale_file.entries() if e.key == "welcome").targets == ["Grüß Gott"]
    locale_file.fill(entry, ["Auf Wiedersehen, schön"], review=True)
    assert locale_file.dumps().decode() == (
        "{\n"
        '  "welcome": "Gr\\u00fc\\u00df Gott",\n'
        '  "goodbye": "Auf Wiedersehen, sch\\u00f6n",\n'
        '  "price": "Preis: {{amount}}"\n'
        "}\n"
    )


def test_unusual_layout_is_kept_around_the_edit(tmp_path: Path) -> None:
    locale_file = json_format.load(copy(tmp_path, "odd_layout") / "de.json", LoadOptions())
    fill_all(locale_file)
    assert locale_file.dumps() == (
        b'{ "title" : "Titel",\r\n  "list" : [1, 2, 3],\r\n'
        b'  "nested" : { "a" : "A-de", "b" : "T(B)" }\r\n}'
    )


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        # compact files stay compact: new members, new nested values, a new file
        ('{"a":"A","b":"B","c":"C"}', '{"b":"x"}', '{"a":"T(A)","b":"x","c":"T(C)"}'),
        ('{"a":"A","b":"B"}', None, '{"a":"T(A)","b":"T(B)"}'),
        ('{"l":["X1","X2","X3"]}', '{"l":[]}', '{"l":["T(X1)","T(X2)","T(X3)"]}'),
        ('{"l":["X1","X2"]}', "{}", '{"l":["T(X1)","T(X2)"]}'),
        (
            '{"m":{"a":"A"},"n":{"a":"A","b":"B"}}',
            '{"m":{}}',
            '{"m":{"a":"T(A)"},"n":{"a":"T(A)","b":"T(B)"}}',
        ),
        # one member on one line: spaced like its colon, whatever the source does
        ('{"a":"A","b":"B","c":"C"}', '{"b": "x"}', '{"a": "T(A)", "b": "x", "c": "T(C)"}'),
        ('{"a": "A", "b": "B"}', '{ "b": "x" }', '{ "a": "T(A)", "b": "x" }'),
        ('{"l": ["X1", "X2"]}', '{"l": ["y"]}', '{"l": ["y", "T(X2)"]}'),
    ],
)
def test_members_on_one_line_are_spaced_like_their_siblings(
    tmp_path: Path, source: str, target: str | None, expected: str
) -> None:
    (tmp_path / "en.json").write_text(source)
    if target is not None:
        (tmp_path / "de.json").write_text(target)
    locale_file = json_format.load(tmp_path / "de.json", LoadOptions())
    fill_all(locale_file)
    assert locale_file.dumps().decode() == expected


def test_locale_folders_pair_with_the_source_folder(tmp_path: Path) -> None:
    folder = copy(tmp_path, "nested_dirs")
    locale_file = json_format.load(folder / "locales" / "de" / "app.json", LoadOptions())
    assert [(e.key, e.state) for e in locale_file.entries()] == [
        ("hello", State.TRANSLATED),
        ("bye", State.UNTRANSLATED),
    ]
    assert locale_file.language == "de"


def test_explicit_source_and_target_language(tmp_path: Path) -> None:
    folder = copy(tmp_path, "nested_dirs")
    target = folder / "strings.json"
    options = LoadOptions(target_lang="fr", source_path=folder / "locales" / "en" / "app.json")
    locale_file = json_format.load(target, options)
    assert [e.key for e in locale_file.entries()] == ["hello", "bye"]
    assert locale_file.language == "fr"


def test_the_source_file_itself_has_nothing_to_fill(tmp_path: Path) -> None:
    folder = copy(tmp_path, "i18next")
    assert list(json_format.load(folder / "en.json", LoadOptions()).entries()) == []
    options = LoadOptions(source_path=folder / "en.json")
    assert list(json_format.load(folder / "en.json", options).entries()) == []


def test_no_source_file_names_what_was_looked_for(tmp_path: Path) -> None:
    folder = copy(tmp_path, "no_source")
    with pytest.raises(UsageError) as err:
        json_format.load(folder / "de.json", LoadOptions())
    assert str(folder / "en.json") in str(err.value)
    assert "--source" in str(err.value)


def test_no_locale_in_the_path(tmp_path: Path) -> None:
    path = tmp_path / "strings.json"
    path.write_text("{}\n")
    with pytest.raises(UsageError, match="--target-lang"):
        json_format.load(path, LoadOptions())


def test_invalid_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = copy(tmp_path, "broken") / "de.json"
    with pytest.raises(InputError) as err:
        json_format.load(path, LoadOptions())
    assert (err.value.path, err.value.line, err.value.column) == (path, 4, 3)
    assert str(err.value).startswith(f"{path}:4:3: invalid JSON")


def test_duplicate_key_is_named(tmp_path: Path) -> None:
    path = copy(tmp_path, "duplicate") / "de.json"
    with pytest.raises(InputError, match="duplicate key 'b'") as err:
        json_format.load(path, LoadOptions())
    assert err.value.line == 4


def test_text_in_source_but_mapping_in_target_is_an_error(tmp_path: Path) -> None:
    path = copy(tmp_path, "mismatch") / "de.json"
    with pytest.raises(InputError, match=r"key 'menu' is a mapping in .*en.json but a text here"):
        json_format.load(path, LoadOptions())


def test_arb_metadata_is_left_alone_and_locale_set(tmp_path: Path) -> None:
    folder = copy(tmp_path, "arb")
    locale_file = json_format.load(folder / "app_de.arb", LoadOptions())
    entries = {e.key: e for e in locale_file.entries()}
    assert list(entries) == ["helloWorld", "welcome", "inbox"]
    assert entries["welcome"].comments == "Greets the signed-in user"
    fill_all(locale_file)
    assert locale_file.dumps().decode() == (
        "{\n"
        '  "@@locale": "de",\n'
        '  "helloWorld": "Hallo Welt!",\n'
        '  "welcome": "T(Welcome, {name})",\n'
        '  "inbox": "T({count, plural, =0{No messages} =1{One message} other{{count} messages}})"\n'
        "}\n"
    )


def test_new_arb_gets_its_locale(tmp_path: Path) -> None:
    folder = copy(tmp_path, "arb")
    locale_file = json_format.load(folder / "app_pt_BR.arb", LoadOptions())
    fill_all(locale_file)
    created = json.loads(locale_file.dumps())
    assert list(created) == ["@@locale", "helloWorld", "welcome", "inbox"]
    assert created["@@locale"] == "pt_BR"
    assert locale_file.language == "pt_BR"


def test_webextension_messages(tmp_path: Path) -> None:
    folder = copy(tmp_path, "webext")
    locale_file = json_format.load(folder / "_locales" / "de" / "messages.json", LoadOptions())
    entries = {e.key: e for e in locale_file.entries()}
    assert list(entries) == ["extName.message", "extDescription.message", "closedCount.message"]
    assert entries["closedCount.message"].comments == "Toolbar badge tooltip."
    fill_all(locale_file)
    created = json.loads(locale_file.dumps())
    assert created["closedCount"] == {
        "message": "T(Closed $COUNT$ tabs)",
        "description": "Toolbar badge tooltip.",
        "placeholders": {"count": {"content": "$1", "example": "3"}},
    }
    assert created["extName"]["message"] == "Tab Tidy"


def test_empty_target_file_is_filled_like_a_new_one(tmp_path: Path) -> None:
    folder = copy(tmp_path, "nested_dirs")
    path = folder / "locales" / "de" / "app.json"
    path.write_bytes(b"")
    locale_file = json_format.load(path, LoadOptions())
    assert locale_file.dumps() == b""
    fill_all(locale_file)
    assert locale_file.dumps() == b'{\n  "hello": "T(Hello)",\n  "bye": "T(Bye)"\n}\n'


def test_byte_order_mark_is_kept(tmp_path: Path) -> None:
    folder = copy(tmp_path, "nested_dirs")
    path = folder / "locales" / "de" / "app.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    locale_file = json_format.load(path, LoadOptions())
    assert locale_file.dumps() == path.read_bytes()
    fill_all(locale_file)
    assert locale_file.dumps() == b'\xef\xbb\xbf{\n  "hello": "Hallo",\n  "bye": "T(Bye)"\n}\n'
