"""YAML byte fidelity: the lines outside inserted keys stay exactly as they were written."""

from __future__ import annotations

import difflib
from pathlib import Path

from ruamel.yaml import YAML

from l10n_qwen.catalog import LoadOptions, State
from l10n_qwen.formats import yaml as yaml_format
from l10n_qwen.formats.yaml_splice import merge, only_inserts

SOURCE = """\
en:
  intro: This is a long
    plain scalar folded by hand
  flow: { x: One, y: Two }
  # a comment
  #   indented oddly

  first: First
  second: Second
  list: [ a, b ]
  last: Last
"""
TARGET = """\
de:
  intro: Das ist ein langer
    Skalar, von Hand umbrochen
  flow: { x: Eins, y: Zwei }
  # a comment
  #   indented oddly

  first: Erste
  list: [ a, b ]
"""


def test_ruamel_alone_would_rewrite_these_lines(tmp_path: Path) -> None:
    # The premise: without the splice these lines change (if ruamel learns to keep them, fine).
    yaml = YAML()
    yaml.width = 4096
    out = tmp_path / "out.yml"
    yaml.dump(yaml.load(TARGET), out)
    assert out.read_text() != TARGET


def test_filling_changes_no_line_outside_the_inserted_keys(tmp_path: Path) -> None:
    (tmp_path / "en.yml").write_text(SOURCE)
    path = tmp_path / "de.yml"
    path.write_text(TARGET)
    locale_file = yaml_format.load(path, LoadOptions())
    for entry in locale_file.entries():
        if entry.state is State.UNTRANSLATED:
            locale_file.fill(entry, [f"T {entry.key}"], review=True)
    out = locale_file.dumps().decode()
    diff = [
        line for line in difflib.ndiff(TARGET.splitlines(), out.splitlines()) if line[:1] in "+-"
    ]
    assert diff == ["+   second: T second", "+   last: T last"]
    data = YAML(typ="safe").load(out)["de"]
    assert data["intro"] == "Das ist ein langer Skalar, von Hand umbrochen"
    assert list(data) == ["intro", "flow", "first", "second", "list", "last"]


def test_an_edit_inside_rewritten_lines_is_left_to_ruamel() -> None:
    original = "a: one\n  two\n"
    base = "a: one two\n"
    assert merge(original, base, "a: uno\n") is None
    assert merge(original, base, "a: one two\nb: B\n") == "a: one\n  two\nb: B\n"
    assert merge(original, base, "b: B\na: one two\n") == "b: B\na: one\n  two\n"


def test_crlf_file_keeps_its_line_ends_in_new_lines_too(tmp_path: Path) -> None:
    (tmp_path / "en.yml").write_bytes(b"en:\r\n  a: A\r\n  b: B\r\n")
    path = tmp_path / "de.yml"
    path.write_bytes(b'de:\r\n  a: "\xc3\x84"   # note\r\n')
    locale_file = yaml_format.load(path, LoadOptions())
    for entry in locale_file.entries():
        if entry.state is State.UNTRANSLATED:
            locale_file.fill(entry, ["Be"], review=True)
    assert locale_file.dumps() == b'de:\r\n  a: "\xc3\x84"   # note\r\n  b: Be\r\n'


def test_only_inserts() -> None:
    assert only_inserts("a\nb\n", "a\nx\nb\ny\n")
    assert not only_inserts("a\nb\n", "b\na\n")
    assert not only_inserts("a\nb\n", "a\nB\n")
