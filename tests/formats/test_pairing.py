"""Finding a JSON/YAML target's source-language file."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n_qwen.catalog import LoadOptions
from l10n_qwen.errors import UsageError
from l10n_qwen.formats.pairing import pair
from l10n_qwen.formats.tree import encode_path


@pytest.mark.parametrize(
    ("target", "source", "token"),
    [
        ("de.json", "en.json", "de"),
        ("locales/de/app.json", "locales/en/app.json", "de"),
        ("_locales/pt_BR/messages.json", "_locales/en/messages.json", "pt_BR"),
        ("lib/l10n/app_pt_BR.arb", "lib/l10n/app_en.arb", "pt_BR"),
        ("config/locales/pt-BR.yml", "config/locales/en.yml", "pt-BR"),
        ("i18n/messages.fr.yaml", "i18n/messages.en.yaml", "fr"),
    ],
)
def test_sibling_named_after_the_source_locale(
    tmp_path: Path, target: str, source: str, token: str
) -> None:
    (tmp_path / source).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / source).write_text("{}\n")
    pairing = pair(tmp_path / target, LoadOptions())
    assert pairing.source == tmp_path / source
    assert pairing.locale_token == token
    assert pairing.source_locale == "en"


def test_source_language_option(tmp_path: Path) -> None:
    (tmp_path / "fr.json").write_text("{}\n")
    assert pair(tmp_path / "de.json", LoadOptions(source_lang="fr")).source == tmp_path / "fr.json"
    assert pair(tmp_path / "fr.json", LoadOptions(source_lang="fr")).source is None


def test_explicit_source_must_exist(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        pair(tmp_path / "de.json", LoadOptions(source_path=tmp_path / "nope.json"))


def test_auto_source_language_needs_an_explicit_source(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--source"):
        pair(tmp_path / "de.json", LoadOptions(source_lang="auto"))


def test_key_paths_escape_dots_and_backslashes() -> None:
    assert encode_path(("nav", "home.title", "items", 0)) == "nav.home\\.title.items.0"
    assert encode_path(("a\\b",)) == "a\\\\b"
