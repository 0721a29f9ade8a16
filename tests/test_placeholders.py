from __future__ import annotations

import pytest

from l10n_qwen.placeholders import MaskError, Placeholder, find, mask, unmask, verify

C = frozenset({"c-format"})
PY = frozenset({"python-format"})
BRACE = frozenset({"python-brace-format"})
QT = frozenset({"qt-format"})
NONE: frozenset[str] = frozenset()


def texts(text: str, flags: frozenset[str] = NONE, accelerators: str = "") -> list[str]:
    return [p.text for p in find(text, flags, accelerators=accelerators)]


def kinds(text: str, flags: frozenset[str] = NONE) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in find(text, flags)]


# --- find --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "flags", "expected"),
    [
        # printf, flagged: the full C grammar
        ("%s", C, ["%s"]),
        ("%5.2f%%", C, ["%5.2f", "%%"]),
        ("%1$s and %2$d", C, ["%1$s", "%2$d"]),
        (
            "%-10d|%lu|%lld|%zu|%08.3e|%x|%@",
            C,
            ["%-10d", "%lu", "%lld", "%zu", "%08.3e", "%x", "%@"],
        ),
        ("%*d and %.*f", C, ["%*d", "%.*f"]),
        ("50% off", C, ["% o"]),  # what msgfmt sees too: a flagged string is taken at its word
        # printf, unflagged: conservative
        ("%s and %d", NONE, ["%s", "%d"]),
        ("%1$s %-10d %lu %5.2f", NONE, ["%1$s", "%-10d", "%lu", "%5.2f"]),
        ("100%", NONE, []),
        ("50% off", NONE, []),
        ("100% sure", NONE, []),
        ("Save 20%discount", NONE, []),
        ("10%-20%", NONE, []),
        ("% s", NONE, []),
        ("%d%% done", NONE, ["%d", "%%"]),
        # Python
        ("%(name)s has %(count)d", PY, ["%(name)s", "%(count)d"]),
        ("%(name)s has %(count)d", NONE, ["%(name)s", "%(count)d"]),
        ("%(price).2f and %r", PY, ["%(price).2f", "%r"]),
        # brace
        ("{name} {0} {0:>8} {}", NONE, ["{name}", "{0}", "{0:>8}", "{}"]),
        ("{user.name} {items[0]!r}", NONE, ["{user.name}", "{items[0]!r}"]),
        ("{{literal}} {name}", BRACE, ["{{", "}}", "{name}"]),
        ("a {b c} d", NONE, []),
        # i18next
        ("{{name}} and {{- html}}", NONE, ["{{name}}", "{{- html}}"]),
        ("{{count, number}} and $t(common.ok)", NONE, ["{{count, number}}", "$t(common.ok)"]),
        # Rails
        ("%{name} and %<count>d", NONE, ["%{name}", "%<count>d"]),
        # Symfony
        ("Between %min% and %max%", NONE, ["%min%", "%max%"]),
        ("%dx%d pixels", NONE, ["%d", "%d"]),
        ("%s%s", NONE, ["%s", "%s"]),
        # Qt
        ("%1 of %2, %L3", QT, ["%1", "%2", "%L3"]),
        ("%1 of %2", NONE, []),
        # markup
        (
            "<b>Bold</b> <br/> <br /> <img src='a.png' alt=\"A\"/>",
            NONE,
            ["<b>", "</b>", "<br/>", "<br />", "<img src='a.png' alt=\"A\"/>"],
        ),
        ("<0>Click</0> <1/>", NONE, ["<0>", "</0>", "<1/>"]),
        ("a < b and c > d", NONE, []),
        ("&amp; &nbsp; &#160; &#xA0; & more", NONE, ["&amp;", "&nbsp;", "&#160;", "&#xA0;"]),
        ("AT&T; Q&A", NONE, []),
        # escapes, URLs, e-mail
        ('one\\ntwo\\tthree \\u00e9 \\"q\\"', NONE, ["\\n", "\\t", "\\u00e9", '\\"', '\\"']),
        ("See https://example.com/a?b=1&c=2.", NONE, ["https://example.com/a?b=1&c=2"]),
        ("(www.example.org)", NONE, ["www.example.org"]),
        ("Mail support@example.com.", NONE, ["support@example.com"]),
        ("at @home", NONE, []),
        # no-*-format switches a sniffed kind off
        ("%s and {name}", frozenset({"no-c-format"}), ["{name}"]),
        ("%s and {name}", frozenset({"no-python-brace-format"}), ["%s"]),
        # a flag switches other format kinds off
        ("%s and {name}", C, ["%s"]),
        ("%s and {name}", BRACE, ["{name}"]),
    ],
)
def test_find(text: str, flags: frozenset[str], expected: list[str]) -> None:
    assert texts(text, flags) == expected


