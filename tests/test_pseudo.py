from __future__ import annotations

import asyncio

import pytest

from l10n_qwen import placeholders
from l10n_qwen.provider import TranslationRequest
from l10n_qwen.pseudo import PseudoProvider, pseudo_localize


@pytest.mark.parametrize(
    "source",
    [
        "Open %s file",
        "  Hello, %(name)s!\n",
        'Read the <a href="https://example.com">docs</a> now &amp; then',
        "You have {{count}} new messages, {{- name}}",
        "{count, plural, one {# item} other {# items}}",
        "Line one\nLine two\n",
        "Rails %{count} and %<total>d",
    ],
)
def test_pseudo_keeps_placeholders_and_structure(source: str) -> None:
    result = pseudo_localize(source)
    assert result != source
    assert placeholders.verify(source, result) == []
    core = source.strip()
    assert len(result.strip()) >= len(core) * 1.2  # longer, to show where text will not fit


def test_letters_are_accented_and_bracketed() -> None:
    assert pseudo_localize("Save") == "[Šàṽé ·]"
    assert pseudo_localize("   ") == "   "


def test_provider_counts_no_requests() -> None:
    provider = PseudoProvider()
    answer = asyncio.run(provider.translate(TranslationRequest("File", "English", "German")))
    assert answer.text == "[Ƒîļé ·]"
    assert provider.usage.requests == 0
