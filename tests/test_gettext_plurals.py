"""The Plural-Forms table against GNU gettext's own ``msginit``, and against CLDR where gettext is
silent."""

from __future__ import annotations

import gettext
import subprocess

import polib
import pytest

from l10n_qwen import gettext_plurals
from l10n_qwen.languages import LANGUAGES, babel_locale

POT = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "x"\nmsgstr ""\n'

# Every Qwen-MT language, spelled as gettext spells it, and the regional variants with a line of
# their own (msginit gives pt_BR French's rule, pt Portugal's).
LOCALES = [("zh_TW" if lang.code == "zh_tw" else lang.code) for lang in LANGUAGES] + [
    "pt_BR",
    "pt_PT",
    "sr@latin",
    "fr_CA",
]


@pytest.fixture(scope="module")
def msginit_headers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    """What ``msginit --no-translator -l LOCALE`` writes as Plural-Forms, or None."""
    folder = tmp_path_factory.mktemp("msginit")
    pot = folder / "t.pot"
    pot.write_text(POT, encoding="utf-8")
    found: dict[str, str | None] = {}
    for locale in LOCALES:
        out = folder / f"{locale}.po"
        subprocess.run(
            ["msginit", "--no-translator", "-l", locale, "-i", str(pot), "-o", str(out)],
            check=True,
            capture_output=True,
        )
        found[locale] = polib.pofile(str(out)).metadata.get("Plural-Forms")
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_table_matches_msginit(locale: str, msginit_headers: dict[str, str | None]) -> None:
    written = msginit_headers[locale]
    ours = gettext_plurals.header(locale)
    if written is None:
        # gettext does not know this language: the line is ours, from CLDR, and says so.
        language = locale.split("_")[0].split("@")[0]
        assert language in gettext_plurals.FROM_CLDR, f"no line for {locale}"
        assert language not in gettext_plurals.MSGINIT, f"msginit no longer knows {locale}"
    else:
        assert ours == written


def test_languages_gettext_does_not_know_are_named(
    msginit_headers: dict[str, str | None],
) -> None:
    unknown = sorted(loc for loc, header in msginit_headers.items() if header is None)
    # The list a reader of this test wants: which lines come from CLDR rather than msginit.
    assert unknown == sorted(
        loc for loc in LOCALES if loc.split("_")[0] in gettext_plurals.FROM_CLDR
    )
    assert "ar" in unknown and "zh" in unknown and "hi" in unknown
    assert "fr" not in unknown and "ru" not in unknown and "pt_BR" not in unknown


def _forms(header: str) -> list[int]:
    expr = gettext_plurals._HEADER.match(header).group(2)
    choose = gettext.c2py(expr)
    return [choose(n) for n in range(1001)]


@pytest.mark.parametrize("key", sorted(gettext_plurals.TABLE))
def test_every_line_uses_each_of_its_forms(key: str) -> None:
    header = gettext_plurals.TABLE[key]
    nplurals = int(header.split(";")[0].split("=")[1])
    assert 1 <= nplurals <= gettext_plurals.MAX_FORMS
    assert sorted(set(_forms(header))) == list(range(nplurals))


@pytest.mark.parametrize(
    "code", sorted(c for c in gettext_plurals.FROM_CLDR if c not in ("fil", "oc"))
)
def test_lines_from_cldr_split_the_counts_as_cldr_does(code: str) -> None:
    rule = babel_locale(code).plural_form
    ours = _forms(gettext_plurals.TABLE[code])
    by_category: dict[str, set[int]] = {}
    for n, form in enumerate(ours):
        by_category.setdefault(rule(n), set()).add(form)
    # Each CLDR category maps onto exactly one form, and no two categories share one.
    assert all(len(forms) == 1 for forms in by_category.values()), by_category
    assert len({next(iter(f)) for f in by_category.values()}) == len(by_category)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", (2, "(n > 1)")),
        ("pt-BR", (2, "(n > 1)")),
        ("pt_PT", (2, "(n != 1)")),
        ("de_AT.UTF-8", (2, "(n != 1)")),
        ("zh_Hant", (1, "0")),
        ("sr@latin", gettext_plurals.plural_forms("ru")),
        ("ar", (6, gettext_plurals._ARABIC.split("plural=")[1].rstrip(";"))),
        ("xx", None),
    ],
)
def test_lookup_by_any_spelling(locale: str, expected: tuple[int, str] | None) -> None:
    assert gettext_plurals.plural_forms(locale) == expected