def test_find_reports_kind_name_and_position() -> None:
    text = "Hi %(user)s, <a href='x'>{n}</a>"
    assert find(text) == [
        Placeholder("python", "%(user)s", "user", 3, 11),
        Placeholder("tag", "<a href='x'>", "a", 13, 25),
        Placeholder("brace", "{n}", "n", 25, 28),
        Placeholder("tag", "</a>", "a", 28, 32),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%<count>d", [("ruby", "%<count>d")]),  # not a tag
        ('<a href="https://x.com/{id}">', [("tag", '<a href="https://x.com/{id}">')]),
        ("https://x.com/%20d", [("url", "https://x.com/%20d")]),
        ("{{name}}", [("i18next", "{{name}}")]),
        ("%{name}", [("ruby", "%{name}")]),
        ("&amp;", [("entity", "&amp;")]),
    ],
)
def test_overlaps_go_to_the_more_specific_kind(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_find_icu() -> None:
    text = "You have {count, plural, one {# item} other {# items}} in {place}"
    assert kinds(text) == [
        ("icu-syntax", "{count, plural, one {"),
        ("icu-pound", "#"),
        ("icu-syntax", "} other {"),
        ("icu-pound", "#"),
        ("icu-syntax", "}}"),
        ("icu", "{place}"),
    ]
    assert find(text)[0].name == "count"


def test_broken_icu_falls_back_to_other_kinds() -> None:
    assert kinds("{count, plural, one {x} {name}") == [("brace", "{x}"), ("brace", "{name}")]


@pytest.mark.parametrize(
    ("text", "accelerators", "expected"),
    [
        ("&File", "&", ["&F"]),
        ("_Edit", "_", ["_E"]),
        ("&File", "", []),
        ("Tom && Jerry", "&", []),
        ("Save &amp; &Quit", "&", ["&amp;", "&Q"]),
        ("%(user_name)s _Open", "_", ["%(user_name)s", "_O"]),
    ],
)
def test_find_accelerators(text: str, accelerators: str, expected: list[str]) -> None:
    assert texts(text, accelerators=accelerators) == expected


# --- verify ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "translation", "flags"),
    [
        ("%s has %d items", "%s hat %d Elemente", C),
        ("%s has %d items", "%2$d Elemente hat %1$s", C),  # gettext's way to reorder
        ("%1$s has %2$d", "%2$d hat %1$s", C),
        ("%d%% done", "%d%% fertig", C),
        ("%(name)s has %(count)d items", "%(count)d Elemente hat %(name)s", PY),
        ("{name} has {count}", "{count} bei {name}", BRACE),
        ("{name} has {count}", "{count} bei {name}", NONE),
        ("{{literal}} {name}", "{{wörtlich}} {name}", BRACE),
        ("{{name}} joined", "{{ name }} ist beigetreten", NONE),
        ("From {{- min, datetime}}", "{{- min, sana vaqti}} dan", NONE),  # i18next: by name
        ("Welcome $t(app.name)", "Willkommen bei $t(app.name)", NONE),
        ("%{name} joined", "%{name} ist beigetreten", NONE),
        ("Between %min% and %max%", "Zwischen %min% und %max%", NONE),
        ("%1 of %2", "%2 von %1", QT),
        ("<b>Bold</b> text", "Text <b>fett</b>", NONE),
        ('<a href="/x" title="Open">go</a>', '<a title="Öffnen" href="/x">los</a>', NONE),
        ("Line<br/>next", "Zeile<br/>nächste", NONE),
        ("</b> and <b>", "</b> und <b>", NONE),  # a fragment: no balance required
        ("Tom &amp; Jerry", "Tom &amp; Jerry", NONE),
        ("See https://x.com", "Siehe https://x.com", NONE),
        ("Ask a@b.org", "Frag a@b.org", NONE),
        ("a\\nb", "c\\nd", NONE),
        ("  indented\n", "  eingerückt\n", NONE),
        ("one\ntwo", "eins\nzwei", NONE),
        ("100% sure", "100 % sicher", NONE),
        ("50% off", "50 % Rabatt", NONE),
        ("plain", "schlicht", NONE),
        ("%s", "%s", frozenset({"c-format", "fuzzy"})),
    ],
)
def test_verify_accepts(source: str, translation: str, flags: frozenset[str]) -> None:
    assert verify(source, translation, flags) == []


