"""Every format flag msgfmt --check-format checks is verified before a fill is written (#8)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from l10n_qwen import formatcheck
from tests.conftest import CliRun, msgfmt_check
from tests.fakeserver import DEFAULT_KEY, FakeQwenServer, Reply

Run = Callable[..., CliRun]

# (flag, source): each source has a directive that flag's msgfmt check wants kept.
FLAGGED = [
    ("sh-format", "Copy $FILE now"),
    ("qt-format", "%1 files"),
    ("qt-plural-format", "%n files"),
    ("kde-format", "%1 files"),
    ("kde-kuit-format", "%1 files"),
    ("scheme-format", "~a files"),
    ("lisp-format", "~a files"),
    ("elisp-format", "%s files"),
    ("librep-format", "%s files"),
    ("smalltalk-format", "%1 files"),
    ("boost-format", "%1% files"),
    ("perl-format", "%s files"),
    ("perl-brace-format", "{count} files"),
    ("php-format", "%1$s files"),
    ("tcl-format", "%s files"),
    ("awk-format", "%s files"),
    ("object-pascal-format", "%s files"),
    ("ycp-format", "%1 files"),
    ("gcc-internal-format", "%qs files"),
    ("gfc-internal-format", "%s files"),
    ("lua-format", "%s files"),
    ("javascript-format", "%s files"),
    ("csharp-format", "{0} files"),
    ("java-format", "{0} files"),
    ("java-printf-format", "%s files"),
    ("objc-format", "%@ files"),
    ("c-format", "%s files"),
    ("python-format", "%(n)s files"),
    ("python-brace-format", "{n} files"),
]


def flagged_po() -> str:
    entries = "".join(
        f'#, {flag}\nmsgctxt "{flag}"\nmsgid "{polib.escape(source)}"\nmsgstr ""\n\n'
        for flag, source in FLAGGED
    )
    return (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        + entries
    )


FAST = ("--rpm", "100000", "--tpm", "100000000", "--concurrency", "1", "--no-cache")


def test_translations_that_drop_a_directive_are_never_written(
    tmp_path: Path, run_cli: Run, fake_qwen: FakeQwenServer
) -> None:
    path = tmp_path / "de.po"
    path.write_text(flagged_po())
    dropped = Reply(200, {"choices": [{"message": {"content": "Dateien"}}]})
    fake_qwen.script(*[dropped] * (2 * len(FLAGGED)))  # the first try and the masked retry
    result = run_cli("fill", *FAST, "--base-url", fake_qwen.compat_url, "de.po", key=DEFAULT_KEY)
    assert result.exit_code == 1, result.stderr
    msgfmt_check(path)
    assert path.read_text() == flagged_po()  # nothing written: every one was refused
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed) == len(FLAGGED)


def test_translations_that_keep_them_are_written_and_pass_msgfmt(
    tmp_path: Path, run_cli: Run, fake_qwen: FakeQwenServer
) -> None:
    path = tmp_path / "de.po"
    path.write_text(flagged_po())
    result = run_cli("fill", *FAST, "--base-url", fake_qwen.compat_url, "de.po", key=DEFAULT_KEY)
    assert result.exit_code == 0, result.stderr
    msgfmt_check(path)
    assert all(e.msgstr.startswith("[German] ") for e in polib.pofile(str(path)) if e.msgid)


def test_pseudo_localization_output_passes_msgfmt_or_is_reported(
    tmp_path: Path, run_cli: Run
) -> None:
    path = tmp_path / "de.po"
    path.write_text(flagged_po())
    result = run_cli("fill", "--provider", "pseudo", "de.po")
    assert result.exit_code in (0, 1), result.stderr
    msgfmt_check(path)


@pytest.mark.parametrize(
    ("flag", "source", "translation", "ok"),
    [
        ("sh-format", "Copy $FILE now", "Kopiere jetzt", False),
        ("sh-format", "Copy $FILE now", "Kopiere $FILE jetzt", True),
        ("qt-plural-format", "%n files", "Dateien", False),
        ("scheme-format", "~a files", "Dateien", False),
        ("smalltalk-format", "%1 files", "Dateien", False),
        ("no-sh-format", "Copy $FILE now", "Kopiere jetzt", True),
        ("c-format", "%s files", "Dateien", True),  # placeholders.verify's part, not msgfmt's
    ],
)
def test_msgfmt_judges_the_flags_only_it_knows(
    flag: str, source: str, translation: str, ok: bool
) -> None:
    found = formatcheck.problems(source, translation, frozenset({flag}), False)
    assert (found == []) == ok, found
    if not ok:
        assert found[0].startswith("msgfmt --check-format: ")


def test_a_plural_form_for_one_number_may_leave_the_number_out() -> None:
    flags = frozenset({"qt-plural-format"})
    assert formatcheck.problems("%n file", "eine Datei", flags, True) == []


def test_without_msgfmt_such_an_entry_is_not_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    formatcheck._check.cache_clear()
    try:
        found = formatcheck.problems("Copy $FILE", "Kopiere $FILE", frozenset({"sh-format"}), False)
    finally:
        formatcheck._check.cache_clear()
    assert found == ["cannot verify sh-format without GNU msgfmt (install gettext)"]
