"""Translation-memory files: approved pairs from PO and TMX, and error lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n_qwen.errors import InputError
from l10n_qwen.tmfiles import load_tm

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tm"
PO = FIXTURES / "po" / "de.po"
TMX = FIXTURES / "tmx" / "memory.tmx"


def test_po_gives_approved_single_form_entries() -> None:
    # Not the fuzzy, untranslated, plural or obsolete ones; msgctxt variants are pairs too.
    assert load_tm(PO, "en", "de") == [
        ("Save", "Speichern"),
        ("Open", "Öffnen"),
        ("Delete %(name)s?", "%(name)s löschen?"),
        ("Save", "Sichern"),
    ]


def test_po_of_another_language_gives_nothing() -> None:
    assert load_tm(PO, "en", "de_AT") != []  # Language: de_DE serves any German
    assert load_tm(PO, "en", "fr") == []


def test_po_language_from_the_path_or_trusted(tmp_path: Path) -> None:
    text = PO.read_text(encoding="utf-8").replace('"Language: de_DE\\n"\n', "")
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "messages.po").write_text(text, encoding="utf-8")
    (tmp_path / "memory.po").write_text(text, encoding="utf-8")
    assert load_tm(tmp_path / "fr" / "messages.po", "en", "de") == []
    assert load_tm(tmp_path / "memory.po", "en", "ja")[0] == ("Save", "Speichern")


def test_tmx_pairs_with_inline_codes() -> None:
    assert load_tm(TMX, "en", "de") == [
        ("Save", "Speichern"),  # once, though two tu carry it
        ("Click <b>here</b>", "<b>Hier</b> klicken"),  # bpt/ept hold the original markup
        # "Delete <ph x="1"/> files": an empty code cannot be rebuilt, so the tu is skipped.
        ("Delete %s?", "%s löschen?"),
        ("Account", "Konto"),  # TMX 1.1 "lang", upper case
        ("The new version", "Die neue Version"),  # <hi> is just text
        # a tu without German, and one whose English is blank, give nothing
    ]


@pytest.mark.parametrize(
    ("target", "expected"),
    [("pt_BR", "Salvar"), ("pt-PT", "Guardar"), ("de_CH", "Speichern"), ("fr", None)],
)
def test_tmx_languages_match_loosely(target: str, expected: str | None) -> None:
    pairs = dict(load_tm(TMX, "en_US", target))
    assert pairs.get("Save") == expected


def test_tmx_auto_source_uses_srclang() -> None:
    pairs = load_tm(TMX, "auto", "de")
    assert ("Save", "Speichern") in pairs  # the header's srclang, en-US
    # tu 6 says srclang="de-DE": German is its source, so it has no German target.
    assert all(target != "Konto" for _, target in pairs)
    assert load_tm(TMX, "de", "en")[0] == ("Speichern", "Save")


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("malformed.tmx", 5, "malformed XML"),
        ("no_lang.tmx", 7, "<tuv> without xml:lang"),
        ("no_seg.tmx", 7, "<tuv> without <seg>"),
        ("not_tmx.tmx", 2, "not a TMX file"),
        ("all_srclang.tmx", 5, "names no srclang"),
        ("syntax.po", 9, "syntax error"),
    ],
)
def test_errors_name_file_and_line(name: str, line: int, message: str) -> None:
    path = FIXTURES / "broken" / name
    with pytest.raises(InputError) as caught:
        load_tm(path, "auto", "de")
    assert caught.value.path == path
    assert caught.value.line == line
    assert message in caught.value.detail


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        load_tm(tmp_path / "missing.tmx", "en", "de")
    with pytest.raises(InputError, match="cannot read the file"):
        load_tm(tmp_path / "missing.po", "en", "de")
    with pytest.raises(InputError, match="unknown translation memory format"):
        load_tm(tmp_path / "memory.xliff", "en", "de")