@pytest.mark.parametrize(
    ("source", "translation", "flags", "problems"),
    [
        ("%(name)s has %(count)d", "%(count)d Elemente", PY, ["placeholder %(name)s missing"]),
        ("%(n)s", "%(m)s", PY, ["placeholder %(n)s missing", "unexpected placeholder %(m)s"]),
        ("%s has %d items", "%d Elemente hat %s", C, ["order of %s/%d changed"]),
        ("%s has %d items", "%1$d Elemente hat %2$s", C, ["order of %s/%d changed"]),
        ("%s and %d", "%s und", C, ["placeholder %d missing"]),
        ("%s", "%s %s", C, ["placeholder %s appears 1 time(s) in source, 2 in translation"]),
        ("%5.2f", "%.2f", C, ["placeholder %5.2f missing", "unexpected placeholder %.2f"]),
        ("%d%% done", "%d fertig", C, ["placeholder %% missing"]),
        ("%d files", "%d Dateien 100%", C,
         ["invalid format directive '%' (write %% for a literal %)"]),
        ("%(n)d files", "%(n)d Dateien (%(n)", PY,
         ["invalid format directive '%(n' (write %% for a literal %)"]),
        ("Hello {name}", "Hallo {Name}", NONE,
         ["placeholder {name} missing", "unexpected placeholder {Name}"]),
        ("Hello", "Hallo {count}", NONE, ["unexpected placeholder {count}"]),
        ("{{name}} joined", "{{- name}} beigetreten", NONE,
         ["placeholder {{name}} missing", "unexpected placeholder {{- name}}"]),
        ("%{count} items", "%{Anzahl} Elemente", NONE,
         ["placeholder %{count} missing", "unexpected placeholder %{Anzahl}"]),
        ("%count% items", "%anzahl% Elemente", NONE,
         ["placeholder %count% missing", "unexpected placeholder %anzahl%"]),
        ("%1 of %2", "%1 von", QT, ["placeholder %2 missing"]),
        ("<b>Bold</b> text", "<b>Fett Text", NONE, ["tag </b> missing", "tag <b> not closed"]),
        ("<b>Bold</b> text", "<strong>Fett</strong> Text", NONE,
         ["tag <b> missing", "tag </b> missing",
          "unexpected tag <strong>", "unexpected tag </strong>"]),
        ("<b>a</b> <i>b</i>", "<b>a <i>b</b></i>", NONE,
         ["tag <i> not closed before </b>", "closing tag </i> without opening tag"]),
        ("<a href=\"/x\">go</a>", "<a href=\"/y\">los</a>", NONE,
         ['tag <a href="/x"> missing', 'unexpected tag <a href="/y">']),
        ("Tom &amp; Jerry", "Tom & Jerry", NONE, ["entity &amp; missing"]),
        ("a&nbsp;b", "a\u00a0b", NONE, ["entity &nbsp; missing"]),
        ("See https://x.com/en", "Siehe https://x.com/de", NONE,
         ["URL https://x.com/en missing", "unexpected URL https://x.com/de"]),
        ("Ask a@b.org", "Frag b@a.org", NONE,
         ["e-mail address a@b.org missing", "unexpected e-mail address b@a.org"]),
        ("a\\nb", "a b", NONE, ["escape sequence \\n missing"]),
        (" Hello", "Hallo", NONE, ["leading whitespace differs: ' ' in source, '' in translation"]),
        ("Hello:", "Hallo: ", NONE,
         ["trailing whitespace differs: '' in source, ' ' in translation"]),
        ("a\nb\nc", "a b\nc", NONE, ["2 line breaks in source, 1 in translation"]),
        ("Hello\n", "Hallo", NONE,
         ["trailing whitespace differs: '\\n' in source, '' in translation",
          "1 line break in source, 0 in translation"]),
    ],
)  # fmt: skip
def test_verify_reports(
    source: str, translation: str, flags: frozenset[str], problems: list[str]
) -> None:
    assert verify(source, translation, flags) == problems


