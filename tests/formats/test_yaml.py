"""YAML adapter: Rails and plain files on ruamel's round trip; exact bytes after edits."""

from __future__ import annotations

import importlib
import io
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from l10n_qwen.catalog import LoadOptions, State
from l10n_qwen.errors import InputError, UsageError
from l10n_qwen.formats import yaml as yaml_format

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "yaml"


def copy(tmp_path: Path, scenario: str) -> Path:
    """A fresh copy of the fixture folder ``scenario``."""
    shutil.copytree(FIXTURES / scenario, tmp_path / scenario)
    return tmp_path / scenario


def fill_all(locale_file: yaml_format.YamlFile) -> None:
    """Fill every untranslated entry with ``T(<source>)``."""
    for entry in locale_file.entries():
        if entry.state is State.UNTRANSLATED:
            locale_file.fill(entry, [f"T({entry.sources[0]})"], review=True)


def parse(data: bytes) -> object:
    return YAML(typ="safe").load(data)


@pytest.mark.parametrize(
    "target", ["rails/de.yml", "rails/en.yml", "indent4/fr.yaml", "comments/de.yml"]
)
def test_unchanged_file_is_byte_identical(tmp_path: Path, target: str) -> None:
    folder, name = target.split("/")
    path = copy(tmp_path, folder) / name
    assert yaml_format.load(path, LoadOptions()).dumps() == path.read_bytes()


@pytest.mark.parametrize(
    "target", ["rails/de.yml", "indent4/fr.yaml", "comments/de.yml", "rails/en.yml"]
)
def test_rewriting_an_unchanged_document_is_byte_identical(tmp_path: Path, target: str) -> None:
    # The layout detection itself: ruamel dumps the loaded file exactly as it was.
    folder, name = target.split("/")
    path = copy(tmp_path, folder) / name
    text = path.read_text()
    layout = yaml_format._guess_layout(text)
    yaml = yaml_format._yaml(layout)
    out = io.StringIO()
    yaml.dump(yaml.load(text), out)
    assert out.getvalue() == text


def test_rails_entries(tmp_path: Path) -> None:
    locale_file = yaml_format.load(copy(tmp_path, "rails") / "de.yml", LoadOptions())
    entries = {e.key: e for e in locale_file.entries()}
    assert [k for k, e in entries.items() if e.state is State.UNTRANSLATED] == [
        "app.tagline",
        "cart.checkout",
        "date.abbr_day_names.2",
    ]
    assert "dialog.ok" not in entries  # merged in with ``<<: *defaults`` in both files
    assert entries["cart.items.one"].targets == ["%{count} Artikel"]
    assert entries["cart.items.one"].line == 9
    assert entries["cart.checkout"].line == 12  # not in the target: the source's line
    assert entries["help"].sources == ("Need help?\nWrite to %{email}.\n",)
    assert "date.abbr_month_names.0" not in entries  # ``~`` stays null
    assert "limits.max_items" not in entries
    assert locale_file.language == "de"


def test_rails_fill_changes_only_the_filled_lines(tmp_path: Path) -> None:
    path = copy(tmp_path, "rails") / "de.yml"
    original = path.read_text()
    locale_file = yaml_format.load(path, LoadOptions())
    fill_all(locale_file)
    expected = (
        original.replace("    tagline: ''\n", "    tagline: 'T(Everything, delivered.)'\n")
        .replace(
            "    empty: Ihr Warenkorb ist leer.\n",
            "    empty: Ihr Warenkorb ist leer.\n    checkout: T(Check out)\n",
        )
        .replace("    - Mo\n", "    - Mo\n    - T(Tue)\n")
    )
    assert locale_file.dumps().decode() == expected


def test_comment_below_a_key_stays_above_the_key_it_introduces(tmp_path: Path) -> None:
    locale_file = yaml_format.load(copy(tmp_path, "comments") / "de.yml", LoadOptions())
    fill_all(locale_file)
    assert locale_file.dumps().decode() == (
        "de:\n"
        "  first: Erste   # eol first\n"
        "  second: T(Second)\n"
        "\n"
        "  # Section: nested\n"
        "  nested:\n"
        "    a: A-de\n"
        "    b: T(B)\n"
        "\n"
        "  # About the last key.\n"
        "  last: Letzte\n"
    )


