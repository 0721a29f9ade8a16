"""Glossary loading (CSV, TBX, YAML), term relevance, locale columns and error lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n_qwen.errors import InputError
from l10n_qwen.glossary import MAX_TERMS, Glossary, best_match, load_glossary

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "glossary"


def load(name: str) -> Glossary:
    return load_glossary(FIXTURES / name)


def write(tmp_path: Path, name: str, text: str) -> Glossary:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_glossary(path)


@pytest.fixture(scope="module")
def csv_glossary() -> Glossary:
    return load("csv/glossary.csv")


# -- formats -------------------------------------------------------------------------------------


def test_csv_with_bom_semicolons_quotes_and_a_note_column(csv_glossary: Glossary) -> None:
    assert csv_glossary.source == "en"
    assert csv_glossary.locales == ("en", "de", "fr", "pt", "pt_BR")
    assert len(csv_glossary) == 7
    assert csv_glossary.terms_for("Save; then quit", "en", "fr") == (
        ("Save; then quit", "Enregistrer et quitter"),
    )
    # The note column is not a language; an empty cell is a term not translated yet.
    assert csv_glossary.terms_for("noun", "en", "de") == ()
    assert csv_glossary.terms_for("Open folder", "en", "fr") == ()
    assert csv_glossary.terms_for("Open folder", "en", "de") == (("folder", "Ordner"),)


def test_tab_separated() -> None:
    glossary = load("tsv/glossary.tsv")
    assert glossary.terms_for("New folder", "en", "de") == (("folder", "Ordner"),)


def test_tbx_v2_synonyms_deprecated_terms_and_external_dtd() -> None:
    glossary = load("tbx/glossary.tbx")  # names an external DTD, which is not fetched
    assert glossary.source == "en_US"
    assert glossary.locales == ("en_US", "de_DE", "fr")
    # Every source synonym matches; the deprecated German "Email" is never the target.
    assert glossary.terms_for("Send an email", "en", "de") == (("email", "E-Mail"),)
    assert glossary.terms_for("Send an e-mail", "en", "de") == (("e-mail", "E-Mail"),)
    # A term split over lines in the XML is one term; a concept without English is skipped.
    assert glossary.terms_for("Merge the pull request", "en", "fr") == (
        ("pull request", "demande de fusion"),
    )
    assert glossary.terms_for("Konto", "en", "de") == ()


def test_tbx_v3_concept_entries_with_a_namespace() -> None:
    glossary = load("tbx3/glossary.tbx")
    assert glossary.source == "en"
    text = "Clone the repository"
    assert glossary.terms_for(text, "en", "pt_BR") == (("repository", "repositório"),)
    assert glossary.terms_for(text, "en", "zh_TW") == (("repository", "儲存庫"),)
    assert glossary.terms_for(text, "en", "zh_CN") == (("repository", "仓库"),)


def test_yaml_by_target_locale() -> None:
    glossary = load("yaml_by_target/glossary.yaml")
    assert glossary.source is None  # the run's source language, whatever it is
    assert glossary.locales == ("de", "fr", "pt_BR")
    assert glossary.terms_for("Open file", "en", "pt_BR") == (("file", "arquivo"),)
    assert glossary.terms_for("Open file", "auto", "fr") == (("file", "fichier"),)
    assert glossary.terms_for("Error 404", "en", "de") == (("404", "404"),)  # a YAML number
    assert glossary.terms_for("New folder", "en", "fr") == ()  # null: not translated yet
    assert glossary.terms_for("Open file", "en", "ja") == ()


def test_yaml_list_of_concepts() -> None:
    glossary = load("yaml_list/glossary.yml")
    assert glossary.source == "en"
    assert glossary.locales == ("en", "de", "fr", "ja")
    assert glossary.terms_for("Please sign in", "en", "ja_JP") == (("sign in", "サインイン"),)
    assert glossary.terms_for("noun", "en", "de") == ()  # the note key is not a language


def test_empty_yaml_is_an_empty_glossary(tmp_path: Path) -> None:
    glossary = write(tmp_path, "glossary.yaml", "# nothing yet\n")
    assert len(glossary) == 0
    assert glossary.terms_for("Open file", "en", "de") == ()


# -- relevance -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Open file", [("file", "Datei")]),
        ("3 files selected", [("file", "Datei")]),
        ("FILE", [("file", "Datei")]),
        ("file-based storage", [("file", "Datei")]),
        ("Edit profile", []),
        ("Filed under", []),
        ("Open a pull request", [("pull request", "Pull-Request")]),
        ("Open a Pull\n Request", [("pull request", "Pull-Request")]),
        ("Review pull requests", [("pull request", "Pull-Request")]),
        ("Pull the request", [("request", "Anfrage")]),
        ("All categories", [("category", "Kategorie")]),
        ("Call the API", [("API", "API")]),
        ("Two APIs", [("API", "API")]),
        ("the api", []),  # acronyms match only in capitals
    ],
)
def test_terms_for_matches_whole_words(
    csv_glossary: Glossary, text: str, expected: list[tuple[str, str]]
) -> None:
    assert list(csv_glossary.terms_for(text, "en", "de")) == expected


def test_longest_first_and_terms_inside_longer_ones_left_out(csv_glossary: Glossary) -> None:
    assert csv_glossary.terms_for("File a request", "en", "de") == (
        ("request", "Anfrage"),
        ("file", "Datei"),
    )
    # "request" only occurs inside "pull request": its own target would fight the longer term.
    assert csv_glossary.terms_for("Merge the pull request", "en", "de") == (
        ("pull request", "Pull-Request"),
    )
    assert csv_glossary.terms_for("A pull request is a request to merge", "en", "de") == (
        ("pull request", "Pull-Request"),
        ("request", "Anfrage"),
    )


def test_no_duplicates_and_at_most_the_limit(tmp_path: Path) -> None:
    words = [f"term{n}" for n in range(30)]
    rows = "".join(f"{w},{w.upper()}\n" for w in words)
    glossary = write(tmp_path, "g.csv", "en,de\nfile,Datei\nfile,Akte\nFile,Akte\n" + rows)
    # The first of equal source terms wins; singular and plural are one term.
    assert glossary.terms_for("file files File", "en", "de") == (("file", "Datei"),)
    found = glossary.terms_for(" ".join(words), "en", "de")
    assert len(found) == MAX_TERMS
    assert glossary.terms_for(" ".join(words), "en", "de", limit=3) == (
        ("term10", "TERM10"),
        ("term11", "TERM11"),
        ("term12", "TERM12"),
    )


def test_terms_in_scripts_without_spaces(tmp_path: Path) -> None:
    glossary = write(tmp_path, "g.yaml", "- {zh: 文件, ja: ファイル, en: file}\n")
    assert glossary.terms_for("打开文件", "zh", "en") == (("文件", "file"),)
    assert glossary.terms_for("ファイルを開く", "ja", "en") == (("ファイル", "file"),)
    assert glossary.terms_for("打开文件夹", "zh", "ja") == (("文件", "ファイル"),)


def test_check_terms_lists_missing_target_terms(csv_glossary: Glossary) -> None:
    # Target terms may inflect: "Dateien" contains the glossary's "Datei".
    assert csv_glossary.check_terms("Open the files", "Öffne die Dateien", "en", "de") == []
    assert csv_glossary.check_terms("Open the file", "Öffne das Dokument", "en", "de") == [
        ("file", "Datei")
    ]
    assert csv_glossary.check_terms("Open the file", "anything", "en", "ja") == []


# -- locale columns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "available", "expected"),
    [
        ("de_DE", ["en", "de", "fr"], "de"),
        ("de-de", ["en", "de_DE"], "de_DE"),
        ("pt_BR", ["pt", "pt_BR"], "pt_BR"),
        ("pt_BR", ["pt_PT", "pt"], "pt"),  # the general one before a sibling variant
        ("pt_BR", ["pt_PT"], "pt_PT"),  # one Qwen-MT language: better than nothing
        ("de", ["de_CH", "de_DE"], "de_CH"),  # equally good: the first
        ("zh_TW", ["zh", "zh_Hant"], "zh_Hant"),
        ("zh_TW", ["zh"], None),  # Chinese is not Traditional Chinese
        ("nb", ["no"], "no"),
        ("German", ["en", "de"], "de"),
        ("ja", ["en", "de"], None),
    ],
)
def test_best_match(wanted: str, available: list[str], expected: str | None) -> None:
    assert best_match(wanted, available) == expected


def test_columns_for_a_language_pair(csv_glossary: Glossary) -> None:
    assert csv_glossary.columns("en_US", "pt_BR") == ("en", "pt_BR")
    assert csv_glossary.columns("en", "pt_PT") == ("en", "pt")
    assert csv_glossary.columns("auto", "de_AT") == ("en", "de")
    assert csv_glossary.columns("de", "fr") == ("de", "fr")  # any column can be the source
    assert csv_glossary.columns("ja", "de") is None
    assert csv_glossary.columns("en", "en_GB") is None  # source and target are one column
    assert csv_glossary.terms_for("Datei", "de", "fr") == (("Datei", "fichier"),)


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("bad_header.csv", 2, "header column 'source' is not a locale code"),
        ("empty_source.csv", 4, "empty source term (column en)"),
        ("bad_quote.csv", 3, "malformed CSV"),
        ("extra_cell.csv", 2, "3 cells, but the header has 2"),
        ("malformed.tbx", 6, "malformed XML: mismatched tag"),
        ("no_lang.tbx", 6, "<langSet> without xml:lang"),
        ("empty_term.tbx", 6, "empty <term>"),
        ("not_tbx.tbx", 2, "not a TBX file"),
        ("entity.tbx", 3, "entity declarations and external references are not allowed"),
        ("external.tbx", 3, "entity declarations and external references are not allowed"),
        ("bad_shape.yaml", 3, "fr: expected a mapping of target locale"),
        ("bad_locale.yaml", 3, "'Deutsch' is not a locale code"),
        ("empty_source.yml", 5, "empty source term (en)"),
        ("invalid.yaml", 4, "invalid YAML"),
        ("top_scalar.yaml", 1, "expected a mapping of target locale"),
    ],
)
def test_errors_name_file_and_line(name: str, line: int, message: str) -> None:
    path = FIXTURES / "broken" / name
    with pytest.raises(InputError) as caught:
        load_glossary(path)
    assert caught.value.path == path
    assert caught.value.line == line
    assert message in caught.value.detail


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("g.csv", "en\nfile\n", "needs a source and at least one target locale"),
        ("g.csv", "en,de,DE\n", "header names locale de twice"),
        ("g.csv", "", "no header row"),
        ("g.yaml", "- file\n", "expected a mapping of target locale"),
        ("g.yaml", "- {note: x}\n", "no locale keys"),
        ("g.yaml", "de: {file: [Datei]}\n", "a term must be text"),
    ],
)
def test_more_errors(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        write(tmp_path, name, text)
    assert caught.value.line == 1
    assert message in caught.value.detail


def test_missing_file_unknown_suffix_and_bad_encoding(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file") as caught:
        load_glossary(tmp_path / "missing.csv")
    assert caught.value.line is None
    with pytest.raises(InputError, match="unknown glossary format"):
        load_glossary(tmp_path / "glossary.xlsx")
    path = tmp_path / "latin1.csv"
    path.write_bytes("en,de\nfile,Datei\nkey,Schl\xfcssel\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8") as caught:
        load_glossary(path)
    assert caught.value.line == 3