def test_verify_ignores_invalid_directives_when_the_source_has_them_too() -> None:
    # A wrongly flagged source is not the translation's fault.
    assert verify("100%", "100 %", C) == []


def test_unflagged_text_gets_no_format_string_check() -> None:
    assert verify("Done", "Fertig 100%") == []


@pytest.mark.parametrize(
    ("source", "translation", "problems"),
    [
        ("&File", "&Datei", []),
        ("&File", "Da&tei", []),
        ("&File", "Datei", ["accelerator &F missing"]),
        ("File", "&Datei", ["unexpected accelerator &D"]),
        ("&File", "&Da&tei", ["1 accelerators in source, 2 in translation"]),
        ("Tom && Jerry", "Tom && Jerry", []),
    ],
)
def test_verify_accelerators(source: str, translation: str, problems: list[str]) -> None:
    assert verify(source, translation, accelerators="&") == problems


ICU_SOURCE = "{count, plural, one {# file in {dir}} other {# files in {dir}}}"


@pytest.mark.parametrize(
    ("translation", "problems"),
    [
        ("{count, plural, one {# Datei in {dir}} other {# Dateien in {dir}}}", []),
        (  # Russian adds few and many
            "{count, plural, one {# файл в {dir}} few {# файла в {dir}} many {# файлов в {dir}}"
            " other {# файла в {dir}}}",
            [],
        ),
        ("{count, plural, other {# ファイル ({dir})}}", []),  # Japanese has only other
        ("{count, plural, one {# Datei in {dir}}}", ["ICU {count, plural}: case 'other' missing"]),
        (
            "{n, plural, one {# Datei in {dir}} other {# Dateien in {dir}}}",
            ["ICU argument {count} missing", "unexpected ICU argument {n}"],
        ),
        (
            "{count, plural, one {# Datei} other {# Dateien}}",
            ["ICU argument {dir} missing"],
        ),
        (
            "{count, plural, eins {# Datei in {dir}} other {# Dateien in {dir}}}",
            ["ICU {count, plural}: 'eins' is not a plural category"],
        ),
        (
            "{count, select, one {# Datei in {dir}} other {# Dateien in {dir}}}",
            ["ICU argument {count} is plural in source, select in translation"],
        ),
        (
            "{count, plural, one {# Datei in {dir}} other {# Dateien in {dir}}",
            ["ICU syntax error in translation: {count, plural} not closed at position 65"],
        ),
    ],
)
def test_verify_icu(translation: str, problems: list[str]) -> None:
    assert verify(ICU_SOURCE, translation) == problems


