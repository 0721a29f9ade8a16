"""Output a runtime can read: line ends, charsets, BOMs, null YAML documents (issue #8)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import CliRun, msgfmt_check

Run = Callable[..., CliRun]

PO = (
    'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset={charset}\\n"\n\n'
    'msgid "Open"\nmsgstr ""\n\nmsgid "Close"\nmsgstr ""\n'
)


def fill(run_cli: Run, *files: str) -> CliRun:
    return run_cli("fill", "--provider", "pseudo", *files)


@pytest.mark.parametrize(
    "ends", ["\r\r\n", "\r\n", "\n", "\r"], ids=["cr-cr-lf", "crlf", "lf", "cr"]
)
def test_po_line_ends_give_a_file_msgfmt_reads(tmp_path: Path, run_cli: Run, ends: str) -> None:
    path = tmp_path / "de.po"
    path.write_bytes(PO.format(charset="UTF-8").replace("\n", ends).encode())
    assert fill(run_cli, "de.po").exit_code == 0
    msgfmt_check(path)
    data = path.read_bytes()
    # A comment ends at LF (or CR LF), never at a bare CR, which would join the msgid to it.
    new_end = b"\r\n" if ends.endswith("\r\n") else b"\n"
    assert re.findall(rb"#, fuzzy(\r?\n|\r)", data) == [new_end] * 2
    if ends == "\r\n":
        assert data.count(b"\r\n") == data.count(b"\n")  # CRLF throughout, new lines too


@pytest.mark.parametrize(
    "charset", ["rot13", "zlib_codec", "punycode", "unicode_escape", "utf-16", "base64_codec"]
)
def test_a_charset_that_is_no_text_encoding_is_refused(
    tmp_path: Path, run_cli: Run, charset: str
) -> None:
    path = tmp_path / "de.po"
    path.write_text(PO.format(charset=charset))
    before = path.read_bytes()
    for command in ("check", "fill"):
        result = run_cli(command, "de.po")
        assert result.exit_code == 2, result.stderr
        assert f"de.po:4: charset {charset!r} is not a text encoding gettext knows" in result.stderr
    assert path.read_bytes() == before


def test_utf8_sig_writes_its_bom_once(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "de.po"
    path.write_bytes(b"\xef\xbb\xbf" + PO.format(charset="UTF-8-SIG").encode())
    assert fill(run_cli, "de.po").exit_code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    assert data.count(b'msgstr "[') == 2


def test_latin1_spelling_still_works(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "de.po"
    path.write_bytes(PO.format(charset="latin1").replace("Close", "Schlie\xdfen").encode("latin1"))
    assert run_cli("check", "de.po").exit_code == 1  # read, untranslated


def ruby_or_yaml11(path: Path) -> object:
    """What Rails would read: Ruby's Psych where installed, else ruamel in YAML 1.1 mode."""
    try:
        done = subprocess.run(
            ["ruby", "-ryaml", "-rjson", "-e", "puts JSON.dump(YAML.load_file(ARGV[0]))", path],
            capture_output=True,
            text=True,
            check=True,
        )
    except FileNotFoundError:
        yaml = YAML(typ="safe")
        yaml.version = (1, 1)
        return yaml.load(path.read_text())
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "target",
    ["~\n", "--- # comment\n", "null\n", "--- ~\n", "---\n# a\n\n# b\n...\n", ""],
    ids=["tilde", "start-comment", "null", "start-tilde", "comments", "empty"],
)
def test_a_null_yaml_target_becomes_a_mapping(tmp_path: Path, run_cli: Run, target: str) -> None:
    (tmp_path / "en.yml").write_text("en:\n  hi: Hello\n")
    (tmp_path / "de.yml").write_text(target)
    assert fill(run_cli, "de.yml").exit_code == 0
    assert ruby_or_yaml11(tmp_path / "de.yml") == {"de": {"hi": "[Ĥéļļö ··]"}}
    text = (tmp_path / "de.yml").read_text()
    assert "~" not in text and "null" not in text
    for comment in ("# comment", "# a", "# b"):
        assert (comment in text) == (comment in target)


def test_an_i18next_plural_key_the_source_uses_for_an_object_is_left_to_it(
    tmp_path: Path, run_cli: Run
) -> None:
    (tmp_path / "en.json").write_text('{"x_other": "{{count}} things", "x_one": {"a": "b"}}')
    (tmp_path / "de.json").write_text("{}")
    result = fill(run_cli, "de.json")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "de.json").read_text() == (
        '{"x_other": "[{{count}} ţĥîñĝš ···]", "x_one": {"a": "[ƀ ·]"}}'
    )


def test_a_kept_plural_form_msgfmt_would_reject_stops_the_fill_of_its_entry(
    tmp_path: Path, run_cli: Run
) -> None:
    """Found by the fuzz run (seed 1, case 6248): msgfmt skips an entry with an empty form, so
    a person's broken msgstr[1] only failed the check once the fill completed the entry."""
    text = (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#, c-format\nmsgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] ""\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Open"\nmsgstr ""\n'
    )
    path = tmp_path / "de.po"
    path.write_text(text)
    msgfmt_check(path)
    result = fill(run_cli, "de.po")
    assert result.exit_code == 1
    assert (
        "failed: de.po:7: '%d file': msgfmt --check-format: 'msgid' and 'msgstr[1]' entries do "
        "not both end with '\\n' (a form kept from the file): fix it"
    ) in result.stderr
    msgfmt_check(path)
    assert '#, fuzzy\nmsgid "Open"\nmsgstr "[' in path.read_text()  # the other one was filled


@pytest.mark.parametrize("existing", [True, False], ids=["target", "new-target"])
def test_a_crlf_yaml_file_stays_crlf(tmp_path: Path, run_cli: Run, existing: bool) -> None:
    (tmp_path / "en.yml").write_bytes(b"en:\r\n  hi: Hello\r\n  bye: Bye\r\n")
    if existing:
        (tmp_path / "de.yml").write_bytes(b"de:\r\n  hi: Hallo # kept\r\n")
    assert fill(run_cli, "de.yml").exit_code == 0
    data = (tmp_path / "de.yml").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") == 3
    assert data.startswith(b"de:\r\n  hi: Hallo # kept\r\n" if existing else b"de:\r\n  hi: '[")