def test_indentation_quotes_and_null_spelling_are_kept(tmp_path: Path) -> None:
    path = copy(tmp_path, "indent4") / "fr.yaml"
    original = path.read_text()
    locale_file = yaml_format.load(path, LoadOptions())
    fill_all(locale_file)
    expected = original.replace('    edit: ""\n', '    edit: "T(Edit)"\n').replace(
        "      - Premier\n", "      - Premier\n      - T(Second)\n      - null\n"
    )
    assert locale_file.dumps().decode() == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("ru", ["one", "few", "many", "other"]),
        ("ja", ["other"]),
        ("pl", ["one", "few", "many", "other"]),
        ("fr", ["one", "many", "other"]),
    ],
)
def test_rails_plurals_follow_the_target_language(
    tmp_path: Path, locale: str, expected: list[str]
) -> None:
    path = copy(tmp_path, "missing_target") / f"{locale}.yml"
    locale_file = yaml_format.load(path, LoadOptions())
    fill_all(locale_file)
    data = parse(locale_file.dumps())
    assert isinstance(data, dict)
    items = data[locale]["cart"]["items"]
    assert list(items) == expected
    assert items["other"] == "T(%{count} items)"
    for category in expected:
        assert items[category] in ("T(%{count} item)", "T(%{count} items)")


def test_rails_plural_categories_get_distinct_hints(tmp_path: Path) -> None:
    path = copy(tmp_path, "missing_target") / "ru.yml"
    entries = {e.key: e for e in yaml_format.load(path, LoadOptions()).entries()}
    forms = {cat: entries[f"cart.items.{cat}"] for cat in ("one", "few", "many", "other")}
    assert {e.sources for e in forms.values() if e is not forms["one"]} == {("%{count} items",)}
    assert len({e.hints for e in forms.values()}) == 4
    assert forms["many"].hints == (
        "Translate as the Russian plural form for the CLDR category 'many' "
        "(counts like 0, 5, 6, 11, 12, 25).",
    )
    assert forms["many"].comments == ""
    assert all(e.hints == () for key, e in entries.items() if not key.startswith("cart.items."))


@pytest.mark.parametrize(("locale", "single"), [("de", {"cart.items.one"}), ("fr", set())])
def test_plural_categories_for_one_number_are_marked(
    tmp_path: Path, locale: str, single: set[str]
) -> None:
    # Their translation may leave %{count} out ("ein Artikel"): French "one" is 0 and 1.
    folder = copy(tmp_path, "missing_target")
    entries = yaml_format.load(folder / f"{locale}.yml", LoadOptions()).entries()
    assert {e.key for e in entries if e.single_value_slots} == single
    assert all(e.single_value_slots in (set(), {0}) for e in entries)


def test_new_rails_target_gets_its_own_root_and_the_source_structure(tmp_path: Path) -> None:
    folder = copy(tmp_path, "missing_target")
    locale_file = yaml_format.load(folder / "de.yml", LoadOptions())
    fill_all(locale_file)
    text = locale_file.dumps().decode()
    assert text.startswith('de:\n  app:\n    name: "T(Acme Store)"\n')  # source quoting
    data = parse(text.encode())
    assert isinstance(data, dict)
    de = data["de"]
    assert de["date"]["abbr_month_names"] == [None, "T(Jan)", "T(Feb)"]
    assert "    abbr_month_names:\n    - ~\n" in text  # null spelled as in the source
    assert de["limits"] == {"max_items": 99, "gift_wrap": False}
    # Merged keys (``<<: *defaults``) become the new target's own keys.
    assert de["dialog"] == {"title": "T(Confirm)", "ok": "T(OK)", "cancel": "T(Cancel)"}
    assert de["help"] == "T(Need help?\nWrite to %{email}.\n)"


def test_the_source_file_itself_has_nothing_to_fill(tmp_path: Path) -> None:
    folder = copy(tmp_path, "rails")
    locale_file = yaml_format.load(folder / "en.yml", LoadOptions())
    assert list(locale_file.entries()) == []
    assert locale_file.language == "en"


def test_no_source_file(tmp_path: Path) -> None:
    folder = copy(tmp_path, "no_source")
    with pytest.raises(UsageError, match=r"looked for .*en\.yml"):
        yaml_format.load(folder / "de.yml", LoadOptions())