@pytest.mark.parametrize(
    ("source", "translation", "problems"),
    [
        ("{g, select, male {He} female {She} other {They}}", "{g, select, male {Er} other {Sie}}",
         ["ICU {g, select}: case 'female' missing"]),
        ("{g, select, male {He} other {They}}", "{g, select, male {Er} x {X} other {Sie}}",
         ["ICU {g, select}: unexpected case 'x'"]),
        ("{n, plural, =0 {none} other {#}}", "{n, plural, other {#}}",
         ["ICU {n, plural}: case '=0' missing"]),
        ("{n, plural, other {#}}", "{n, plural, =0 {keine} other {#}}", []),
        ("{n, plural, one {<b>#</b> file} other {<b>#</b> files}}",
         "{n, plural, one {<b>#</b> файл} few {<b>#</b> файла} many {<b>#</b> файлов}"
         " other {<b>#</b>}}",
         []),
        ("{n, plural, one {<b>#</b> file} other {<b>#</b> files}}",
         "{n, plural, one {# файл} other {# файла}}", ["tag <b> missing", "tag </b> missing"]),
        ("{price, number, ::currency/EUR} total", "insgesamt {price, number, ::currency/EUR}", []),
        ("{price, number} total", "insgesamt {price}",
         ["ICU argument {price} is number in source, plain in translation"]),
        ("It''s {n, plural, one {'{'#'}'} other {#}}", "Es ist {n, plural, other {#}}", []),
    ],
)  # fmt: skip
def test_verify_icu_cases(source: str, translation: str, problems: list[str]) -> None:
    assert verify(source, translation) == problems


# --- mask / unmask -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "flags", "masked"),
    [
        ("Hello %(name)s!", PY, "Hello <x0/>!"),
        ("%s has %d items", C, "<x0/> has <x1/> items"),
        ("%1$s and %%", C, "<x0/> and <x1/>"),
        ("Hi {name}, {0:>8}", NONE, "Hi <x0/>, <x1/>"),
        ("{{count}} new, $t(more)", NONE, "<x0/> new, <x1/>"),
        ("%{count} and %<n>d", NONE, "<x0/> and <x1/>"),
        ("Between %min% and %max%", NONE, "Between <x0/> and <x1/>"),
        ("<b>Bold</b> and <a href='/x'>link</a>", NONE, "<x0/>Bold<x1/> and <x2/>link<x3/>"),
        ("Tom &amp; Jerry&nbsp;!", NONE, "Tom <x0/> Jerry<x1/>!"),
        ("one\\ntwo", NONE, "one<x0/>two"),
        ("Go to https://x.com or a@b.org", NONE, "Go to <x0/> or <x1/>"),
        ("{n, plural, one {# file} other {# files}}", NONE, "<x0/> file<x1/> files<x2/>"),
        ("<b>{count}</b> new", NONE, "<x0/> new"),  # adjacent ones share a token
        ("  padded  \n", NONE, "padded"),
        ("no placeholders", NONE, "no placeholders"),
        ("literal <x0/> token", NONE, "literal <x0/> token"),
        ("", NONE, ""),
        ("   ", NONE, ""),
    ],
)
def test_mask_round_trip(text: str, flags: frozenset[str], masked: str) -> None:
    result = mask(text, flags)
    assert result.text == masked
    assert unmask(result.text, result) == text


def test_mask_tokens_map_to_originals() -> None:
    result = mask("  Hi %(name)s, <b>x</b>\n", PY)
    assert result.tokens == {"<x0/>": "%(name)s", "<x1/>": "<b>", "<x2/>": "</b>"}
    assert (result.lead, result.trail) == ("  ", "\n")


def test_unmask_restores_reordered_tokens_and_edges() -> None:
    result = mask("%(a)s and %(b)s\n", PY)
    assert unmask(" <x1/> und <x0/>  ", result) == "%(b)s und %(a)s\n"


@pytest.mark.parametrize("variant", ["<x0 />", "<X0/>", "<x0>", "< x0 / >"])
def test_unmask_accepts_token_variants_models_write(variant: str) -> None:
    result = mask("Hi %s", C)
    assert unmask(f"Hallo {variant}", result) == "Hallo %s"


@pytest.mark.parametrize(
    ("translation", "problems"),
    [
        ("Hallo", ["token <x0/> (%(a)s) missing", "token <x1/> (%(b)s) missing"]),
        ("<x0/> <x0/> <x1/>", ["token <x0/> (%(a)s) appears 2 times"]),
        ("<x0/> <x1/> <x2/>", ["unknown token <x2/>"]),
    ],
)
def test_unmask_rejects_broken_tokens(translation: str, problems: list[str]) -> None:
    result = mask("%(a)s and %(b)s", PY)
    with pytest.raises(MaskError) as info:
        unmask(translation, result)
    assert info.value.problems == problems
    assert isinstance(info.value, ValueError)
