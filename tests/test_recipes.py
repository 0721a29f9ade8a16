"""The README's three recipes, end to end with the frameworks' own tools.

Django's ``makemessages``, Babel's ``pybabel extract/update`` and GNU ``xgettext``/``msgmerge``
keep the catalogs up to date; ``l10n-qwen sync`` fills and checks them; the result is compiled
and looked up through gettext.
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from l10n_qwen.pseudo import pseudo_localize
from tests.conftest import CliRun, msgfmt_check

Run = Callable[..., CliRun]
BIN = Path(sys.executable).parent  # django-admin and pybabel, installed with the test extra
APPLE = ("You have %(count)d apple.", "You have %(count)d apples.")
SOURCE = """\
from gettext import gettext as _, ngettext


def notes(count):
    title = _("{title}")
    return title, ngettext("{one}", "{many}", count) % {{"count": count}}
"""
DJANGO_SOURCE = SOURCE.replace("from gettext import", "from django.utils.translation import")


def write_source(path: Path, title: str, template: str = SOURCE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template.format(title=title, one=APPLE[0], many=APPLE[1]), encoding="utf-8")


def tool(*args: str | Path, cwd: Path) -> None:
    """Run one of the frameworks' commands; fail the test with its output if it fails."""
    name = str(args[0])
    exe = shutil.which(name, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    assert exe is not None, f"{name} is not installed"
    done = subprocess.run(
        [exe, *map(str, args[1:])], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"


def configure(root: Path, table: str) -> None:
    (root / "pyproject.toml").write_text(f"[[tool.l10n-qwen.files]]\n{table}\n", encoding="utf-8")


def lookups(po: Path) -> gettext.GNUTranslations:
    """Compile ``po`` as the framework would (fuzzy entries left out) and load it."""
    mo = po.with_suffix(".mo")
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)
    with mo.open("rb") as f:
        return gettext.GNUTranslations(f)


def fill_approve_check(run_cli: Run, *targets: Path) -> None:
    """sync (pseudo), the gate fails until approve, then passes."""
    result = run_cli("sync", "--provider", "pseudo")
    assert result.exit_code == 0, result.stdout + result.stderr
    for po in targets:
        msgfmt_check(po)
        assert "#|" not in po.read_text(encoding="utf-8")
    assert run_cli("sync", "--check").exit_code == 1  # awaiting review
    for po in targets:
        assert run_cli("approve", po).exit_code == 0
    result = run_cli("sync", "--check")
    assert result.exit_code == 0, result.stdout


def assert_french(po: Path, title: str) -> None:
    shown = lookups(po)
    assert shown.gettext(title) == pseudo_localize(title)
    assert shown.ngettext(*APPLE, 1) == pseudo_localize(APPLE[0])  # the bug: n=1 was plural
    assert shown.ngettext(*APPLE, 0) == pseudo_localize(APPLE[0])  # French: 0 is singular
    assert shown.ngettext(*APPLE, 5) == pseudo_localize(APPLE[1])


def assert_russian(po: Path) -> None:
    shown = lookups(po)
    for n, source in ((1, 0), (21, 0), (2, 1), (5, 1), (11, 1), (101, 0)):
        assert shown.ngettext(*APPLE, n) == pseudo_localize(APPLE[source]), n


def first_round(run_cli: Run, root: Path, table: str, fr: Path, ru: Path) -> None:
    """Configure the file set, sync, approve, and look the strings up."""
    configure(root, table)
    fill_approve_check(run_cli, fr, ru)
    assert_french(fr, "My notes")
    assert_russian(ru)


def test_django_makemessages(run_cli: Run, tmp_path: Path) -> None:
    app = tmp_path / "app"
    write_source(app / "views.py", "My notes", DJANGO_SOURCE)
    (app / "locale").mkdir()
    tool("django-admin", "makemessages", "-l", "fr", "-l", "ru", cwd=app)
    fr = app / "locale/fr/LC_MESSAGES/django.po"
    ru = app / "locale/ru/LC_MESSAGES/django.po"
    first_round(run_cli, tmp_path, 'target = "app/locale/{locale}/LC_MESSAGES/django.po"', fr, ru)

    # The source changes; makemessages borrows the old translation as a fuzzy "#|" guess.
    write_source(app / "views.py", "My saved notes", DJANGO_SOURCE)
    tool("django-admin", "makemessages", "-l", "fr", "-l", "ru", cwd=app)
    guess = polib.pofile(str(fr)).find("My saved notes")
    assert guess is not None and guess.fuzzy and guess.previous_msgid == "My notes"
    assert run_cli("approve", fr).exit_code == 1  # a guess is not approved
    fill_approve_check(run_cli, fr, ru)  # a plain sync retranslates it
    assert_french(fr, "My saved notes")


def test_flask_babel(run_cli: Run, tmp_path: Path) -> None:
    write_source(tmp_path / "app/views.py", "My notes")
    (tmp_path / "babel.cfg").write_text("[python: app/**.py]\n", encoding="utf-8")
    extract = ("pybabel", "extract", "-F", "babel.cfg", "-o", "messages.pot", ".")
    tool(*extract, cwd=tmp_path)
    for locale in ("fr", "ru"):
        init = ("pybabel", "init", "-i", "messages.pot", "-d", "translations", "-l", locale)
        tool(*init, cwd=tmp_path)
    fr = tmp_path / "translations/fr/LC_MESSAGES/messages.po"
    ru = tmp_path / "translations/ru/LC_MESSAGES/messages.po"
    table = 'target = "translations/{locale}/LC_MESSAGES/messages.po"'
    first_round(run_cli, tmp_path, table, fr, ru)

    write_source(tmp_path / "app/views.py", "My saved notes")
    tool(*extract, cwd=tmp_path)
    update = ("pybabel", "update", "-i", "messages.pot", "-d", "translations", "--previous")
    tool(*update, cwd=tmp_path)
    assert polib.pofile(str(fr)).find("My saved notes").previous_msgid == "My notes"
    fill_approve_check(run_cli, fr, ru)
    assert_french(fr, "My saved notes")


def test_xgettext_and_msgmerge(run_cli: Run, tmp_path: Path) -> None:
    write_source(tmp_path / "src/notes.py", "My notes")
    xgettext = ("xgettext", "-L", "Python", "-k_", "-kngettext:1,2", "-o", "po/messages.pot")
    (tmp_path / "po").mkdir()
    tool(*xgettext, "src/notes.py", cwd=tmp_path)
    table = 'template = "po/messages.pot"\ntarget = "po/{locale}.po"\nlocales = ["fr", "ru"]'
    fr, ru = tmp_path / "po/fr.po", tmp_path / "po/ru.po"
    first_round(run_cli, tmp_path, table, fr, ru)  # sync creates them, as msginit would

    write_source(tmp_path / "src/notes.py", "My saved notes")
    tool(*xgettext, "src/notes.py", cwd=tmp_path)
    fill_approve_check(run_cli, fr, ru)  # sync merges with msgmerge, then fills
    assert_french(fr, "My saved notes")
    assert polib.pofile(str(fr)).find("My notes") is None  # gone (obsolete)


@pytest.mark.parametrize("table", ['target = "po/{locale}.json"', 'target = "po/{locale}.txt"'])
def test_only_po_targets_go_without_a_template(run_cli: Run, tmp_path: Path, table: str) -> None:
    configure(tmp_path, table)
    result = run_cli("sync", "--check")
    assert result.exit_code == 2
    assert "only .po targets can go without a 'template'" in result.stderr
