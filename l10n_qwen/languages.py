"""Locale codes <-> Qwen-MT language names, and which CLDR plural rules apply (from Babel).

Qwen-MT takes a language's English name ("German", "Traditional Chinese"); users write locale
codes in POSIX or BCP 47 spelling (``de_DE.UTF-8``, ``pt-BR``, ``zh-Hant``, ``sr@latin``).
``resolve`` maps any of them onto one of the 92 languages of ``LANGUAGES``::

    >>> resolve("pt-br").name
    'Portuguese'
    >>> qwen_name("fa", "qwen-mt-lite")
    'Persian'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import babel
from babel import localedata

from .errors import ConfigError
from .service import LITE_MODEL


@dataclass(frozen=True)
class Language:
    """One Qwen-MT language: Alibaba's code, the English name to send, and whether lite has it."""

    code: str
    name: str
    lite: bool


# In the order of the protocol document (qwen-mt-protocol.md, "Languages").
LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", True),
    Language("zh", "Chinese", True),
    Language("zh_tw", "Traditional Chinese", True),
    Language("ru", "Russian", True),
    Language("ja", "Japanese", True),
    Language("ko", "Korean", True),
    Language("es", "Spanish", True),
    Language("fr", "French", True),
    Language("pt", "Portuguese", True),
    Language("de", "German", True),
    Language("it", "Italian", True),
    Language("th", "Thai", True),
    Language("vi", "Vietnamese", True),
    Language("id", "Indonesian", True),
    Language("ms", "Malay", True),
    Language("ar", "Arabic", True),
    Language("hi", "Hindi", True),
    Language("he", "Hebrew", True),
    Language("my", "Burmese", False),
    Language("ta", "Tamil", False),
    Language("ur", "Urdu", True),
    Language("bn", "Bengali", True),
    Language("pl", "Polish", True),
    Language("nl", "Dutch", True),
    Language("ro", "Romanian", False),
    Language("tr", "Turkish", True),
    Language("km", "Khmer", True),
    Language("lo", "Lao", False),
    Language("yue", "Cantonese", False),
    Language("cs", "Czech", True),
    Language("el", "Greek", False),
    Language("sv", "Swedish", True),
    Language("hu", "Hungarian", True),
    Language("da", "Danish", True),
    Language("fi", "Finnish", True),
    Language("uk", "Ukrainian", False),
    Language("bg", "Bulgarian", False),
    Language("sr", "Serbian", False),
    Language("te", "Telugu", False),
    Language("af", "Afrikaans", False),
    Language("hy", "Armenian", False),
    Language("as", "Assamese", False),
    Language("ast", "Asturian", False),
    Language("eu", "Basque", False),
    Language("be", "Belarusian", False),
    Language("bs", "Bosnian", False),
    Language("ca", "Catalan", False),
    Language("ceb", "Cebuano", False),
    Language("hr", "Croatian", False),
    Language("arz", "Egyptian Arabic", False),
    Language("et", "Estonian", False),
    Language("gl", "Galician", False),
    Language("ka", "Georgian", False),
    Language("gu", "Gujarati", False),
    Language("is", "Icelandic", False),
    Language("jv", "Javanese", False),
    Language("kn", "Kannada", False),
    Language("kk", "Kazakh", False),
    Language("lv", "Latvian", False),
    Language("lt", "Lithuanian", False),
    Language("lb", "Luxembourgish", False),
    Language("mk", "Macedonian", False),
    Language("mai", "Maithili", False),
    Language("mt", "Maltese", False),
    Language("mr", "Marathi", False),
    Language("acm", "Mesopotamian Arabic", False),
    Language("ary", "Moroccan Arabic", False),
    Language("ars", "Najdi Arabic", False),
    Language("ne", "Nepali", False),
    Language("az", "North Azerbaijani", False),
    Language("apc", "North Levantine Arabic", False),
    Language("uz", "Northern Uzbek", False),
    Language("nb", "Norwegian Bokmål", False),
    Language("nn", "Norwegian Nynorsk", False),
    Language("oc", "Occitan", False),
    Language("or", "Odia", False),
    Language("pag", "Pangasinan", False),
    Language("scn", "Sicilian", False),
    Language("sd", "Sindhi", False),
    Language("si", "Sinhala", False),
    Language("sk", "Slovak", False),
    Language("sl", "Slovenian", False),
    Language("ajp", "South Levantine Arabic", False),
    Language("sw", "Swahili", False),
    Language("tl", "Tagalog", True),
    Language("acq", "Ta’izzi-Adeni Arabic", False),
    Language("sq", "Tosk Albanian", False),
    Language("aeb", "Tunisian Arabic", False),
    Language("vec", "Venetian", False),
    Language("war", "Waray", False),
    Language("cy", "Welsh", False),
    Language("fa", "Western Persian", True),
)

