"""The contract every format in the registry meets (after translate-toolkit's ``test_base.py``).

Each format names one real-world-shaped fixture in ``CONTRACT_FIXTURES``: a target file with
some entries translated and some not, whose first untranslated entry is present with an empty
value. A new format that is registered without a fixture fails ``test_every_format_has_a_fixture``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from l10n_qwen.catalog import Entry, LoadOptions, State
from l10n_qwen.formats import FORMATS, SUFFIXES, FormatModule, format_for

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

#: format name -> (fixture folder, target file in it)
CONTRACT_FIXTURES = {
    "po": ("po/basic", "de.po"),
    "json": ("json/i18next", "de.json"),
    "yaml": ("yaml/rails", "de.yml"),
}


@pytest.fixture(params=sorted(FORMATS))
def case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[FormatModule, Path]:
    """(format module, target file in a fresh copy of its contract fixture folder)."""
    name: str = request.param
    if name not in CONTRACT_FIXTURES:
        pytest.fail(f"format {name!r} has no contract fixture in CONTRACT_FIXTURES")
    folder, target = CONTRACT_FIXTURES[name]
    shutil.copytree(FIXTURES / folder, tmp_path / name)
    return FORMATS[name], tmp_path / name / target


def test_every_format_has_a_fixture() -> None:
    assert set(FORMATS) <= set(CONTRACT_FIXTURES)


def test_suffix_map_agrees_with_the_registry() -> None:
    for name, module in FORMATS.items():
        assert name == module.NAME
        assert module.SUFFIXES, name
        for suffix in module.SUFFIXES:
            assert suffix.startswith(".") and suffix == suffix.lower()
            assert SUFFIXES[suffix] is module
            assert format_for(Path(f"locale/x{suffix.upper()}")) is module
    assert set(SUFFIXES) == {s for module in FORMATS.values() for s in module.SUFFIXES}
    assert sum(len(m.SUFFIXES) for m in FORMATS.values()) == len(SUFFIXES)  # no suffix twice


def test_load_then_dump_is_byte_identical(case: tuple[FormatModule, Path]) -> None:
    module, path = case
    locale_file = module.load(path, LoadOptions())
    assert locale_file.dumps() == path.read_bytes()
    assert isinstance(locale_file.native_review, bool)


def test_untranslated_entries_are_found(case: tuple[FormatModule, Path]) -> None:
    module, path = case
    entries = module.load(path, LoadOptions()).entries()
    untranslated = [e for e in entries if e.state is State.UNTRANSLATED]
    assert untranslated
    assert len(untranslated) < len(entries)  # the fixture has translated entries too
    for entry in entries:
        assert entry.line >= 1
        assert bool(entry.missing) == (entry.state is State.UNTRANSLATED), entry.key
        assert len(entry.sources) >= 1 and all(entry.sources)
    assert len({(e.context, e.key) for e in entries}) == len(entries)


def _marked(entry: Entry) -> list[str]:
    """Recognisable translations for every target slot of ``entry``."""
    last = len(entry.sources) - 1
    return [f"«{entry.sources[min(i, last)]}»" for i in range(len(entry.targets))]


def test_filling_one_entry_changes_only_its_lines(case: tuple[FormatModule, Path]) -> None:
    module, path = case
    old = path.read_bytes()
    locale_file = module.load(path, LoadOptions())
    entries = list(locale_file.entries())
    entry = next(e for e in entries if e.state is State.UNTRANSLATED)
    targets = _marked(entry)
    # The entry's lines: from the line before it (which may gain a JSON comma) to the line before
    # the next entry.
    later = sorted(e.line for e in entries if e.line > entry.line)
    first, last = entry.line - 1, (later[0] - 1 if later else None)
    locale_file.fill(entry, targets, review=True)
    new = locale_file.dumps()

    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    before = old_lines[: first - 1]
    after = old_lines[last:] if last is not None else []
    assert new_lines[: len(before)] == before
    assert new_lines[len(new_lines) - len(after) :] == after
    assert new != old


def test_a_filled_entry_round_trips(case: tuple[FormatModule, Path]) -> None:
    module, path = case
    locale_file = module.load(path, LoadOptions())
    entries = list(locale_file.entries())
    untranslated = [e for e in entries if e.state is State.UNTRANSLATED]
    entry = untranslated[0]
    key, context = entry.key, entry.context
    targets = _marked(entry)
    locale_file.fill(entry, targets, review=True)
    path.write_bytes(locale_file.dumps())

    reloaded = module.load(path, LoadOptions())
    again = next(e for e in reloaded.entries() if (e.key, e.context) == (key, context))
    assert again.targets == targets
    assert again.state is not State.UNTRANSLATED
    left = [e for e in reloaded.entries() if e.state is State.UNTRANSLATED]
    assert len(left) == len(untranslated) - 1
    assert reloaded.dumps() == path.read_bytes()
