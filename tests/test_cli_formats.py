"""End to end: JSON and YAML targets, review state, glossary terms and --tm through the CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import polib
from ruamel.yaml import YAML

from tests.conftest import FIXTURES, CliRun, copy_fixture
from tests.fakeserver import FakeQwenServer

Run = Callable[..., CliRun]
FAST = ("--rpm", "100000", "--tpm", "100000000")


def server(fake: FakeQwenServer) -> list[str]:
    return ["--base-url", fake.compat_url, *FAST]


def test_i18next_json_to_russian_gets_exactly_its_plural_categories(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    folder = copy_fixture("json/i18next", tmp_path)
    target = folder / "ru.json"  # does not exist: created with the source's structure
    result = run_cli("fill", target, *server(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    notes = data["notes"]
    assert sorted(k for k in notes if k.startswith("count_")) == [
        "count_few",
        "count_many",
        "count_one",
        "count_other",
    ]
    assert notes["count_one"] == "[Russian] {{count}} note"
    assert notes["count_few"].endswith("{{count}} notes")
    assert notes["maxLength"] == 500 and notes["pinned"] is True  # copied, not translated
    assert data["common"]["company"] == "[Russian] Made by {{- company}}"
    assert fake_qwen.violations == []
    # The review state stands in for fuzzy: check fails until approve.
    state = json.loads((tmp_path / ".l10n-qwen-review.json").read_text())
    assert state["files"]["i18next/ru.json"]["notes.count_few"]["approved"] is False
    assert run_cli("check", target).exit_code == 1
    approved = run_cli("approve", target)
    assert approved.exit_code == 0, approved.stderr
    assert run_cli("check", target).exit_code == 0


def test_rails_yaml_to_japanese_keeps_comments_and_root_key(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    folder = copy_fixture("yaml/rails", tmp_path)
    target = folder / "ja.yml"
    result = run_cli("fill", target, *server(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    data = YAML(typ="safe").load(text)
    assert list(data) == ["ja"]
    assert data["ja"]["cart"]["items"] == {"other": "[Japanese] %{count} items"}
    assert data["ja"]["date"]["abbr_month_names"][0] is None
    assert data["ja"]["limits"] == {"max_items": 99, "gift_wrap": False}


def test_json_target_edit_changes_only_filled_keys(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    folder = copy_fixture("json/i18next", tmp_path)
    target = folder / "de.json"
    before = target.read_text(encoding="utf-8").splitlines()
    result = run_cli("fill", target, *server(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    after = target.read_text(encoding="utf-8").splitlines()
    kept = [line for line in before if line in after]
    changed = [line for line in before if line not in after]
    # Only empty values were replaced, and lines before an inserted key gained a comma.
    assert all('""' in line or line + "," in after for line in changed), changed
    assert '    "legacy": "Nur in der Übersetzung"' in kept  # keys the source lacks stay


def test_glossary_sends_only_relevant_terms(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    glossary = tmp_path / "glossary.csv"
    shutil.copy(FIXTURES / "glossary" / "csv" / "glossary.csv", glossary)
    po = copy_fixture("e2e/shared", tmp_path) / "admin.po"
    po.write_text(
        po.read_text().replace('msgid "Delete user"', 'msgid "Delete the file in this folder"')
    )
    # One text per request: the terms each request carries are those of its one text.
    result = run_cli(
        "fill", po, "--glossary", glossary, "--batch-size", "1", *server(fake_qwen),
        key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    by_text = {r.text: r.body["translation_options"] for r in fake_qwen.requests}
    options = by_text["Delete the file in this folder"]
    assert sorted(map(tuple, (t.values() for t in options["terms"]))) == [
        ("file", "Datei"),
        ("folder", "Ordner"),
    ]
    assert "terms" not in by_text["Save"]
    entry = polib.pofile(str(po)).find("Delete the file in this folder")
    assert entry.msgstr == "[German] Delete the Datei in this Ordner"


def test_tm_file_gives_exact_reuse_and_tm_list(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    tm = tmp_path / "memory.po"
    tm.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Save"\nmsgstr "Sichern"\n\nmsgid "Delete users"\nmsgstr "Benutzer löschen"\n'
    )
    po = copy_fixture("e2e/shared", tmp_path) / "admin.po"
    result = run_cli("fill", po, "--tm", tm, *server(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    assert [r.text for r in fake_qwen.requests] == ["Delete user"]
    options = fake_qwen.requests[0].body["translation_options"]
    assert options["tm_list"] == [{"source": "Delete users", "target": "Benutzer löschen"}]
    assert polib.pofile(str(po)).find("Save").msgstr == "Sichern"


def test_invalid_json_is_exit_2_with_line_and_column(run_cli: Run, tmp_path: Path) -> None:
    folder = copy_fixture("json/broken", tmp_path)
    before = (folder / "de.json").read_bytes()
    result = run_cli("fill", folder / "de.json", "--provider", "pseudo")
    assert result.exit_code == 2
    assert "de.json:" in result.stderr or "en.json:" in result.stderr
    assert (folder / "de.json").read_bytes() == before


def test_include_fuzzy_retranslates_stale_and_awaiting_keys(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    folder = copy_fixture("json/i18next", tmp_path)
    target = folder / "de.json"
    args = ("--base-url", fake_qwen.compat_url, *FAST)
    assert run_cli("fill", target, *args, key=fake_qwen.api_key).exit_code == 0
    assert json.loads(target.read_text())["common"]["cancel"] == "[German] Cancel"
    assert run_cli("approve", target, "--key", "common.*").exit_code == 0

    source = folder / "en.json"
    source.write_text(source.read_text().replace('"Cancel"', '"Cancel order"'))
    check = run_cli("check", target)
    assert check.exit_code == 1
    assert "'common.cancel': stale: the source text changed since it was translated" in check.stdout
    assert "'notes.empty': awaiting review" in check.stdout

    fake_qwen.reset()
    plain = run_cli("fill", target, *args, key=fake_qwen.api_key)
    assert plain.exit_code == 0 and fake_qwen.requests == []  # stale is not untranslated
    again = run_cli("fill", target, "--include-fuzzy", "--no-cache", *args, key=fake_qwen.api_key)
    assert again.exit_code == 0, again.stderr
    sent = {line for r in fake_qwen.requests if r.text for line in r.text.split("\n")}
    assert "Cancel order" in sent and "You have no notes yet. <1>Create one</1>." in sent
    assert "Save" not in sent  # hand-made translations are never retranslated
    data = json.loads(target.read_text())
    assert data["common"]["cancel"] == "[German] Cancel order"
    assert data["common"]["save"] == "Speichern"