def test_invalid_yaml_names_file_line_and_column(tmp_path: Path) -> None:
    path = copy(tmp_path, "broken") / "de.yml"
    with pytest.raises(InputError) as err:
        yaml_format.load(path, LoadOptions())
    assert err.value.path == path
    assert err.value.line is not None and err.value.column is not None
    assert "invalid YAML" in str(err.value)


def test_duplicate_key_is_named(tmp_path: Path) -> None:
    path = copy(tmp_path, "duplicate") / "de.yml"
    with pytest.raises(InputError, match='duplicate key "b"') as err:
        yaml_format.load(path, LoadOptions())
    assert (err.value.line, err.value.column) == (4, 3)


def test_text_in_source_but_mapping_in_target_is_an_error(tmp_path: Path) -> None:
    path = copy(tmp_path, "mismatch") / "de.yml"
    with pytest.raises(InputError, match=r"key 'menu' is a mapping in .*en.yml but a text here"):
        yaml_format.load(path, LoadOptions())


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (
            "root_in_target_only",
            r"^fr.yml:1: unexpected root key 'fr': en.yml has its keys at the top, with no root "
            r"key naming the locale$",
        ),
        (
            "root_in_source_only",
            r"^fr.yml:1: expected one root key naming the locale \(like 'en' in en.yml\)$",
        ),
    ],
)
def test_root_locale_key_in_only_one_of_the_files_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scenario: str, message: str
) -> None:
    # Filling would put the source's top-level keys next to the target's root key (or the
    # reverse): one file of two layouts that no i18n library reads.
    monkeypatch.chdir(copy(tmp_path, scenario))
    before = Path("fr.yml").read_bytes()
    with pytest.raises(InputError, match=message) as err:
        yaml_format.load(Path("fr.yml"), LoadOptions())
    assert err.value.path == Path("fr.yml")
    assert Path("fr.yml").read_bytes() == before


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("a: A\nb: B\n", "# just a comment\n", "# just a comment\na: T(A)\nb: T(B)\n"),
        ("en:\n  a: A\n", "# just a comment\n", "# just a comment\nde:\n  a: T(A)\n"),
        ("a: A\n", "---\n# one\n\n# two\n", "---\n# one\n\n# two\na: T(A)\n"),
    ],
)
def test_comments_of_a_target_with_nothing_else_are_kept(
    tmp_path: Path, source: str, target: str, expected: str
) -> None:
    (tmp_path / "en.yml").write_text(source)
    (tmp_path / "de.yml").write_text(target)
    locale_file = yaml_format.load(tmp_path / "de.yml", LoadOptions())
    fill_all(locale_file)
    assert locale_file.dumps().decode() == expected


@pytest.mark.parametrize("text", ["no", "Yes", "off", "y", "12:30"])
def test_translations_yaml_1_1_would_misread_are_quoted(tmp_path: Path, text: str) -> None:
    # Rails reads YAML with Psych (YAML 1.1), where a plain ``no`` is false and ``12:30`` a number.
    locale_file = yaml_format.load(copy(tmp_path, "comments") / "de.yml", LoadOptions())
    entry = next(e for e in locale_file.entries() if e.key == "second")
    locale_file.fill(entry, [text], review=True)
    assert f'  second: "{text}"\n' in locale_file.dumps().decode()


def _yaml11_load(text: str) -> object:
    """The file as a YAML 1.1 parser reads it (PyYAML; Rails reads it with Psych, also 1.1)."""
    pyyaml = importlib.import_module("yaml")  # untyped: no stubs installed
    return pyyaml.safe_load(text)


def _yaml11_keys(data: object) -> list[object]:
    """Every mapping key in ``data``, at any depth."""
    if isinstance(data, dict):
        return [*data, *(k for v in data.values() for k in _yaml11_keys(v))]
    if isinstance(data, list):
        return [k for v in data for k in _yaml11_keys(v)]
    return []


_YAML11_FILLED_BODY = (
    '  "off": "T(Off)"\n'
    '  "yes": "T(Yes)"\n'
    "  'null': T(Nothing)\n"
    '  "1.0": T(Version one)\n'
    "  settings:\n"
    '    "on": T(Enabled)\n'
    '    "12:30": T(Half past twelve)\n'
    "    enabled: yes\n"
    '    answer: "T(yes)"\n'
    "    strict: Off\n"
    "    time: 12:30\n"
    "    count: 1,000\n"
)


