from __future__ import annotations

from pathlib import Path

import pytest

from l10n_qwen import languages
from l10n_qwen.errors import ConfigError
from l10n_qwen.formats.plurals import rules_for
from l10n_qwen.languages import (
    LANGUAGES,
    babel_locale,
    locale_from_path,
    normalize,
    qwen_name,
    resolve,
)


def test_table_matches_protocol_document() -> None:
    assert len(LANGUAGES) == 92
    assert len({lang.code for lang in LANGUAGES}) == 92
    assert len({lang.name for lang in LANGUAGES}) == 92
    assert sum(lang.lite for lang in LANGUAGES) == 31
    assert LANGUAGES[0] == languages.Language("en", "English", True)
    assert LANGUAGES[2] == languages.Language("zh_tw", "Traditional Chinese", True)
    assert LANGUAGES[-1] == languages.Language("fa", "Western Persian", True)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("de", "German"),
        ("de_DE", "German"),
        ("de-AT", "German"),
        ("DE-at", "German"),
        ("de_DE.UTF-8", "German"),
        ("de_CH@euro", "German"),
        ("de-CH-1901", "German"),
        ("de-DE-u-co-phonebk", "German"),
        ("en", "English"),
        ("en-US-x-twain", "English"),
        ("pt_BR", "Portuguese"),
        ("pt-br", "Portuguese"),
        ("pt-PT", "Portuguese"),
        ("es-419", "Spanish"),
        ("ca-ES-valencia", "Catalan"),
        ("zh", "Chinese"),
        ("zh_CN", "Chinese"),
        ("zh_Hans", "Chinese"),
        ("zh-SG", "Chinese"),
        ("zh-Hans-HK", "Chinese"),
        ("zh-cmn-Hans-CN", "Chinese"),
        ("zh_TW", "Traditional Chinese"),
        ("zh_tw", "Traditional Chinese"),
        ("zh-Hant", "Traditional Chinese"),
        ("zh_hant", "Traditional Chinese"),
        ("zh_HK", "Traditional Chinese"),
        ("zh_MO", "Traditional Chinese"),
        ("zh-Hant-CN", "Traditional Chinese"),
        ("zh_CN@hant", "Traditional Chinese"),
        ("yue", "Cantonese"),
        ("yue_HK", "Cantonese"),
        ("zh-yue", "Cantonese"),
        ("zh_yue", "Cantonese"),
        ("nb", "Norwegian Bokmål"),
        ("no", "Norwegian Bokmål"),
        ("nb_NO", "Norwegian Bokmål"),
        ("no_NO.UTF-8", "Norwegian Bokmål"),
        ("nn", "Norwegian Nynorsk"),
        ("nn-NO", "Norwegian Nynorsk"),
        ("fil", "Tagalog"),
        ("fil_PH", "Tagalog"),
        ("tl", "Tagalog"),
        ("sq", "Tosk Albanian"),
        ("sq_AL", "Tosk Albanian"),
        ("az", "North Azerbaijani"),
        ("az-Latn-AZ", "North Azerbaijani"),
        ("uz", "Northern Uzbek"),
        ("uz_UZ@cyrillic", "Northern Uzbek"),
        ("fa", "Western Persian"),
        ("fa_IR", "Western Persian"),
        ("sr", "Serbian"),
        ("sr_Latn", "Serbian"),
        ("sr@latin", "Serbian"),
        ("sr_RS.UTF-8@latin", "Serbian"),
        ("iw", "Hebrew"),
        ("he_IL", "Hebrew"),
        ("in", "Indonesian"),
        ("ar_EG", "Arabic"),
        ("ast", "Asturian"),
        ("ceb", "Cebuano"),
        ("arz", "Egyptian Arabic"),
        ("acm", "Mesopotamian Arabic"),
        ("ary", "Moroccan Arabic"),
        ("ars", "Najdi Arabic"),
        ("apc", "North Levantine Arabic"),
        ("ajp", "South Levantine Arabic"),
        ("acq", "Ta’izzi-Adeni Arabic"),
        ("aeb", "Tunisian Arabic"),
        ("ar-aeb", "Tunisian Arabic"),
        ("mai", "Maithili"),
        ("pag", "Pangasinan"),
        ("scn", "Sicilian"),
        ("vec", "Venetian"),
        ("war", "Waray"),
        ("or", "Odia"),
        ("is", "Icelandic"),
        # English names, any case; also a few everyday ones.
        ("German", "German"),
        ("german", "German"),
        ("TRADITIONAL CHINESE", "Traditional Chinese"),
        ("Norwegian Bokmål", "Norwegian Bokmål"),
        ("Ta'izzi-Adeni Arabic", "Ta’izzi-Adeni Arabic"),
        ("Persian", "Western Persian"),
        ("Filipino", "Tagalog"),
        ("Lao", "Lao"),
    ],
)
def test_resolve(code: str, name: str) -> None:
    assert resolve(code).name == name


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_every_code_and_name_resolves_to_itself(lang: languages.Language) -> None:
    assert resolve(lang.code) == lang
    assert resolve(lang.name) == lang
    assert rules_for(lang.code, "none").cardinal  # Babel (or a stand-in) knows its plurals


@pytest.mark.parametrize(
    "code", ["xx", "zz_ZZ", "ga", "tlh", "klingon", "", "C", "de_DE_XX_YY", "12", "de!"]
)
def test_unknown_codes_are_config_errors(code: str) -> None:
    with pytest.raises(ConfigError, match="unknown language code") as info:
        resolve(code)
    assert "l10n-qwen languages" in str(info.value)