_BY_CODE = {lang.code: lang for lang in LANGUAGES}

# Language subtags users write that are not Alibaba's code for the same language: deprecated
# ISO 639-1 codes, Filipino, ISO 639-3 codes of the variety Qwen-MT names (pes: Western Persian).
_CODE_ALIASES = {
    "iw": "he",
    "in": "id",
    "mo": "ro",
    "no": "nb",
    "nob": "nb",
    "nno": "nn",
    "fil": "tl",
    "cmn": "zh",
    "zsm": "ms",
    "arb": "ar",
    "pes": "fa",
    "fas": "fa",
    "als": "sq",
    "azj": "az",
    "uzn": "uz",
    "swh": "sw",
    "ekk": "et",
    "lvs": "lv",
    "npi": "ne",
    "ory": "or",
}

_TRADITIONAL_REGIONS = frozenset({"TW", "HK", "MO"})

# English names besides the ones Qwen-MT uses, so `--target-lang Persian` works too.
_NAME_ALIASES = {
    "persian": "fa",
    "farsi": "fa",
    "filipino": "tl",
    "norwegian": "nb",
    "albanian": "sq",
    "azerbaijani": "az",
    "uzbek": "uz",
    "simplified chinese": "zh",
    "chinese (simplified)": "zh",
    "chinese (traditional)": "zh_tw",
}


def _name_key(name: str) -> str:
    # "Ta'izzi-Adeni Arabic" typed with an ASCII apostrophe must match the table's ’.
    return " ".join(name.replace("’", "'").casefold().split())


_BY_NAME = {_name_key(lang.name): lang for lang in LANGUAGES} | {
    _name_key(alias): _BY_CODE[code] for alias, code in _NAME_ALIASES.items()
}

# POSIX "@modifier"s that name a script.
_MODIFIER_SCRIPTS = {"latin": "Latn", "cyrillic": "Cyrl", "hant": "Hant", "hans": "Hans"}


@dataclass(frozen=True)
class _Parts:
    language: str  # lower case, as written (before aliases)
    script: str | None = None  # title case, as written
    region: str | None = None  # upper case (or three digits)
    variants: tuple[str, ...] = ()  # upper case, as Babel writes them
    modifier: str | None = None  # lower case, POSIX only

    @property
    def effective_script(self) -> str | None:
        """The script, also when only a POSIX modifier names it (sr@latin)."""
        return self.script or _MODIFIER_SCRIPTS.get(self.modifier or "")


_SEP = re.compile(r"[-_]")


def _parse(locale: str) -> _Parts | None:
    """Split a POSIX or BCP 47 code into its parts; None if it is not one."""
    text = locale.strip()
    text, _, modifier = text.partition("@")
    text = text.partition(".")[0]  # the charset: de_DE.UTF-8
    subtags = _SEP.split(text)
    language = subtags[0].lower()
    if not (2 <= len(language) <= 3 and language.isascii() and language.isalpha()):
        return None
    rest = subtags[1:]
    # BCP 47 extlang: "zh-yue" is Cantonese, "ar-aeb" Tunisian Arabic.
    if rest and len(rest[0]) == 3 and rest[0].isalpha() and rest[0].isascii():
        language = rest.pop(0).lower()
    script = region = None
    variants: list[str] = []
    for sub in rest:
        if not sub.isascii() or not sub.isalnum():
            return None
        if len(sub) == 1:
            break  # extensions and private use ("-u-co-phonebk", "-x-...") change no language
        if len(sub) == 4 and sub.isalpha() and script is None and region is None and not variants:
            script = sub.title()
        elif (len(sub) == 2 and sub.isalpha()) or (len(sub) == 3 and sub.isdigit()):
            if region is not None or variants:
                return None
            region = sub.upper()
        elif 5 <= len(sub) <= 8 or (len(sub) == 4 and sub[0].isdigit()):
            variants.append(sub.upper())
        else:
            return None
    return _Parts(language, script, region, tuple(variants), modifier.strip().lower() or None)


