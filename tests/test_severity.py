"""``check``'s errors and warnings: what a person's translation may do, per format."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliRun

Run = Callable[..., CliRun]

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ru\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
"(n%100<10 || n%100>=20) ? 1 : 2);\\n"

#, python-format
msgid "0 of %(cnt)s selected"
msgstr "Выбрано 0 объектов из %(cnt)s "

#, python-format
msgid " By %(filter_title)s "
msgstr "По %(filter_title)s"

msgid "Dates like %d %B"
msgstr "Даты вроде %e %B"

msgid "<b>Bold</b> text"
msgstr "Жирный текст"

#, python-format
msgid "%(model)s was changed"
msgid_plural "%(count)d %(model)s were changed"
msgstr[0] "%(count)d объект изменён"
msgstr[1] "%(count)d объекта изменены"
msgstr[2] "%(count)d объектов изменено"

#, python-format
msgid "Hello %(name)s"
msgstr "Привет"

msgid "\\nLine"
msgstr "Строка"

#, python-format
msgid "Change %(model)s"
msgstr "Изменить %(model)s %(x)s"

#, c-format
msgid "%d file"
msgid_plural "%d files"
msgstr[0] "один файл"
msgstr[1] "%d файла"
msgstr[2] "%d файлов"
"""


def msgfmt_error_lines(po: Path) -> set[int]:
    done = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    return {int(m[1]) for m in re.finditer(r"\.po:(\d+): (?!warning)", done.stderr)}


def test_po_errors_are_what_msgfmt_rejects_the_rest_are_warnings(
    run_cli: Run, tmp_path: Path
) -> None:
    po = tmp_path / "ru.po"
    po.write_text(PO, encoding="utf-8")
    result = run_cli("check", po)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    errors = [line for line in lines[:-1] if ": warning: " not in line]
    assert errors == [
        # Russian form 0 is also 21, 31...: msgfmt wants every argument of msgid_plural there
        "ru.po:22: '%(model)s was changed': placeholder %(model)s missing",
        "ru.po:29: 'Hello %(name)s': placeholder %(name)s missing",
        "ru.po:33: '\\nLine': leading whitespace differs: '\\n' in source, '' in translation",
        "ru.po:36: 'Change %(model)s': unexpected placeholder %(x)s",
        "ru.po:40: '%d file': placeholder %d missing",
    ]
    # The same entries msgfmt -c rejects (it names the msgstr line, one or more below).
    rejected = msgfmt_error_lines(po)
    starts = sorted(int(line.split(":")[1]) for line in errors)
    assert len(rejected) == len(starts)
    assert all(any(0 < r - s <= 4 for s in starts) for r in rejected)
    warnings = [line for line in lines[:-1] if ": warning: " in line]
    assert any("'0 of %(cnt)s selected': warning: trailing whitespace" in w for w in warnings)
    assert any("' By %(filter_title)s ': warning: leading whitespace" in w for w in warnings)
    assert any("'Dates like %d %B': warning: unexpected placeholder %e" in w for w in warnings)
    assert any("'<b>Bold</b> text': warning: tag <b> missing" in w for w in warnings)
    assert lines[-1] == f"5 entries need attention; {len(warnings)} warnings"


def test_warnings_alone_pass_unless_strict(run_cli: Run, tmp_path: Path) -> None:
    po = tmp_path / "ru.po"
    po.write_text(PO.split('#, python-format\nmsgid "%(model)s')[0], encoding="utf-8")
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)]).returncode == 0
    result = run_cli("check", po)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("all entries translated and approved; ")
    assert run_cli("check", "--strict", po).exit_code == 1
    assert run_cli("approve", po).exit_code == 0  # nothing to refuse


JSON_SOURCE = (
    '{"greet": "Hello {{name}}", "bye": "Bye {{name}}", "ws": "Save ", "tag": "<b>Bold</b> text"}'
)
JSON_TARGET = (
    '{"greet": "Hallo {{name}} {{extra}}", "bye": "Tschüss", "ws": "Speichern",'
    ' "tag": "Fetter Text"}'
)
YAML_SOURCE = """\
en:
  errors:
    taken: "%{model} is already taken"
    date: "%d %B %Y"
    count: "%{count} items"
"""
YAML_TARGET = """\
de:
  errors:
    taken: "ist bereits vergeben"
    date: "%e. %B %Y"
    count: "%{count} Dinge %{what}"
"""


