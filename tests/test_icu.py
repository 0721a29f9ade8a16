from __future__ import annotations

import pytest

from l10n_qwen import icu


def spans(text: str) -> list[tuple[str, str, str | None]]:
    return [(s.kind, text[s.start : s.end], s.name) for s in icu.parse(text).spans]


def test_plural_with_offset_exact_case_and_nested_argument() -> None:
    text = "{n, plural, offset:1 =0 {none} one {# file} other {# files of {owner}}}!"
    message = icu.parse(text)
    assert [(a.name, a.type, a.keys) for a in message.arguments] == [
        ("n", "plural", ("=0", "one", "other")),
        ("owner", None, ()),
    ]
    assert message.is_complex
    assert spans(text) == [
        ("syntax", "{n, plural, offset:1 =0 {", "n"),
        ("syntax", "} one {", None),
        ("pound", "#", None),
        ("syntax", "} other {", None),
        ("pound", "#", None),
        ("arg", "{owner}", "owner"),
        ("syntax", "}}", None),
    ]


def test_select_nested_in_plural_keeps_pound() -> None:
    text = "{n, plural, other {{g, select, other {# x}}}}"
    assert [k for k, _, _ in spans(text)].count("pound") == 1


def test_typed_simple_arguments() -> None:
    message = icu.parse("{d, date, short} {p, number, ::currency/EUR} {x}")
    assert [(a.name, a.type) for a in message.arguments] == [
        ("d", "date"),
        ("p", "number"),
        ("x", None),
    ]
    assert not message.is_complex


@pytest.mark.parametrize(
    "text",
    [
        "It''s {n}",  # '' is one apostrophe
        "don't {n}",  # a lone apostrophe before a letter is literal
        "'{literal}' {n}",  # quoted braces are text
        "{n, plural, other {'#' is # }}",  # quoted pound is text
    ],
)
def test_apostrophes(text: str) -> None:
    message = icu.parse(text)
    assert [a.name for a in message.arguments] == ["n"]
    assert sum(s.kind == "pound" for s in message.spans) <= 1


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("{n, plural, one {x}", "{n, plural} not closed"),
        ("{n, plural, one {x", "'{' not closed"),
        ("x }", "'}' without '{'"),
        ("{}", "argument without a name"),
        ("{a b}", "expected ','"),
        ("{n, plural, }", "without cases"),
    ],
)
def test_syntax_errors(text: str, error: str) -> None:
    with pytest.raises(icu.IcuSyntaxError, match=error):
        icu.parse(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{n, plural, one {x} other {y}}", True),
        ("{n, number}", True),
        ("{name}", False),
        ("{0}", False),
        ("a, b {c}", False),
    ],
)
def test_looks_like_icu(text: str, expected: bool) -> None:
    assert icu.looks_like_icu(text) is expected
