"""What gettext shows after ``fill``: the compiled .mo looked up at several counts, per language.

The PO file is filled with the pseudo provider, compiled with GNU msgfmt and read back with
Python's ``gettext.GNUTranslations``: each count must show the translation of the right source.
"""

from __future__ import annotations

import gettext
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from l10n_qwen.pseudo import pseudo_localize
from tests.conftest import CliRun, msgfmt_check

RU = "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
#: Django's Hebrew rule (msginit writes nplurals=2): four forms.
HE = (
    "(n == 1 && n % 1 == 0) ? 0 : (n == 2 && n % 1 == 0) ? 1: "
    "(n % 10 == 0 && n % 1 == 0 && n > 10) ? 2 : 3"
)
#: Plural-Forms as msginit (and Django's catalogs) write them.
RULES = {
    "fr": (2, "(n > 1)"),
    "pt_BR": (2, "(n > 1)"),
    "ru": (3, RU),
    "uk": (3, RU),
    "pl": (3, "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "cs": (3, "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"),
    "sl": (4, "(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3)"),
    "ar": (6, "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"),
    "he": (4, HE),
    "ga": (5, "n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4"),
    "ja": (1, "0"),
}
COUNTS = (0, 1, 2, 5, 21, 101)
#: (flag, msgid, msgid_plural): both with the number; the number only in the plural; none.
MESSAGES = [
    ("python-format", "%(count)d apple", "%(count)d apples"),
    ("c-format", "One file", "%d files"),
    (None, "Delete the selected item", "Delete the selected items"),
]


def _po(locale: str) -> str:
    nplurals, expr = RULES[locale]
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Language: {locale}\\n"',
        f'"Plural-Forms: nplurals={nplurals}; plural={expr};\\n"',
    ]
    for flag, singular, plural in MESSAGES:
        lines += ["", f"#, {flag}"] if flag else [""]
        lines += [f'msgid "{singular}"', f'msgid_plural "{plural}"']
        lines += [f'msgstr[{i}] ""' for i in range(nplurals)]
    return "\n".join(lines) + "\n"


def expected_source(locale: str, singular: str, plural: str, n: int) -> str:
    """The source whose translation gettext should show for ``n``, stated independently.

    A count whose form differs from the form for 1 shows the plural. The form for 1 shows the
    singular, unless it serves other counts too and only the plural has the number (Russian
    "One file" / "%d files": form 0 is also 21, 31, so it is "%d файл").
    """
    nplurals, expr = RULES[locale]
    if nplurals == 1:
        return plural
    form_of = gettext.c2py(expr)
    if form_of(n) != form_of(1):
        return plural
    shares = any(form_of(m) == form_of(1) for m in range(1001) if m != 1)
    number_only_in_plural = "%" in plural and "%" not in singular
    return plural if shares and number_only_in_plural else singular


def compile_mo(po: Path) -> gettext.GNUTranslations:
    mo = po.with_suffix(".mo")
    subprocess.run(["msgfmt", "--use-fuzzy", "-o", str(mo), str(po)], check=True)
    with mo.open("rb") as f:
        return gettext.GNUTranslations(f)


@pytest.mark.parametrize("locale", sorted(RULES))
def test_gettext_shows_the_right_form(
    run_cli: Callable[..., CliRun], tmp_path: Path, locale: str
) -> None:
    po = tmp_path / f"{locale}.po"
    po.write_text(_po(locale), encoding="utf-8")
    # Qwen-MT has no Irish: the file's own Plural-Forms still decides the forms.
    language = ["--target-lang", "en"] if locale == "ga" else []
    result = run_cli("fill", po, "--provider", "pseudo", *language)
    assert result.exit_code == 0, result
    msgfmt_check(po)
    subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", "/dev/null", str(po)], check=True)
    translations = compile_mo(po)
    for _, singular, plural in MESSAGES:
        for n in COUNTS:
            shown = translations.ngettext(singular, plural, n)
            wanted = pseudo_localize(expected_source(locale, singular, plural, n))
            assert shown == wanted, (locale, singular, n)


def test_french_one_is_the_singular_and_zero_shares_it(
    run_cli: Callable[..., CliRun], tmp_path: Path
) -> None:
    """The bug report: French n=1 showed the plural sentence."""
    po = tmp_path / "fr.po"
    po.write_text(_po("fr"), encoding="utf-8")
    run_cli("fill", po, "--provider", "pseudo")
    translations = compile_mo(po)
    one = translations.ngettext("%(count)d apple", "%(count)d apples", 1)
    assert one == pseudo_localize("%(count)d apple")
    assert translations.ngettext("%(count)d apple", "%(count)d apples", 2) == pseudo_localize(
        "%(count)d apples"
    )
    # "One file" for 0 and 1 would say "one" for 0: that form carries the number instead.
    assert translations.ngettext("One file", "%d files", 0) == pseudo_localize("%d files")
