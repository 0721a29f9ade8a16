"""Bounded work: tiny inputs that claim huge work are exit 2 with file and line, fast (issue #8)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliRun

Run = Callable[..., CliRun]

PO_HEAD = (
    'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals={n}; plural=n;\\n"\n\n'
    'msgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] ""\n'
)
LAUGHS = """en:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
  title: Hello
"""
BLOCK_DEEP = "en:\n" + "".join("  " * i + "  k:\n" for i in range(1000)) + "  " * 1001 + "  v: x\n"
FLOW_DEEP = "en:\n  a: " + "[" * 2000 + "]" * 2000 + "\n"
TBX_DEEP = (
    '<?xml version="1.0"?>\n<martif type="TBX"><text><body><termEntry><langSet xml:lang="en">'
    "<tig><term>" + "<hi>" * 5000 + "x" + "</hi>" * 5000 + "</term></tig></langSet></termEntry>"
    "</body></text></martif>\n"
)


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".l10n-qwen" not in p.parts
    }


def refused(run_cli: Run, folder: Path, *args: str) -> str:
    """Run check, fill --dry-run and fill: each exit 2 within a few seconds, nothing changed."""
    before = files_of(folder)
    messages = set()
    for command in (("check",), ("fill", "--provider", "pseudo", "--dry-run"), ("fill",)):
        extra = ("--provider", "pseudo") if command == ("fill",) else ()
        started = time.monotonic()
        result = run_cli(*command, *extra, *args)
        assert time.monotonic() - started < 5  # well under a second alone; the suite shares CPUs
        assert result.exit_code == 2, (command, result.stdout, result.stderr)
        assert files_of(folder) == before
        messages.add(result.stderr.strip())
    return "\n".join(sorted(messages))


@pytest.mark.parametrize("n", [100_000_000, 1_000_000, 7])
def test_nplurals_above_six_is_an_input_error(tmp_path: Path, run_cli: Run, n: int) -> None:
    (tmp_path / "de.po").write_text(PO_HEAD.format(n=n))
    message = refused(run_cli, tmp_path, "de.po")
    assert f"de.po:5: Plural-Forms declares nplurals={n}" in message


def test_six_plural_forms_are_fine(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "de.po").write_text(
        PO_HEAD.format(n=6) + "".join(f'msgstr[{i}] ""\n' for i in range(2, 6))
    )
    assert run_cli("check", "de.po").exit_code == 1  # untranslated, not refused


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        (LAUGHS, "en.yml:2:", "aliases expand to more than"),
        (BLOCK_DEEP, "en.yml:101:", "nested more than 100 levels deep"),
        (FLOW_DEEP, "en.yml:2:", "nested more than 100 levels deep"),
    ],
    ids=["billion-laughs", "block-1000", "flow-2000"],
)
def test_yaml_bombs_are_refused(
    tmp_path: Path, run_cli: Run, text: str, where: str, what: str
) -> None:
    (tmp_path / "en.yml").write_text(text)
    (tmp_path / "de.yml").write_text("de:\n")
    message = refused(run_cli, tmp_path, "de.yml")
    assert where in message and what in message


def test_yaml_aliases_real_files_use_still_work(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "en.yml").write_text(
        "en:\n  defaults: &defaults\n    ok: OK\n    cancel: Cancel\n"
        "  dialog:\n    <<: *defaults\n    title: Title\n"
    )
    result = run_cli("fill", "--provider", "pseudo", "de.yml")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "source", "what"),
    [
        (
            "en.json",
            '{"a":' * 2000 + '"x"' + "}" * 2000,
            "en.json:1:501: invalid JSON: nested more",
        ),
        (
            "en.json",
            '{"a": ' + "1" * 5000 + ', "b": "x"}',
            "en.json:1:7: invalid JSON: a number of 5000",
        ),
        ("en.json", '{"a": 1e999, "b": "x"}', "en.json:1:7: invalid JSON: a number too large"),
        (
            "en.json",
            '{"\\ud800": "x"}',
            "en.json:1:2: invalid JSON: \\ud800 is half of a surrogate",
        ),
        (
            "en.json",
            '{"a": "x\\udc00y"}',
            "en.json:1:7: invalid JSON: \\udc00 is half of a surrogate",
        ),
        (
            "en.yml",
            'en:\n  hi: Hello\n  v: "\\ud800"\n',
            "en.yml:2: \\ud800 is half of a surrogate",
        ),
        (
            "en.yml",
            'en:\n  hi: Hello\n  "\\udc00x": y\n',
            "en.yml:2: \\udc00 is half of a surrogate",
        ),
        ("en.yml", "en:\n  v: " + "1" * 5000 + "\n", "en.yml: invalid YAML: ValueError"),
    ],
    ids=["deep", "long-int", "inf", "lone-high", "lone-low", "yaml-value", "yaml-key", "yaml-int"],
)
def test_inputs_python_cannot_hold_are_refused(
    tmp_path: Path, run_cli: Run, name: str, source: str, what: str
) -> None:
    (tmp_path / name).write_text(source)
    target = "de" + Path(name).suffix
    (tmp_path / target).write_text("{}\n" if name.endswith(".json") else "de:\n")
    assert what in refused(run_cli, tmp_path, target)


def test_a_surrogate_pair_is_one_character(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "en.json").write_text('{"smile": "\\ud83d\\ude00 hi"}')
    assert run_cli("fill", "--provider", "pseudo", "de.json").exit_code == 0
    assert "\U0001f600" in json.loads((tmp_path / "de.json").read_bytes())["smile"]


def test_a_deep_tbx_glossary_is_refused(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "g.tbx").write_text(TBX_DEEP)
    (tmp_path / "de.po").write_text(PO_HEAD.format(n=2))
    result = run_cli("fill", "--provider", "pseudo", "--glossary", "g.tbx", "de.po")
    assert result.exit_code == 2
    assert "g.tbx:2: nested more than 100 levels deep" in result.stderr


def test_a_tmx_in_an_encoding_python_lacks_is_refused(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "m.tmx").write_text(
        '<?xml version="1.0" encoding="EBCDIC"?>\n<tmx version="1.4"><header srclang="en"/>'
        "<body></body></tmx>\n"
    )
    (tmp_path / "de.po").write_text(PO_HEAD.format(n=2))
    result = run_cli("fill", "--provider", "pseudo", "--tm", "m.tmx", "de.po")
    assert result.exit_code == 2
    assert "m.tmx:1: cannot read the XML: unknown encoding: EBCDIC" in result.stderr


def test_nplurals_is_read_where_msgfmt_reads_it(tmp_path: Path, run_cli: Run) -> None:
    """Found by the fuzz run (seed 1, case 3016): msgfmt takes the first "nplurals=" anywhere
    in the header, here 7 in a mangled line, and then refused the filled entries' 2 forms."""
    (tmp_path / "de.po").write_bytes(
        b'msgid ""\r\nmsgstr ""\r\n"Language: de\\n"\r\n'
        b'"nplurals=7Content-Type: text/plain; charset=UTF-8\\n"\r\n'
        b'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\r\n\r\n'
        b'#, c-format\r\nmsgid "%d file"\r\nmsgid_plural "%d files"\r\n'
        b'msgstr[0] ""\r\nmsgstr[1] ""\r\n'
    )
    assert "de.po:4: Plural-Forms declares nplurals=7" in refused(run_cli, tmp_path, "de.po")


def test_a_yaml_tag_ruby_refuses_is_not_copied_into_a_target(tmp_path: Path, run_cli: Run) -> None:
    """Found by the fuzz run (seed 2, case 8508): ruamel reads "!,000" as a tag; YAML forbids
    "," in a tag, Ruby's reader refuses the file, and the value was copied into the target."""
    (tmp_path / "en.yml").write_text("en:\n  hi: Hello\n  settings:\n    count: !,000\n")
    (tmp_path / "de.yml").write_text("de:\n  hi: Hallo\n")
    assert "en.yml:4: invalid YAML: '!,000' is not a valid tag" in refused(
        run_cli, tmp_path, "de.yml"
    )


def test_yaml_tags_ruby_reads_still_work(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "en.yml").write_text("en:\n  a: !foo bar\n  b: !!str 12\n  c: Hello\n")
    result = run_cli("fill", "--provider", "pseudo", "de.yml")
    assert result.exit_code == 0, result.stderr
