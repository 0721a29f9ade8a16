"""Package hygiene: what pyproject.toml declares is what the package uses and ships."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

import l10n_qwen

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the 3.10 backport
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SOURCES = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "l10n_qwen").rglob("*.py"))
#: Distributions whose import name differs from their name.
IMPORT_NAMES = {"ruamel.yaml": "ruamel.yaml", "babel": "babel", "tomli": "tomli"}
#: Declared for another package's sake: the package that imports it. (httpcore tries to import
#: sniffio on every request when it is missing, about 2 ms each.)
INDIRECT = {"sniffio": "httpcore"}


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.\-]+", requirement)
    assert match is not None
    return match[0].lower()


@pytest.mark.parametrize("requirement", PROJECT["dependencies"])
def test_every_runtime_dependency_is_imported(requirement: str) -> None:
    if _name(requirement) in INDIRECT:
        user = importlib.import_module(INDIRECT[_name(requirement)])
        assert user.__file__ is not None
        folder = Path(user.__file__).parent
        assert any(f"import {_name(requirement)}" in p.read_text() for p in folder.rglob("*.py"))
        return
    module = IMPORT_NAMES.get(_name(requirement), _name(requirement).replace("-", "_"))
    assert re.search(rf"^\s*(import|from) {re.escape(module)}\b", SOURCES, re.M), module


@pytest.mark.parametrize("requirement", PROJECT["dependencies"])
def test_every_runtime_dependency_has_a_lower_and_an_upper_bound(requirement: str) -> None:
    spec = requirement.split(";")[0]
    assert ">=" in spec and "<" in spec.replace("<=", ""), requirement


def test_one_version_source() -> None:
    assert "version" in PROJECT["dynamic"]
    assert importlib.metadata.version("l10n-qwen") == l10n_qwen.__version__


def test_the_license_file_is_the_declared_license() -> None:
    assert PROJECT["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
