"""A bounded part of ``conformance/gettext_catalogs.py``: a dozen of Django's own catalogs.

The Django wheel comes from PyPI through pip into the corpus cache (``$L10N_QWEN_CORPORA``,
default ``~/.cache/l10n-qwen-corpora``); CI has the network to fetch it, so nothing is skipped.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "conformance" / "gettext_catalogs.py"
#: Every plural rule of the issue (ga: Qwen-MT lacks Irish; fr, pt_BR: see below), and the
#: Russian admin catalog whose whitespace and placeholders the gate used to refuse.
CATALOGS = [
    "conf/locale/ru",
    "conf/locale/uk",
    "conf/locale/pl",
    "conf/locale/cs",
    "conf/locale/sl",
    "conf/locale/ar",
    "conf/locale/ja",
    "conf/locale/fr",
    "conf/locale/pt_BR",
    "contrib/admin/locale/ru",
    "contrib/humanize/locale/he",
    "contrib/humanize/locale/fr",
]
#: Django's French and Brazilian catalogs with plurals have 3 forms under "nplurals=2" (CLDR's
#: "many", written by Transifex): msgfmt -c rejects the originals, so no alarm on them is false.
REJECTED = {"conf/locale/fr", "conf/locale/pt_BR", "contrib/humanize/locale/fr"}


@pytest.fixture(scope="module")
def conformance() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gettext_catalogs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gettext_catalogs"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("catalog", CATALOGS)
def test_real_django_catalog(conformance: ModuleType, tmp_path: Path, catalog: str) -> None:
    folder = conformance.fetch("django", conformance.cache_dir())
    path = folder / "django" / catalog / "LC_MESSAGES" / "django.po"
    locale = catalog.rsplit("/", 1)[1]
    (tmp_path / ".git").mkdir()
    outcome = conformance.run_catalog(path, locale, tmp_path, share=3)
    assert outcome.refused == ""
    assert outcome.blanked > 10 and outcome.filled >= outcome.blanked
    assert outcome.fill_failed == []
    assert outcome.changed_bytes == []
    assert outcome.msgfmt_failed == ""
    assert outcome.lookups >= outcome.blanked
    assert outcome.wrong_forms == []
    assert outcome.false_alarms == []
    assert outcome.original_rejected == (catalog in REJECTED)