def test_unknown_code_names_the_language_and_suggests() -> None:
    with pytest.raises(ConfigError, match=r"'ga' \(Irish\)"):
        resolve("ga")
    with pytest.raises(ConfigError, match="did you mean 'German'"):
        resolve("Germn")


@pytest.mark.parametrize(
    ("code", "model", "name"),
    [
        ("de", "qwen-mt-flash", "German"),
        ("de", "qwen-mt-lite", "German"),
        ("fa", "qwen-mt-plus", "Western Persian"),
        ("fa", "qwen-mt-lite", "Persian"),
        ("fa_IR", "qwen-mt-lite", "Persian"),
        ("zh_TW", "qwen-mt-lite", "Traditional Chinese"),
        ("fil", "qwen-mt-lite", "Tagalog"),
        ("uk", "qwen-mt-turbo", "Ukrainian"),
        ("auto", "qwen-mt-lite", "auto"),
        ("Auto", "qwen-mt-flash", "auto"),
    ],
)
def test_qwen_name(code: str, model: str, name: str) -> None:
    assert qwen_name(code, model) == name


@pytest.mark.parametrize("code", ["uk", "el", "ro", "yue", "sr@latin", "nb"])
def test_lite_rejects_languages_it_lacks(code: str) -> None:
    with pytest.raises(ConfigError, match=r"qwen-mt-lite does not support") as info:
        qwen_name(code, "qwen-mt-lite")
    assert resolve(code).name in str(info.value)


def test_supported() -> None:
    assert languages.supported("qwen-mt-flash") == LANGUAGES
    lite = languages.supported("qwen-mt-lite")
    assert len(lite) == 31
    assert all(lang.lite for lang in lite)


@pytest.mark.parametrize(
    ("code", "canonical"),
    [
        ("de", "de"),
        ("de-AT", "de_AT"),
        ("DE_at", "de_AT"),
        ("zh-Hant", "zh_Hant"),
        ("zh-hant-tw", "zh_Hant_TW"),
        ("zh_tw", "zh_TW"),
        ("pt-br", "pt_BR"),
        ("de_DE.UTF-8", "de_DE"),
        ("sr@latin", "sr@latin"),
        ("sr_RS.UTF-8@Latin", "sr_RS@latin"),
        ("es-419", "es_419"),
        ("ca-es-valencia", "ca_ES_VALENCIA"),
        ("en-US-x-twain", "en_US"),
        ("iw", "iw"),
        ("German", "de"),
        ("Traditional Chinese", "zh_TW"),
    ],
)
def test_normalize(code: str, canonical: str) -> None:
    assert normalize(code) == canonical


def test_normalize_rejects_non_codes() -> None:
    with pytest.raises(ConfigError):
        normalize("not a locale")


@pytest.mark.parametrize(
    ("code", "categories"),
    [
        ("en", ("one", "other")),
        ("de_DE", ("one", "other")),
        ("fr", ("one", "many", "other")),
        ("ru", ("one", "few", "many", "other")),
        ("pl", ("one", "few", "many", "other")),
        ("ja", ("other",)),
        ("zh_TW", ("other",)),
        ("ar", ("zero", "one", "two", "few", "many", "other")),
        ("arz", ("zero", "one", "two", "few", "many", "other")),
        ("cy", ("zero", "one", "two", "few", "many", "other")),
        ("sr@latin", ("one", "few", "other")),
        ("war", ("one", "other")),
    ],
)
def test_plural_categories(code: str, categories: tuple[str, ...]) -> None:
    assert rules_for(code, "none").cardinal == categories


@pytest.mark.parametrize(
    ("code", "identifier"),
    [
        ("zh_tw", "zh_Hant_TW"),
        ("zh-Hant", "zh_Hant"),
        ("zh-SG", "zh_Hans_SG"),
        ("sr@latin", "sr_Latn"),
        ("iw", "he"),
        ("no", "nb"),
        ("tl", "fil"),
        ("de_XX", "de"),  # unknown region: the language's rules still apply
        ("ars", "ar_SA"),
    ],
)
def test_babel_locale(code: str, identifier: str) -> None:
    assert str(babel_locale(code)) == identifier


def test_babel_locale_unknown_is_config_error() -> None:
    with pytest.raises(ConfigError):
        babel_locale("xx")


@pytest.mark.parametrize(
    ("path", "locale"),
    [
        ("de.po", "de"),
        ("po/pt_BR.po", "pt_BR"),
        ("locales/pt_BR/LC_MESSAGES/app.po", "pt_BR"),
        ("locale/sr@latin/LC_MESSAGES/django.po", "sr@latin"),
        ("de.json", "de"),
        ("zh-Hant.yml", "zh_Hant"),
        ("config/locales/en.yml", "en"),
        ("locales/de/app.json", "de"),
        ("public/locales/fr/translation.json", "fr"),
        ("app.fr.json", "fr"),
        ("config/locales/devise.pt-BR.yml", "pt_BR"),
        ("messages_pt_BR.yml", "pt_BR"),
        ("i18n/ga.po", "ga"),  # not a Qwen-MT language, but a locale: resolve() says why
        ("messages.pot", None),
        ("fixtures/simple/messages.po", None),
        ("src/run/app.json", None),
        ("/work/project/translations/strings.json", None),
    ],
)
def test_locale_from_path(path: str, locale: str | None) -> None:
    assert locale_from_path(Path(path)) == locale


def test_locale_from_path_stops_three_directories_up() -> None:
    assert locale_from_path(Path("de/a/b/c/app.json")) is None
    assert locale_from_path(Path("de/a/b/app.json")) == "de"