@pytest.mark.parametrize(("name", "root"), [("no.yml", '"no":\n'), ("fr.yml", "fr:\n")])
def test_new_target_quotes_keys_yaml_1_1_would_not_read_as_text(
    tmp_path: Path, name: str, root: str
) -> None:
    # Source quotes are kept ("off", 'null'); a plain source key YAML 1.1 reads as a boolean or
    # a number (``on``, ``12:30``) and the Norwegian root ``no`` get the file's (double) quotes.
    locale_file = yaml_format.load(copy(tmp_path, "yaml11") / name, LoadOptions())
    fill_all(locale_file)
    text = locale_file.dumps().decode()
    assert text == root + _YAML11_FILLED_BODY
    data = _yaml11_load(text)
    assert all(isinstance(key, str) for key in _yaml11_keys(data))
    assert isinstance(data, dict)
    assert list(data) == [name.removesuffix(".yml")]


def test_existing_target_keeps_its_keys_and_quotes_new_ones(tmp_path: Path) -> None:
    path = copy(tmp_path, "yaml11") / "de.yml"
    locale_file = yaml_format.load(path, LoadOptions())
    fill_all(locale_file)
    text = locale_file.dumps().decode()
    assert text == (
        "de:\n"
        '  "off": "Aus"\n'
        '  "yes": "T(Yes)"\n'
        "  'null': T(Nothing)\n"
        '  "1.0": T(Version one)\n'
        "  settings:\n"
        "    'on': Aktiviert\n"
        '    "12:30": T(Half past twelve)\n'
        "    enabled: yes\n"
        '    answer: "T(yes)"\n'
        "    strict: Off\n"
        "    time: 12:30\n"
        "    count: 1,000\n"
    )
    assert all(isinstance(key, str) for key in _yaml11_keys(_yaml11_load(text)))


def test_new_keys_take_the_quotes_most_of_the_file_has(tmp_path: Path) -> None:
    (tmp_path / "en.yml").write_text("en:\n  a: 'A'\n  'b': B\n  on: On\n  c: C\n  d: \"D\"\n")
    (tmp_path / "de.yml").write_text("")
    locale_file = yaml_format.load(tmp_path / "de.yml", LoadOptions())
    fill_all(locale_file)
    assert locale_file.dumps().decode() == (
        "de:\n  a: 'T(A)'\n  'b': T(B)\n  'on': On\n  c: T(C)\n  d: \"T(D)\"\n"
    )


@pytest.mark.parametrize("key", ["~", "null", "Null", "1.0", "0x1F", "12:30", "1_000", "y", "<<"])
def test_new_keys_yaml_1_1_reads_as_no_text_are_quoted(tmp_path: Path, key: str) -> None:
    (tmp_path / "en.yml").write_text(f"en:\n  '{key}': Text\n  a: A\n")
    (tmp_path / "de.yml").write_text('de:\n  a: "A-de"\n')
    locale_file = yaml_format.load(tmp_path / "de.yml", LoadOptions())
    fill_all(locale_file)
    text = locale_file.dumps().decode()
    assert text == f"de:\n  '{key}': T(Text)\n  a: \"A-de\"\n"  # the source's quotes
    assert _yaml11_load(text) == {"de": {key: "T(Text)", "a": "A-de"}}


def test_plain_values_yaml_1_1_reads_as_no_text_are_copied_not_translated(
    tmp_path: Path,
) -> None:
    locale_file = yaml_format.load(copy(tmp_path, "yaml11") / "fr.yml", LoadOptions())
    keys = [e.key for e in locale_file.entries()]
    assert "settings.answer" in keys  # quoted "yes" is text
    for key in ("enabled", "strict", "time", "count"):
        assert f"settings.{key}" not in keys
    fill_all(locale_file)
    data = _yaml11_load(locale_file.dumps().decode())
    assert isinstance(data, dict)
    settings = data["fr"]["settings"]
    assert (settings["enabled"], settings["strict"], settings["time"]) == (True, False, 750)
    assert settings["answer"] == "T(yes)"
