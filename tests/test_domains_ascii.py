"""The ``domains`` prompt is English ASCII, and a refused request's entries count as failed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from l10n_qwen.languages import ascii_english, locale_hint
from tests.conftest import CliRun
from tests.fakeserver import FakeQwenServer

FAST = ("--rpm", "100000", "--tpm", "100000000")
PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {locale}\\n"

msgid "Open"
msgstr ""

msgctxt "メニュー"
msgid "Save"
msgstr ""

msgid "Close"
msgstr ""
"""


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("nb_NO", "Norwegian Bokmal as it is used in the region Norway"),
        ("fr_CI", "region Cote d'Ivoire"),
        ("pt_ST", "region Sao Tome & Principe"),
        ("sv_AX", "region Aland Islands"),
    ],
)
def test_no_request_is_refused_for_locales_with_accented_names(
    run_cli: Callable[..., CliRun],
    fake_qwen: FakeQwenServer,
    tmp_path: Path,
    locale: str,
    words: str,
) -> None:
    po = tmp_path / f"{locale}.po"
    po.write_text(PO.format(locale=locale), encoding="utf-8")
    base = ["--base-url", fake_qwen.compat_url, *FAST]
    result = run_cli("fill", po, *base, key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    assert fake_qwen.violations == []  # the fake refuses non-ASCII domains
    domains = [r.body["translation_options"].get("domains", "") for r in fake_qwen.requests]
    assert domains and all(d.isascii() for d in domains)
    assert any(words in d for d in domains), domains


def test_plural_hints_name_norwegian_bokmal_in_ascii(
    run_cli: Callable[..., CliRun], fake_qwen: FakeQwenServer, tmp_path: Path
) -> None:
    (tmp_path / "en.json").write_text('{"file_one": "One file", "file_other": "{{count}} files"}')
    (tmp_path / "nb.json").write_text("{}")
    base = ["--base-url", fake_qwen.compat_url, *FAST]
    result = run_cli("fill", tmp_path / "nb.json", *base, key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    assert fake_qwen.violations == []
    domains = [r.body["translation_options"].get("domains", "") for r in fake_qwen.requests]
    assert any("Norwegian Bokmal plural form" in d for d in domains), domains


def test_ascii_english() -> None:
    assert ascii_english("Côte d’Ivoire") == "Cote d'Ivoire"
    assert ascii_english("Færøerne, Łódź, Straße") == "Faeroerne, Lodz, Strasse"
    assert locale_hint("nb") is None  # the name is the language's: no region, no script
    assert locale_hint("nb_NO") == "Write Norwegian Bokmal as it is used in the region Norway."


def test_entries_of_a_refused_request_count_as_failed(
    run_cli: Callable[..., CliRun], fake_qwen: FakeQwenServer, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    po.write_text(PO.format(locale="de"), encoding="utf-8")
    fake_qwen.script("404")  # the model does not exist: every further request is pointless
    report = tmp_path / "report.json"
    args = ["--base-url", fake_qwen.compat_url, *FAST, "--batch-size", "1", "--concurrency", "1"]
    result = run_cli("fill", po, *args, "--report", report, key=fake_qwen.api_key)
    assert result.exit_code == 2  # nothing written
    # Every entry is counted: the one the rejected request carried, and those never reached.
    assert "filled 0 entries in 1 file, 3 failed" in result.stdout
    failed = json.loads(report.read_text(encoding="utf-8"))["failed"]
    rejected = [f for f in failed if f["reason"].startswith("request rejected: ")]
    assert len(failed) == 3 and len(rejected) == 1
    assert rejected[0]["key"] == fake_qwen.requests[0].text
    assert all(f in rejected or "run stopped" in f["reason"] for f in failed)