def _language_of(parts: _Parts) -> Language | None:
    code = _CODE_ALIASES.get(parts.language, parts.language)
    if code == "zh":
        # Script decides; without one, the regions that write Traditional characters do.
        script = parts.effective_script
        traditional = script == "Hant" or (script is None and parts.region in _TRADITIONAL_REGIONS)
        return _BY_CODE["zh_tw" if traditional else "zh"]
    return _BY_CODE.get(code)


def _unknown(locale: str, parts: _Parts | None) -> ConfigError:
    what = f"unknown language code {locale.strip()!r}"
    if parts is not None:
        try:
            english = babel.Locale.parse(parts.language).english_name
        except (ValueError, babel.UnknownLocaleError):
            english = None
        if english:
            what += f" ({english}): Qwen-MT does not translate into or from it"
    candidates = [lang.code for lang in LANGUAGES] + [lang.name for lang in LANGUAGES]
    close = difflib.get_close_matches(locale.strip(), candidates, n=3, cutoff=0.7)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return ConfigError(f"{what}{hint} (`l10n-qwen languages` lists the supported ones)")


def resolve(locale: str) -> Language:
    """The Qwen-MT language for a locale code (any spelling) or English name; ConfigError if none.

    >>> resolve("zh-HK").name
    'Traditional Chinese'
    """
    by_name = _BY_NAME.get(_name_key(locale))
    if by_name is not None:
        return by_name
    parts = _parse(locale)
    lang = _language_of(parts) if parts is not None else None
    if lang is None:
        raise _unknown(locale, parts)
    return lang


def qwen_name(locale: str, model: str) -> str:
    """The ``source_lang``/``target_lang`` to send for ``locale`` on ``model``; "auto" stays."""
    if locale.strip().lower() == "auto":
        return "auto"
    lang = resolve(locale)
    if model.strip().lower().startswith(LITE_MODEL):
        if not lang.lite:
            raise ConfigError(
                f"{model} does not support {lang.name} ({locale.strip()!r}); "
                "qwen-mt-flash and qwen-mt-plus support all 92 languages"
            )
        if lang.code == "fa":
            return "Persian"  # lite's own name for it
    return lang.name


_SCRIPT_NAMES = {"Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic", "Deva": "Devanagari"}


def script_hint(locale: str) -> str | None:
    """An English instruction naming the script a locale asks for, where its language name
    does not say it (``sr@latin``, ``sr_Latn``, ``uz_Cyrl``); None otherwise.

    Qwen-MT has one "Serbian"; the script is the only way to tell ``sr`` and ``sr@latin`` apart.
    Chinese scripts are separate Qwen-MT languages and need no hint.
    """
    parts = _parse(locale)
    script = parts.effective_script if parts else None
    name = _SCRIPT_NAMES.get(script or "")
    return f"Write the translation in the {name} script." if name else None


#: Letters NFKD does not take apart, and punctuation CLDR's English names use.
_ASCII_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L",
     "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "œ": "oe", "Œ": "OE", "ı": "i",
     "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)  # fmt: skip


