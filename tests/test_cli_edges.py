"""Edge cases a first QA pass found: each is a way a user got a wrong answer or a traceback."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from l10n_qwen import placeholders
from tests.conftest import CliRun, copy_fixture
from tests.fakeserver import FakeQwenServer

Run = Callable[..., CliRun]
FAST = ("--rpm", "100000", "--tpm", "100000000")
HEADER = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def test_json_target_in_a_new_locale_folder_is_created(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "locales" / "en").mkdir(parents=True)
    (tmp_path / "locales" / "en" / "app.json").write_text('{"a": "A"}\n')
    result = run_cli("fill", "locales/de/app.json", "--provider", "pseudo")
    assert result.exit_code == 0, result.stderr
    assert json.loads((tmp_path / "locales/de/app.json").read_text()) == {"a": "[À ·]"}


def test_pseudo_and_qwen_never_share_cached_text(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    for name in ("a.po", "b.po"):
        (tmp_path / name).write_text(HEADER + '\nmsgid "Hello"\nmsgstr ""\n')
    assert run_cli("fill", "a.po", "--provider", "pseudo").exit_code == 0
    result = run_cli(
        "fill", "b.po", "--base-url", fake_qwen.compat_url, *FAST, key=fake_qwen.api_key
    )
    assert result.exit_code == 0, result.stderr
    assert polib.pofile(str(tmp_path / "b.po")).find("Hello").msgstr == "[German] Hello"
    assert len(fake_qwen.requests) == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("target-lang = 5", "target-lang must be a non-empty string"),
        ('source-lang = ["en"]', "source-lang must be a non-empty string"),
        ("glossary = 3", "glossary must be a non-empty string"),
        ("tm = [1]", "tm must be a path or a list of paths"),
        ("temperature = 'hot'", "temperature must be a number"),
    ],
)
def test_config_value_of_the_wrong_type_is_exit_2(
    line: str, message: str, run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "l10n-qwen.toml").write_text(line + "\n")
    (tmp_path / "de.po").write_text(HEADER + '\nmsgid "Hello"\nmsgstr ""\n')
    result = run_cli("fill", "de.po", "--dry-run")
    assert result.exit_code == 2
    assert message in result.stderr


def test_no_cache_and_no_fuzzy_are_config_keys_too(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "l10n-qwen.toml").write_text("no-fuzzy = true\nno-cache = true\n")
    (tmp_path / "de.po").write_text(HEADER + '\nmsgid "Hello"\nmsgstr ""\n')
    assert run_cli("fill", "de.po", "--provider", "pseudo").exit_code == 0
    assert not polib.pofile(str(tmp_path / "de.po")).find("Hello").fuzzy


def test_unwritable_report_is_refused_before_any_work(run_cli: Run, tmp_path: Path) -> None:
    po = tmp_path / "de.po"
    po.write_text(HEADER + '\nmsgid "Hello"\nmsgstr ""\n')
    before = po.read_bytes()
    result = run_cli("fill", po, "--provider", "pseudo", "--report", tmp_path / "nope" / "r.json")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert po.read_bytes() == before


def test_latin_serbian_is_asked_for_in_latin_and_kept_apart(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    for name in ("sr.po", "sr@latin.po"):
        (tmp_path / name).write_text(HEADER.replace("de", "") + '\nmsgid "Hello"\nmsgstr ""\n')
    result = run_cli(
        "fill", "sr.po", "sr@latin.po", "--base-url", fake_qwen.compat_url, *FAST,
        key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    options = sorted(
        (r.body["translation_options"].get("domains") or "") for r in fake_qwen.requests
    )
    assert options == ["", "Write the translation in the Latin script."]
    assert {r.body["translation_options"]["target_lang"] for r in fake_qwen.requests} == {"Serbian"}


def test_approve_names_what_it_refused_and_exits_1(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "de.po").write_text(
        HEADER + '\n#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr "Hallo %(nme)s"\n'
        '\n#, fuzzy\nmsgid "Bye"\nmsgstr "Tschüss"\n'
    )
    result = run_cli("approve", "de.po")
    assert result.exit_code == 1
    assert "de.po:6: 'Hello %(name)s': not approved: placeholder %(name)s missing" in result.stderr
    assert result.stdout.strip() == "approved 1 entry"


def test_a_key_from_check_can_be_pasted_into_approve(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "en.json").write_text('{"a.b": "Dotted"}\n')
    assert run_cli("fill", "de.json", "--provider", "pseudo").exit_code == 0
    listed = run_cli("check", "de.json").stdout.splitlines()[0]
    key = listed.split("'")[1]
    assert key == "a\\.b"
    assert run_cli("approve", "de.json", "--key", key).stdout.strip() == "approved 1 entry"


def test_a_template_is_not_filled_in_place(run_cli: Run, tmp_path: Path) -> None:
    pot = copy_fixture("po/template", tmp_path) / "messages.pot"
    before = pot.read_bytes()
    result = run_cli("fill", pot, "--target-lang", "de", "--provider", "pseudo")
    assert result.exit_code == 2
    assert "is a template" in result.stderr
    assert pot.read_bytes() == before


def test_missing_po_file_is_named(run_cli: Run) -> None:
    result = run_cli("check", "nope.po")
    assert result.exit_code == 2
    assert "nope.po: no such file" in result.stderr


def test_check_uses_the_project_of_the_files_not_of_the_working_directory(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "web").mkdir(parents=True)
    (project / "l10n-qwen.toml").write_text("")
    (project / "web" / "en.json").write_text('{"a": "A"}\n')
    monkeypatch.chdir(project)
    assert run_cli("fill", "web/de.json", "--provider", "pseudo").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run_cli("check", project / "web" / "de.json")
    assert result.exit_code == 1
    assert "awaiting review" in result.stdout


def test_dry_run_refuses_plain_http_to_a_remote_host(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "de.po").write_text(HEADER + '\nmsgid "Hello"\nmsgstr ""\n')
    result = run_cli("fill", "de.po", "--dry-run", "--base-url", "http://example.com/v1")
    assert result.exit_code == 2
    assert "https" in result.stderr


def test_approve_takes_several_key_globs(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "en.json").write_text(
        '{"buttons": {"ok": "OK", "no": "No"}, "help": "Help", "x": "X"}\n'
    )
    assert run_cli("fill", "de.json", "--provider", "pseudo").exit_code == 0
    result = run_cli("approve", "de.json", "--key", "buttons.*", "--key", "help")
    assert result.stdout.strip() == "approved 3 entries"
    assert run_cli("check", "de.json").stdout.splitlines()[0] == "de.json:1: 'x': awaiting review"


def test_entries_with_different_format_flags_are_checked_each_by_its_own(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "a.po").write_text(HEADER + '\n#, no-c-format\nmsgid "Delete %s now"\nmsgstr ""\n')
    (tmp_path / "b.po").write_text(HEADER + '\nmsgid "Delete %s now"\nmsgstr ""\n')
    fake_qwen.set_faults(rate_broken_placeholder=1.0)  # "%s" is dropped from every answer
    result = run_cli(
        "fill", "a.po", "b.po", "--batch-size", "1", "--base-url", fake_qwen.compat_url, *FAST,
        key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 1
    assert polib.pofile(str(tmp_path / "b.po")).find("Delete %s now").msgstr == ""
    assert "b.po:6: 'Delete %s now'" in result.stderr


def test_an_approved_plural_form_is_not_copied_into_the_other_forms(
    run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "en.json").write_text(
        '{"items_one": "{{count}} item", "items_other": "{{count}} items"}\n'
    )
    (tmp_path / "ru.json").write_text(
        '{"items_one": "{{count}} предмет", "items_few": "{{count}} предмета"}\n'
    )
    assert run_cli("fill", "ru.json", "--provider", "pseudo").exit_code == 0
    data = json.loads((tmp_path / "ru.json").read_text())
    assert data["items_few"] == "{{count}} предмета"  # hand-made: kept
    assert data["items_many"] != data["items_few"] and data["items_other"] != data["items_few"]
    assert data["items_many"].startswith("[")  # translated, not copied


def test_regional_variants_get_their_own_requests_and_terms(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "glossary.csv").write_text("en,pt_BR,pt_PT\nfile,arquivo,ficheiro\n")
    for locale in ("pt_BR", "pt_PT"):
        (tmp_path / f"{locale}.po").write_text(
            HEADER.replace("de", locale) + '\nmsgid "Open file"\nmsgstr ""\n'
        )
    result = run_cli(
        "fill", "pt_BR.po", "pt_PT.po", "--glossary", "glossary.csv",
        "--base-url", fake_qwen.compat_url, *FAST, key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    sent = sorted(
        (
            r.body["translation_options"]["domains"],
            r.body["translation_options"]["terms"][0]["target"],
        )
        for r in fake_qwen.requests
    )
    assert sent == [
        ("Write Portuguese as it is used in the region Brazil.", "arquivo"),
        ("Write Portuguese as it is used in the region Portugal.", "ficheiro"),
    ]
    assert polib.pofile(str(tmp_path / "pt_PT.po")).find("Open file").msgstr.endswith("ficheiro")


def test_a_run_stopped_partway_still_reports_and_exits_1(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    po.write_text(HEADER + "".join(f'\nmsgid "Text {i}"\nmsgstr ""\n' for i in range(4)))
    fake_qwen.script("ok", "404")  # the model vanishes after the first answer
    report = tmp_path / "r.json"
    result = run_cli(
        "fill", "de.po", "--concurrency", "1", "--batch-size", "1", "--report", report,
        "--base-url", fake_qwen.compat_url, *FAST, key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 1  # something was written: not "2, nothing written"
    assert "error: " in result.stderr and "qwen-mt-flash" in result.stderr
    assert polib.pofile(str(po)).find("Text 0").msgstr == "[German] Text 0"
    data = json.loads(report.read_text())
    assert data["stopped"] and data["filled"] == 1
    # The three texts it never reached are failed, not silently dropped from the count.
    assert "filled 1 entry in 1 file, 3 failed;" in result.stdout
    assert len(data["failed"]) == 3
    assert {p["key"] for p in data["failed"]} == {"Text 1", "Text 2", "Text 3"}


def test_a_file_where_the_state_folder_belongs_is_a_clear_error(
    run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / ".l10n-qwen").write_text("not a folder")
    (tmp_path / "de.po").write_text(HEADER + '\nmsgid "Hello"\nmsgstr ""\n')
    result = run_cli("fill", "de.po", "--provider", "pseudo")
    assert result.exit_code == 2
    assert "must be a folder" in result.stderr


def test_a_tm_of_another_script_is_an_example_not_a_translation(
    run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "tm.po").write_text(
        HEADER.replace("de", "sr") + '\nmsgid "Close file"\nmsgstr "Затвори датотеку"\n'
    )
    (tmp_path / "sr@latin.po").write_text(
        HEADER.replace("de", "sr@latin") + '\nmsgid "Close file"\nmsgstr ""\n'
    )
    result = run_cli("fill", "sr@latin.po", "--tm", "tm.po", "--provider", "pseudo")
    assert result.exit_code == 0, result.stderr
    assert "0 reused" in result.stdout
    assert polib.pofile(str(tmp_path / "sr@latin.po")).find("Close file").msgstr.startswith("[")


@pytest.mark.parametrize(
    ("columns", "locale", "term"),
    [
        ("en,pt_PT\nfile,ficheiro", "pt_BR", None),  # another region: not its words
        ("en,pt\nfile,arquivo", "pt_BR", "arquivo"),  # the bare language serves a region
        ("en,sr\nfile,датотека", "sr@latin", None),  # another script
        ("en,de_DE\nfile,Datei", "de", "Datei"),  # a bare locale takes the closest column
    ],
)
def test_glossary_columns_of_another_variant_are_not_used(
    columns: str, locale: str, term: str | None, run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "glossary.csv").write_text(columns + "\n")
    (tmp_path / "x.po").write_text(
        HEADER.replace("de", locale) + '\nmsgid "Open file"\nmsgstr ""\n'
    )
    result = run_cli("fill", "x.po", "--dry-run", "--glossary", "glossary.csv")
    assert result.exit_code == 0, result.stderr
    assert bool(re.search(r"\b1 term\b", result.stdout)) == (term is not None), result.stdout


def test_cached_translations_are_checked_again_only_when_the_checks_differ(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = tmp_path / "de.po"
    blank = HEADER + "".join(
        f'\n#, python-format\nmsgid "Hi %(n)s {i}"\nmsgstr ""\n' for i in range(3)
    )
    po.write_text(blank)
    server = ("--base-url", fake_qwen.compat_url, *FAST)
    assert run_cli("fill", "de.po", *server, key=fake_qwen.api_key).exit_code == 0
    checked: list[str] = []
    real_verify = placeholders.verify

    def counting_verify(source: str, target: str, *args: object, **kw: object) -> object:
        checked.append(source)
        return real_verify(source, target, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(placeholders, "verify", counting_verify)
    po.write_text(blank)  # as after `git checkout`: every answer is in the cache
    fake_qwen.reset()
    assert run_cli("fill", "de.po", *server, key=fake_qwen.api_key).exit_code == 0
    assert not fake_qwen.requests and checked == []  # stamped by this code, these flags
    # Other flags make other checks: the cached text is verified again before it is used.
    po.write_text(blank.replace("python-format", "python-brace-format"))
    assert run_cli("fill", "de.po", *server, key=fake_qwen.api_key).exit_code == 0
    assert len(checked) == 3 and not fake_qwen.requests
