"""Values that are not text are copied, never sent: symbols, URLs, paths, formats, ``$schema``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from l10n_qwen import verbatim
from l10n_qwen.pseudo import pseudo_localize
from tests.conftest import CliRun
from tests.fakeserver import FakeQwenServer

Run = Callable[..., CliRun]
FAST = ("--rpm", "100000", "--tpm", "100000000")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Open", "text"),
        ("%{count} files", "text"),
        ("at %H:%M", "text"),
        ("100%", "text"),
        ("Yes/No", "text"),
        ("/month", "text"),
        ("km/h", "text"),
        ("Write to help@example.com", "text"),
        ("https://example.com/help", "copy"),
        ("help@example.com", "copy"),
        ("./$schema.json", "copy"),
        ("/images/logo.png", "copy"),
        ("assets/img/logo.svg", "copy"),
        ("/favicon.ico", "copy"),
        ("%{count}", "copy"),
        ("({{count}})", "copy"),
        ("%Y-%m-%d", "format"),
        ("%-d.%-m.%Y", "format"),
        ("%B %d, %Y %H:%M", "format"),
        ("%n %u", "format"),
        ("%{attribute} %{message}", "format"),
    ],
)
def test_kind(text: str, kind: str) -> None:
    assert verbatim.kind(text) == kind


def test_symbols_are_plain_colon_names() -> None:
    assert verbatim.is_symbol(":year") and verbatim.is_symbol(":valid?")
    assert not verbatim.is_symbol("Note: read") and not verbatim.is_symbol(":")


def test_pseudo_never_alters_directives() -> None:
    assert pseudo_localize("Today is %A, %d %B") == "[Ţöđàý îš %A, %d %B ···]"
    assert "%Y-%m-%d" in pseudo_localize("Since %Y-%m-%d")


EN_YML = """\
en:
  date:
    order:
    - :year
    - :month
    - :day
    formats:
      default: "%Y-%m-%d"
  help: https://example.com/help
  contact: help@example.com
  logo: /images/logo.png
  count: "%{count}"
  title: Welcome
"""


def test_yaml_non_text_is_copied_and_only_text_is_sent(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "en.yml").write_text(EN_YML, encoding="utf-8")
    target = tmp_path / "de.yml"
    args = ("fill", target, "--base-url", fake_qwen.compat_url, *FAST)
    result = run_cli(*args, key=fake_qwen.api_key)
    assert result.exit_code == 0, result.stderr
    assert set(fake_qwen.text_counts) == {"Welcome"}
    text = target.read_text(encoding="utf-8")
    assert "- :year\n" in text  # still a plain scalar: a Ruby symbol to Psych
    data = YAML(typ="safe").load(text)["de"]
    assert data["date"]["order"] == [":year", ":month", ":day"]
    assert data["date"]["formats"]["default"] == "%Y-%m-%d"
    assert data["help"] == "https://example.com/help"
    assert data["contact"] == "help@example.com" and data["logo"] == "/images/logo.png"
    assert data["count"] == "%{count}"
    # The format is copied and awaits review (a reviewer may localize it); the rest is settled.
    checked = run_cli("check", target)
    assert checked.exit_code == 1
    assert "date.formats.default" in checked.stdout and "awaiting review" in checked.stdout
    assert "help" not in checked.stdout.replace("date.formats", "")


def test_json_dollar_and_at_keys_and_urls_are_copied_not_sent(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    source = {
        "$schema": "./$schema.json",
        "@comment": "Keys for the start page",
        "link": "https://example.com",
        "greeting": "Hello {{name}}",
    }
    (tmp_path / "en.json").write_text(json.dumps(source, indent=2) + "\n", encoding="utf-8")
    target = tmp_path / "fr.json"
    result = run_cli("fill", target, "--provider", "pseudo")
    assert result.exit_code == 0, result.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["$schema"] == "./$schema.json" and data["link"] == "https://example.com"
    assert data["@comment"] == "Keys for the start page"
    assert data["greeting"].startswith("[") and "{{name}}" in data["greeting"]
    result = run_cli("fill", tmp_path / "de.json", "--base-url", fake_qwen.compat_url, *FAST,
                     key=fake_qwen.api_key)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert set(fake_qwen.text_counts) == {"Hello {{name}}"}