def test_json_and_yaml_fail_only_on_placeholders_the_runtime_cannot_fill(
    run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "en.json").write_text(JSON_SOURCE, encoding="utf-8")
    (tmp_path / "de.json").write_text(JSON_TARGET, encoding="utf-8")
    (tmp_path / "en.yml").write_text(YAML_SOURCE, encoding="utf-8")
    (tmp_path / "de.yml").write_text(YAML_TARGET, encoding="utf-8")
    result = run_cli("check", "de.json", "de.yml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "de.json:1: 'greet': unexpected placeholder {{extra}}",
        "de.json:1: 'bye': warning: placeholder {{name}} missing",
        "de.json:1: 'ws': warning: trailing whitespace differs: ' ' in source, '' in translation",
        "de.json:1: 'tag': warning: tag <b> missing",
        "de.json:1: 'tag': warning: tag </b> missing",
        "de.yml:3: 'errors.taken': warning: placeholder %{model} missing",
        "de.yml:4: 'errors.date': warning: placeholder %d missing",
        "de.yml:4: 'errors.date': warning: unexpected placeholder %e",
        "de.yml:5: 'errors.count': unexpected placeholder %{what}",
        "2 entries need attention; 7 warnings",
    ]
    refused = run_cli("approve", "de.json", "de.yml")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "de.json:1: 'greet': not approved: unexpected placeholder {{extra}}",
        "de.yml:5: 'errors.count': not approved: unexpected placeholder %{what}",
    ]


def test_a_machine_translation_awaiting_review_is_held_to_every_check(
    run_cli: Run, tmp_path: Path
) -> None:
    po = tmp_path / "ru.po"
    po.write_text(PO.replace('msgid "<b>Bold', '#, fuzzy\nmsgid "<b>Bold'), encoding="utf-8")
    lines = run_cli("check", po).stdout.splitlines()
    assert "ru.po:19: '<b>Bold</b> text': tag <b> missing" in lines  # an error now


def test_msgfmt_compares_argument_types_not_flags_and_skips_invalid_msgids(
    run_cli: Run, tmp_path: Path
) -> None:
    """Found on real catalogs: Django's Belarusian "%(value).s" (precision 0) and Sphinx's
    strftime pattern marked python-format ("%b %d, %Y" -> "%-d %b, %Y")."""
    po = tmp_path / "ca.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "%(value)s billion"\nmsgstr "%(value).s mil milions"\n\n'
        '#, python-format\nmsgid "%b %d, %Y"\nmsgstr "%-d %b, %Y"\n\n'
        '#, c-format\nmsgid "%5d files"\nmsgstr "%-d fitxers"\n',
        encoding="utf-8",
    )
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)]).returncode == 0
    result = run_cli("check", po)
    assert result.exit_code == 0, result.stdout


def test_sync_check_passes_a_framework_catalog_with_warnings_only(
    run_cli: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "app/locale/ru/LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    po.write_text(PO.split('#, python-format\nmsgid "%(model)s')[0], encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.l10n-qwen.files]]\ntarget = "app/locale/{locale}/LC_MESSAGES/django.po"\n',
        encoding="utf-8",
    )
    result = run_cli("sync", "--check")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "everything is up to date; 7 warnings"
    assert run_cli("sync", "--check", "--strict").exit_code == 1


def test_icu_a_formatter_refuses_is_an_error_a_dropped_case_a_warning(
    run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "en.json").write_text(
        '{"files": "{count, plural, =0 {No files} one {# file} other {# files}}",'
        ' "who": "{gender, select, male {He} female {She} other {They}} left"}',
        encoding="utf-8",
    )
    (tmp_path / "de.json").write_text(
        '{"files": "{count, plural, one {# Datei}}",'
        ' "who": "{gender, select, other {Die Person}} ist gegangen"}',
        encoding="utf-8",
    )
    result = run_cli("check", "de.json")
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines()[:-1] if ": warning: " not in line]
    assert errors == ["de.json:1: 'files': ICU {count, plural}: case 'other' missing"]
    assert "de.json:1: 'who': warning: ICU {gender, select}: case 'male' missing" in result.stdout