def ascii_english(text: str) -> str:
    """``text`` in plain ASCII, for the ``domains`` prompt, which the reference asks in English
    (a strict server refuses other characters): accents dropped, the rest left out.

    >>> ascii_english("Norwegian Bokmål, Côte d’Ivoire, São Tomé & Príncipe, Åland Islands")
    "Norwegian Bokmal, Cote d'Ivoire, Sao Tome & Principe, Aland Islands"
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_LETTERS))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def locale_hint(locale: str) -> str | None:
    """English instructions for what a locale asks beyond its Qwen-MT language: the script
    (``sr@latin``) and the region (``pt_BR``: Portuguese as used in Brazil); None if nothing."""
    parts = _parse(locale)
    script = script_hint(locale)
    hints = [script] if script else []
    if parts is not None and parts.region:
        try:
            region = babel.Locale("en").territories.get(parts.region)
        except (ValueError, babel.UnknownLocaleError):  # pragma: no cover - Babel ships "en"
            region = None
        if region:
            hints.append(f"Write {resolve(locale).name} as it is used in the region {region}.")
    return ascii_english(" ".join(hints)) or None


def supported(model: str | None = None) -> tuple[Language, ...]:
    """The languages ``model`` can translate (all of them unless it is qwen-mt-lite)."""
    if model is not None and model.strip().lower().startswith(LITE_MODEL):
        return tuple(lang for lang in LANGUAGES if lang.lite)
    return LANGUAGES


def normalize(locale: str) -> str:
    """The canonical spelling of a locale code: ``pt-br`` -> ``pt_BR``, ``zh-Hant`` -> ``zh_Hant``.

    Only the spelling changes (case, separators, charset dropped, ``@modifier`` kept); the
    language subtag stays as written, so ``iw`` remains ``iw``. English names give their code.
    ConfigError if it is not a locale code at all.
    """
    parts = _parse(locale)
    if parts is None:
        by_name = _BY_NAME.get(_name_key(locale))
        if by_name is None:
            raise _unknown(locale, None)
        parts = _parse(by_name.code)
        assert parts is not None
    code = "_".join(
        p for p in (parts.language, parts.script, parts.region, *parts.variants) if p is not None
    )
    if parts.modifier:
        code += f"@{parts.modifier}"  # sr@latin stays sr@latin: gettext's own spelling
    return code


# Languages CLDR (hence Babel) has no plural rules for: the closest relative whose rules apply.
# Arabic varieties use Arabic's rules (region of the variety, for Babel's sake); Waray and
# Pangasinan are Philippine languages like Cebuano and Filipino, which share one rule.
_BABEL_STANDIN = {
    "arz": "ar_EG",
    "acm": "ar_IQ",
    "ary": "ar_MA",
    "ars": "ar_SA",
    "apc": "ar_LB",
    "ajp": "ar_JO",
    "acq": "ar_YE",
    "aeb": "ar_TN",
    "war": "ceb",
    "pag": "fil",
    "tl": "fil",
}


def babel_locale(locale: str) -> babel.Locale:
    """The Babel locale whose (plural) rules apply to ``locale``; ConfigError if unsupported."""
    lang = resolve(locale)
    standin = _BABEL_STANDIN.get(lang.code)
    if standin is not None:
        return babel.Locale.parse(standin)
    parts = _parse(locale) or _Parts(lang.code)
    language = "zh" if lang.code == "zh_tw" else lang.code
    script = parts.effective_script
    if lang.code == "zh_tw" and script is None:
        script = "Hant"
    candidates = (
        (language, script, parts.region),
        (language, script, None),
        (language, None, parts.region),
        (language, None, None),
    )
    for lang_part, script_part, region_part in candidates:
        identifier = "_".join(p for p in (lang_part, script_part, region_part) if p)
        try:
            return babel.Locale.parse(identifier)
        except (ValueError, babel.UnknownLocaleError):
            continue
    raise ConfigError(f"no plural rules known for {locale.strip()!r} ({lang.name})")


def _is_locale_code(token: str) -> bool:
    parts = _parse(token)
    if parts is None:
        return False
    if _language_of(parts) is not None:
        return True
    # Unsupported but real (ga.po): still the file's locale, so the user gets a clear error.
    # localedata.exists, not Locale.parse, which would alias words like "run" to rn_BI.
    return localedata.exists(parts.language)


_LC_DIR = re.compile(r"LC_[A-Z]+")


def locale_from_path(path: Path) -> str | None:
    """The locale a path names, normalized: ``locales/pt_BR/LC_MESSAGES/app.po`` -> ``pt_BR``.

    Looks at the file name first (``de.po``, ``app.fr.json``, ``messages_pt_BR.yml``), then at
    up to three parent directories (``locales/de/app.json``); None if none of them is a locale.
    """
    path = Path(path)
    candidates: list[str] = []
    for piece in reversed(path.stem.split(".")):  # app.fr.json: "fr" before "app"
        candidates.append(piece)
        subtags = _SEP.split(piece)
        # messages_pt_BR: the longest trailing run of subtags that is a locale.
        candidates.extend("_".join(subtags[i:]) for i in range(1, len(subtags)))
    parents = [p.name for p in path.parents if p.name and not _LC_DIR.fullmatch(p.name)]
    candidates.extend(parents[:3])
    for token in candidates:
        if _is_locale_code(token):
            return normalize(token)
    return None
