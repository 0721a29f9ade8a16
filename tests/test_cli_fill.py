"""End to end: ``l10n-qwen fill`` over real .po files against the fake Qwen-MT server."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from tests.conftest import FIXTURES, CliRun, copy_fixture, msgfmt_check
from tests.fakeserver import FakeQwenServer

Run = Callable[..., CliRun]
FAST = ("--rpm", "100000", "--tpm", "100000000")


def server_args(fake: FakeQwenServer, api: str = "openai") -> list[str]:
    return ["--api", api, "--base-url", fake.base_url(api), *FAST]


def changed_lines(before: str, after: str) -> list[str]:
    """The lines of ``before`` that ``after`` removed or replaced."""
    old = before.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old, b=after.splitlines(keepends=True), autojunk=False)
    return [
        line
        for tag, i1, i2, _j1, _j2 in matcher.get_opcodes()
        if tag in ("replace", "delete")
        for line in old[i1:i2]
    ]


@pytest.mark.parametrize("api", ["openai", "dashscope"])
def test_fill_po_through_both_protocols(
    api: str, fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = copy_fixture("po/basic", tmp_path) / "de.po"
    before = po.read_text(encoding="utf-8")
    catalog = polib.pofile(str(po))
    # Untranslated entries, and msgmerge's guess ("#| msgid"), which is retranslated.
    untranslated = [
        e
        for e in catalog
        if not e.obsolete and (e.previous_msgid or not (e.translated() or e.fuzzy))
    ]

    result = run_cli(
        "fill", po, "--target-lang", "de", "--batch-size", "1", *server_args(fake_qwen, api),
        key=fake_qwen.api_key,
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    assert fake_qwen.violations == []
    assert {r.protocol for r in fake_qwen.requests} == {api}
    after = polib.pofile(str(po))
    for old in untranslated:
        new = after.find(old.msgid, msgctxt=old.msgctxt)
        assert new is not None and new.fuzzy, old.msgid
        if old.msgid_plural:
            assert sorted(new.msgstr_plural) == [0, 1]
            assert new.msgstr_plural[0].startswith("[German] ")
            assert new.msgstr_plural[1] == f"[German] {old.msgid_plural}"
        else:
            assert new.msgstr == f"[German] {old.msgid}" or new.msgstr.startswith("[German] ")
    # One request per distinct source text (and none for what was already translated).
    texts = [r.text for r in fake_qwen.requests]
    assert len(texts) == len(set(texts))
    expected = {e.msgid for e in untranslated} | {
        e.msgid_plural for e in untranslated if e.msgid_plural
    }
    assert set(texts) == expected
    # Only msgstr and flag lines of the filled entries changed; everything else is byte-identical.
    assert all(
        line.startswith(("msgstr", "#,", "#|", '"'))
        for line in changed_lines(before, po.read_text())
    )
    assert "Öffnen" in po.read_text(encoding="utf-8")
    msgfmt_check(po)
    assert "filled" in result.stdout and "failed" in result.stdout


def test_identical_texts_across_files_go_out_once(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    folder = copy_fixture("e2e/shared", tmp_path)
    result = run_cli(
        "fill",
        folder / "app.po",
        folder / "admin.po",
        "--batch-size",
        "1",
        *server_args(fake_qwen),
        key=fake_qwen.api_key,
    )
    assert result.exit_code == 0, result.stderr
    # "Cancel" has an approved translation in admin.po: reused, not requested.
    assert sorted(fake_qwen.text_counts.items()) == [
        ("Delete user", 1),
        ("Save", 1),
        ("Welcome, %(user)s", 1),
    ]
    app = polib.pofile(str(folder / "app.po"))
    assert app.find("Cancel").msgstr == "Abbrechen"
    assert app.find("Save").msgstr == polib.pofile(str(folder / "admin.po")).find("Save").msgstr
    for name in ("app.po", "admin.po"):
        msgfmt_check(folder / name)


@pytest.mark.parametrize(
    ("fixture", "lang", "nplurals"),
    [("po/plurals_ru/ru.po", "Russian", 3), ("po/plurals_ja/ja.po", "Japanese", 1)],
)
def test_plural_forms_follow_the_language(
    fixture: str, lang: str, nplurals: int, fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    folder, name = fixture.rsplit("/", 1)
    po = copy_fixture(folder, tmp_path) / name
    result = run_cli("fill", po, *server_args(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    plural_entries = [e for e in polib.pofile(str(po)) if e.msgid_plural and not e.obsolete]
    assert plural_entries
    for entry in plural_entries:
        assert len(entry.msgstr_plural) == nplurals
        assert all(text for text in entry.msgstr_plural.values())
    assert all(r.body["translation_options"]["target_lang"] == lang for r in fake_qwen.requests)
    msgfmt_check(po)


def test_no_fuzzy_writes_approved(fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path) -> None:
    po = copy_fixture("e2e/shared", tmp_path) / "app.po"
    result = run_cli("fill", po, "--no-fuzzy", *server_args(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    catalog = polib.pofile(str(po))
    assert catalog.percent_translated() == 100
    assert not any(e.fuzzy for e in catalog)


def test_dry_run_needs_no_key_no_network_and_writes_nothing(run_cli: Run, tmp_path: Path) -> None:
    po = copy_fixture("po/basic", tmp_path) / "de.po"
    before = po.read_bytes()
    # Port 9 on loopback: nothing listens; a request would fail the run.
    result = run_cli(
        "fill", po, "--dry-run", "--batch-size", "1",
        "--base-url", "http://127.0.0.1:9/compatible-mode/v1",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert po.read_bytes() == before
    assert "German: 'Save'" in result.stdout
    assert "7 requests" in result.stdout  # 6 untranslated texts and msgmerge's guess
    assert "expected wall time: about 7 s (7 requests; the quota of 60 requests/min)" in (
        result.stdout
    )
    assert "estimated cost $" in result.stdout
    assert not (tmp_path / ".l10n-qwen").exists()


@pytest.mark.parametrize(
    ("region", "api", "url"),
    [
        ("singapore", "openai", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions"),
        ("us", "openai", "https://dashscope-us.aliyuncs.com/compatible-mode/v1/chat/completions"),
        ("beijing", "openai", "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions"),
        ("singapore", "dashscope", "https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/text-generation/generation"),
        ("us", "dashscope", "https://dashscope-us.aliyuncs.com/api/v1/services/aigc/text-generation/generation"),
        ("beijing", "dashscope", "https://dashscope.aliyuncs.com/api/v1/services/aigc/text-generation/generation"),
    ],
)  # fmt: skip
def test_dry_run_names_the_endpoint_of_each_region(
    region: str, api: str, url: str, run_cli: Run, tmp_path: Path
) -> None:
    po = copy_fixture("e2e/shared", tmp_path) / "app.po"
    result = run_cli("fill", po, "--dry-run", "--region", region, "--api", api)
    assert result.exit_code == 0, result.stderr
    assert f"would POST to {url}" in result.stdout


def test_pseudo_provider_works_offline(run_cli: Run, tmp_path: Path) -> None:
    po = copy_fixture("po/basic", tmp_path) / "de.po"
    result = run_cli("fill", po, "--provider", "pseudo")
    assert result.exit_code == 0, result.stderr
    entry = polib.pofile(str(po)).find("Hello, %(name)s!")
    assert entry is not None and entry.fuzzy
    assert entry.msgstr.startswith("[Ĥéļļö, %(name)s!")
    msgfmt_check(po)


def test_missing_key_is_exit_2_naming_the_variable(run_cli: Run, tmp_path: Path) -> None:
    po = copy_fixture("e2e/shared", tmp_path) / "app.po"
    before = po.read_bytes()
    result = run_cli("fill", po)
    assert result.exit_code == 2
    assert "DASHSCOPE_API_KEY" in result.stderr
    assert "--provider pseudo" in result.stderr
    assert po.read_bytes() == before


def test_malformed_po_is_exit_2_naming_file_and_line_and_nothing_is_written(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    good = copy_fixture("e2e/shared", tmp_path) / "app.po"
    broken = copy_fixture("po/broken", tmp_path) / "de.po"
    before = good.read_bytes()
    result = run_cli("fill", good, broken, *server_args(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 2
    assert f"{broken}:" in result.stderr
    assert "line" in result.stderr or f"{broken}:1" in result.stderr or ":" in result.stderr
    assert good.read_bytes() == before
    assert fake_qwen.requests == []


def test_wrong_key_stops_at_once_and_is_never_shown(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = copy_fixture("po/basic", tmp_path) / "de.po"
    before = po.read_bytes()
    wrong = "sk-wrong-key-0123456789abcdef"
    report = tmp_path / "report.json"
    result = run_cli(
        "fill", po, "--concurrency", "1", "--report", report, *server_args(fake_qwen), key=wrong
    )
    assert result.exit_code == 2
    assert "DASHSCOPE_API_KEY" in result.stderr
    assert "region" in result.stderr
    assert len(fake_qwen.requests) == 1  # no retries, no further requests
    assert po.read_bytes() == before
    assert wrong not in result.stdout + result.stderr
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert wrong.encode() not in path.read_bytes(), path


def test_rejected_entry_is_listed_the_rest_written_exit_1(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = copy_fixture("e2e/shared", tmp_path) / "app.po"
    fake_qwen.faults.reject_texts = {"Save"}
    report = tmp_path / "report.json"
    result = run_cli("fill", po, "--report", report, *server_args(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 1
    assert "'Save'" in result.stderr and "content inspection" in result.stderr
    # The batch holding "Save" was rejected, and split until "Save" went alone.
    assert [r.text for r in fake_qwen.requests if r.answer == "reject"][-1] == "Save"
    catalog = polib.pofile(str(po))
    assert catalog.find("Save").msgstr == ""
    assert catalog.find("Welcome, %(user)s").msgstr == "[German] Welcome, %(user)s"
    data = json.loads(report.read_text())
    assert [f["key"] for f in data["failed"]] == ["Save"]
    assert fake_qwen.api_key not in report.read_text()
    msgfmt_check(po)


def test_rerun_uses_the_cache(fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path) -> None:
    original = copy_fixture("e2e/shared", tmp_path) / "app.po"
    pristine = original.read_bytes()
    assert run_cli("fill", original, *server_args(fake_qwen), key=fake_qwen.api_key).exit_code == 0
    first = len(fake_qwen.requests)
    filled = original.read_bytes()
    original.write_bytes(pristine)  # as after `git checkout` threw the results away
    assert run_cli("fill", original, *server_args(fake_qwen), key=fake_qwen.api_key).exit_code == 0
    assert len(fake_qwen.requests) == first
    assert original.read_bytes() == filled
    cache = tmp_path / ".l10n-qwen" / "cache.sqlite3"
    assert cache.exists() and fake_qwen.api_key.encode() not in cache.read_bytes()
    original.write_bytes(pristine)
    result = run_cli("fill", original, "--no-cache", *server_args(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 0
    assert len(fake_qwen.requests) == 2 * first


def test_lite_gets_no_domains_and_says_so_once(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = copy_fixture("po/basic", tmp_path) / "de.po"
    result = run_cli(
        "fill", po, "--model", "qwen-mt-lite", "--domains", "A photo app.",
        *server_args(fake_qwen), key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("does not support domains") == 1
    assert fake_qwen.requests
    assert all("domains" not in r.body["translation_options"] for r in fake_qwen.requests)
    assert all(r.body["model"] == "qwen-mt-lite" for r in fake_qwen.requests)


def test_language_lite_lacks_is_an_error_before_any_request(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = copy_fixture("e2e/shared", tmp_path) / "app.po"
    result = run_cli(
        "fill", po, "--target-lang", "uk", "--model", "qwen-mt-lite",
        *server_args(fake_qwen), key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "qwen-mt-lite" in result.stderr and "Ukrainian" in result.stderr
    assert fake_qwen.requests == []


def test_unknown_language_is_a_clear_error(run_cli: Run, tmp_path: Path) -> None:
    po = copy_fixture("e2e/shared", tmp_path) / "app.po"
    result = run_cli("fill", po, "--target-lang", "xx", "--provider", "pseudo")
    assert result.exit_code == 2
    assert "unknown language code 'xx'" in result.stderr
    assert "l10n-qwen languages" in result.stderr


def test_languages_lists_all_92(run_cli: Run) -> None:
    result = run_cli("languages")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["code", "name", "lite"]
    assert len(lines) == 93
    assert "de     German                     yes" in lines
    assert "uk     Ukrainian                  no" in lines
    assert sum(line.endswith("yes") for line in lines) == 31


def test_the_key_appears_nowhere(fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path) -> None:
    folder = copy_fixture("json/i18next", tmp_path)
    po = copy_fixture("e2e/shared", tmp_path) / "app.po"
    fake_qwen.set_faults(rate_5xx=0.3, seed=3)  # retries and their log lines too
    report = tmp_path / "report.json"
    result = run_cli(
        "-v", "fill", folder / "de.json", po, "--report", report,
        *server_args(fake_qwen), key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "retrying" in result.stderr  # -v logged the retries
    assert fake_qwen.api_key not in result.stdout + result.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {".l10n-qwen-review.json", "cache.sqlite3", "report.json"} <= {p.name for p in written}
    for path in written:
        assert fake_qwen.api_key.encode() not in path.read_bytes(), path


def test_batches_save_requests_and_a_merged_answer_is_split_in_two(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    sources = [f"Menu item number {i}" for i in range(30)] + ["Two\\nlines"]
    body = "".join(f'msgid "{s}"\nmsgstr ""\n\n' for s in sources)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        + body
    )
    # Texts that cannot share a request go first; then the first batch comes back with two
    # of its lines run together.
    fake_qwen.script("ok", "merged_lines")
    result = run_cli(
        "fill", po, "--batch-size", "10", "--concurrency", "1", *server_args(fake_qwen),
        key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = [r.text.count("\n") + 1 for r in fake_qwen.requests if r.text]
    # The two-line text alone, 3 batches of 10, and the merged batch again as 5 + 5.
    assert lines == [2, 10, 5, 5, 10, 10]
    catalog = polib.pofile(str(po))
    for source in sources[:30]:
        assert catalog.find(source).msgstr == f"[German] {source}"
    assert catalog.find("Two\nlines").msgstr == "[German] Two\n[German] lines"
    assert "6 requests" in result.stdout
    msgfmt_check(po)


def test_batching_is_on_by_default_and_misplaces_nothing(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    # 10% of the answers run two lines together: each such batch is split and sent again.
    po = tmp_path / "de.po"
    sources = [f"Menu item number {i}" for i in range(400)]
    body = "".join(f'msgid "{s}"\nmsgstr ""\n\n' for s in sources)
    # A hundred of them again under a msgctxt: another hint, so never in the same request.
    body += "".join(f'msgctxt "menu"\nmsgid "{s}"\nmsgstr ""\n\n' for s in sources[:100])
    po.write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n\n' + body)
    fake_qwen.set_faults(rate_merged_lines=0.1, seed=2)
    result = run_cli("fill", po, *server_args(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    assert any(r.answer == "merged_lines" for r in fake_qwen.requests), "no merged answer"
    assert len(fake_qwen.requests) <= 25  # 500 entries: 10 batches of 50, and some halves
    answered = {True: 0, False: 0}  # lines answered in requests with/without the msgctxt hint
    for r in fake_qwen.requests:
        if r.answer == "ok":
            answered["menu" in r.body["translation_options"].get("domains", "")] += (
                r.text.count("\n") + 1
            )
    assert answered == {True: 100, False: 400}
    catalog = polib.pofile(str(po))
    for entry in catalog:
        assert entry.msgstr == f"[German] {entry.msgid}", entry.msgid
    msgfmt_check(po)


def test_dry_run_counts_batched_requests(run_cli: Run, tmp_path: Path) -> None:
    po = tmp_path / "de.po"
    body = "".join(f'msgid "Label {i}"\nmsgstr ""\n\n' for i in range(25))
    po.write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n\n' + body)
    result = run_cli("fill", po, "--dry-run", "--batch-size", "10")
    assert result.exit_code == 0, result.stderr
    assert "3 requests" in result.stdout
    assert "[9 texts]" in result.stdout and "[7 texts]" in result.stdout  # spread evenly
    default = run_cli("fill", po, "--dry-run")
    assert "1 request," in default.stdout and "[25 texts]" in default.stdout
    assert run_cli("fill", po, "--dry-run", "--batch-size", "auto").stdout == default.stdout
    (tmp_path / "l10n-qwen.toml").write_text('batch-size = "auto"\n')
    assert run_cli("fill", po, "--dry-run").stdout == default.stdout
    (tmp_path / "l10n-qwen.toml").write_text("batch-size = 1\n")
    assert "25 requests" in run_cli("fill", po, "--dry-run").stdout
    wrong = run_cli("fill", po, "--dry-run", "--batch-size", "0")
    assert wrong.exit_code == 2 and "neither 'auto' nor a whole number" in wrong.stderr


def test_sampling_parameters_come_from_the_config_file(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "l10n-qwen.toml").write_text(
        "seed = 42\ntemperature = 0.3\ntop-k = 5\nrepetition-penalty = 1.1\nmax-tokens = 512\n"
    )
    po = copy_fixture("e2e/shared", tmp_path) / "app.po"
    for api in ("openai", "dashscope"):
        fake_qwen.reset()
        result = run_cli(
            "fill", po, "--no-cache", *server_args(fake_qwen, api), key=fake_qwen.api_key
        )
        assert result.exit_code == 0, result.stderr
        body = fake_qwen.requests[0].body
        params = body if api == "openai" else body["parameters"]
        assert {k: params[k] for k in ("seed", "temperature", "top_k", "repetition_penalty")} == {
            "seed": 42,
            "temperature": 0.3,
            "top_k": 5,
            "repetition_penalty": 1.1,
        }
        assert params["max_tokens"] == 512
        po.write_bytes((FIXTURES / "e2e" / "shared" / "app.po").read_bytes())


def test_python_dash_m_runs_the_tool(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "l10n_qwen", "languages"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "Norwegian Bokmål" in done.stdout


def test_text_the_charset_cannot_hold_is_reported_not_written(run_cli: Run, tmp_path: Path) -> None:
    # Pseudo-localization uses letters such as "ƀ" that ISO-8859-1 does not have.
    po = copy_fixture("po/latin1", tmp_path) / "de.po"
    result = run_cli("fill", po, "--provider", "pseudo")
    assert result.exit_code == 1
    assert "msgconv" in result.stderr
    assert po.read_bytes() == (FIXTURES / "po" / "latin1" / "de.po").read_bytes()


def test_a_half_blank_copy_fills_from_the_complete_catalog_with_no_requests(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    header = (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    )
    entries: list[tuple[str | None, str, str | None, list[str]]] = []
    for i in range(6):
        entries.append((None, f"Save note {i}", None, [f"Notiz {i} speichern"]))
        entries.append(("menu", f"Open {i}", None, [f"Öffnen {i}"]))
        entries.append(
            (None, f"%d note {i}", f"%d notes {i}", [f"%d Notiz {i}", f"%d Notizen {i}"])
        )
        entries.append(("list", f"{{n}} row {i}", f"{{n}} rows {i}", [f"{{n}} Zeile {i}", ""]))
    for i, entry in enumerate(entries):
        if entry[0] == "list":
            entries[i] = (*entry[:3], [entry[3][0], entry[3][0].replace("Zeile", "Zeilen")])

    def catalog(blank: bool) -> str:
        blocks = [header]
        for number, (ctx, msgid, plural, forms) in enumerate(entries):
            empty = blank and number % 2 == 1
            lines = [f'msgctxt "{ctx}"'] if ctx else []
            lines.append(f'msgid "{msgid}"')
            if plural is None:
                lines.append(f'msgstr "{"" if empty else forms[0]}"')
            else:
                lines.append(f'msgid_plural "{plural}"')
                lines += [f'msgstr[{n}] "{"" if empty else f}"' for n, f in enumerate(forms)]
            blocks.append("\n".join(lines) + "\n")
        return "\n".join(blocks)

    (tmp_path / "complete.po").write_text(catalog(blank=False), encoding="utf-8")
    half = tmp_path / "de.po"
    half.write_text(catalog(blank=True) + '\nmsgid "Something new"\nmsgstr ""\n', encoding="utf-8")
    result = run_cli(
        "fill", half, "--tm", tmp_path / "complete.po", *server_args(fake_qwen),
        key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    # Only the one text the memory does not know was sent.
    assert [r.text for r in fake_qwen.requests] == ["Something new"]
    full = polib.pofile(str(tmp_path / "complete.po"))
    filled = polib.pofile(str(half))
    for old in full:
        new = filled.find(old.msgid, msgctxt=old.msgctxt)
        assert (new.msgstr, new.msgstr_plural) == (old.msgstr, old.msgstr_plural), old.msgid
    assert "24 entries" not in result.stdout and "filled 13 entries" in result.stdout
    msgfmt_check(half)


def test_verbose_dry_run_lists_the_terms_and_memory_pairs_of_each_text(
    run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "glossary.csv").write_text("en,de\npassword,Passwort\nfile,Datei\n")
    po = tmp_path / "de.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        'msgid "Change your password"\nmsgstr ""\n\n'
        'msgid "Open the file"\nmsgstr ""\n\n'
        'msgid "Open the files"\nmsgstr "Die Dateien öffnen"\n'
    )
    result = run_cli("-v", "fill", po, "--dry-run", "--glossary", tmp_path / "glossary.csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index(
        "German: 'Change your password\\nOpen the file'  [2 texts, 1 TM pair, 2 terms]"
    )
    assert lines[start + 1 : start + 6] == [
        "  'Change your password'",
        "    term: password → Passwort",
        "  'Open the file'",
        "    term: file → Datei",
        "    TM: 'Open the files' → 'Die Dateien öffnen'",
    ]
    quiet = run_cli("fill", po, "--dry-run", "--glossary", tmp_path / "glossary.csv")
    assert "term: " not in quiet.stdout
