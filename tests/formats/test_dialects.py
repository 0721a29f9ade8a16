"""The contract every tree dialect meets, after translate-toolkit's ``StoreClass`` habit.

``TreeContract`` holds the tests; each dialect's class names its ``StoreClass`` and a small
project (a source file and a Russian target, so that plurals have four forms) with what a reader
of that format expects: the keys left to translate, the plural forms, the bytes after a fill, a
broken target and the line its error names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n_qwen import review, workspace
from l10n_qwen.catalog import LoadOptions, State
from l10n_qwen.config import Settings
from l10n_qwen.errors import InputError
from l10n_qwen.formats import json as json_format
from l10n_qwen.formats import load
from l10n_qwen.formats import yaml as yaml_format
from l10n_qwen.formats.treefile import TreeFile

#: A Rails or plain YAML plural ``items`` in Russian: its four forms, each to translate.
RUSSIAN_FORMS = ("items.one", "items.few", "items.many", "items.other")


class TreeContract:
    """The tests; a subclass gives the dialect and its project."""

    StoreClass: type[TreeFile]
    source: tuple[str, str]  # (path in the project, text)
    target: tuple[str, str]
    untranslated: tuple[str, ...]  # the keys to translate, in file order
    plurals: tuple[str, ...]  # the keys of the target's plural forms, in file order
    filled: str  # the target after every untranslated entry is filled with «source»
    broken: tuple[str, int]  # a target text whose shape differs from the source's, its line

    @pytest.fixture
    def project(self, tmp_path: Path) -> Path:
        for name, text in (self.source, self.target):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path / self.target[0]

    def test_load_picks_the_dialect(self, project: Path) -> None:
        loaded: object = load(project, LoadOptions())
        assert type(loaded) is self.StoreClass

    def test_an_unchanged_file_is_saved_byte_for_byte(self, project: Path) -> None:
        assert load(project, LoadOptions()).dumps() == project.read_bytes()

    def test_untranslated_entries_are_found(self, project: Path) -> None:
        entries = load(project, LoadOptions()).entries()
        assert [e.key for e in entries if e.state is State.UNTRANSLATED] == list(self.untranslated)
        assert all(e.line >= 1 for e in entries)

    def test_fill_writes_exactly_the_filled_values(self, project: Path) -> None:
        locale_file = load(project, LoadOptions())
        todo = [e for e in locale_file.entries() if e.state is State.UNTRANSLATED]
        for entry in todo:
            locale_file.fill(entry, [f"«{entry.sources[0]}»"], review=True)
        assert {entry.state for entry in todo} == {State.FUZZY}
        assert locale_file.dumps().decode("utf-8") == self.filled
        project.write_bytes(locale_file.dumps())
        again = load(project, LoadOptions())
        assert [e.key for e in again.entries() if e.state is State.UNTRANSLATED] == []
        assert again.dumps() == project.read_bytes()

    def test_plural_forms_are_the_target_languages(self, project: Path) -> None:
        entries = load(project, LoadOptions()).entries()
        assert [e.key for e in entries if e.hints] == list(self.plurals)

    def test_a_shape_error_names_file_and_line(self, project: Path) -> None:
        text, line = self.broken
        project.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as error:
            load(project, LoadOptions())
        assert (error.value.path, error.value.line) == (project, line)
        assert "in the source file" not in str(error.value)  # it names the source file

    def test_review_state_marks_machine_text_until_the_source_changes(self, project: Path) -> None:
        root = project.parent
        while root != root.parent and not (root / self.source[0]).exists():
            root = root.parent
        settings = Settings(project_root=root)
        with workspace.open(settings, [project], write=True) as opened:
            (target,) = opened.targets
            entry = next(e for e in target.file.entries() if e.state is State.UNTRANSLATED)
            target.file.fill(entry, ["«machine»"], review=True)
            review.record_fill(opened.state, target.file, entry, review=True)
            opened.state.save()
            target.save()
        with workspace.open(settings, [project]) as opened:
            (target,) = opened.targets
        assert target.marks == {entry.key: "awaiting"}
        states = {e.key: e.state for e in target.file.entries()}
        assert states[entry.key] is State.FUZZY
        source = root / self.source[0]
        source.write_text(source.read_text("utf-8").replace(entry.sources[0], "Changed"), "utf-8")
        with workspace.open(settings, [project]) as opened:
            assert opened.targets[0].marks == {entry.key: "stale"}


class TestI18next(TreeContract):
    StoreClass = json_format.I18nextFile
    source = (
        "locales/en.json",
        '{\n  "title": "Cart",\n  "items_one": "{{count}} item",\n'
        '  "items_other": "{{count}} items",\n  "nav": {"home": "Home"}\n}\n',
    )
    target = ("locales/ru.json", '{\n  "title": "Корзина",\n  "nav": {"home": ""}\n}\n')
    untranslated = ("items_one", "items_few", "items_many", "items_other", "nav.home")
    plurals = ("items_one", "items_few", "items_many", "items_other")
    filled = (
        '{\n  "title": "Корзина",\n  "items_one": "«{{count}} item»",\n'
        '  "items_few": "«{{count}} items»",\n  "items_many": "«{{count}} items»",\n'
        '  "items_other": "«{{count}} items»",\n  "nav": {"home": "«Home»"}\n}\n'
    )
    broken = ('{\n  "title": "Корзина",\n  "nav": "Главная"\n}\n', 3)


class TestArb(TreeContract):
    StoreClass = json_format.ArbFile
    source = (
        "l10n/app_en.arb",
        '{\n  "@@locale": "en",\n  "title": "Cart",\n  "@title": {"description": "Page title"},\n'
        '  "items": "{count, plural, one{# item} other{# items}}"\n}\n',
    )
    target = ("l10n/app_ru.arb", '{\n  "@@locale": "ru",\n  "title": ""\n}\n')
    untranslated = ("title", "items")
    plurals = ()  # an ICU message holds its forms in one text
    filled = (
        '{\n  "@@locale": "ru",\n  "title": "«Cart»",\n'
        '  "items": "«{count, plural, one{# item} other{# items}}»"\n}\n'
    )
    broken = ('{\n  "@@locale": "ru",\n  "title": {"text": "Корзина"}\n}\n', 3)

    def test_the_description_is_the_entrys_note(self, project: Path) -> None:
        entries = {e.key: e for e in load(project, LoadOptions()).entries()}
        assert entries["title"].comments == "Page title"


class TestWebExtension(TreeContract):
    StoreClass = json_format.WebExtensionFile
    source = (
        "_locales/en/messages.json",
        '{\n  "title": {"message": "Cart", "description": "Page title"},\n'
        '  "empty": {"message": "Nothing here"}\n}\n',
    )
    target = ("_locales/ru/messages.json", '{\n  "title": {"message": "Корзина"}\n}\n')
    untranslated = ("empty.message",)
    plurals = ()  # WebExtensions have no plural forms
    filled = (  # the description is copied, as the store wants it beside the message
        '{\n  "title": {"message": "Корзина", "description": "Page title"},\n  "empty": {\n'
        '    "message": "«Nothing here»"\n  }\n}\n'
    )
    broken = ('{\n  "title": {"message": ["Корзина"]}\n}\n', 2)


class TestRailsYaml(TreeContract):
    StoreClass = yaml_format.RailsYamlFile
    source = (
        "config/locales/en.yml",
        'en:\n  title: Cart\n  items:\n    one: "%{count} item"\n    other: "%{count} items"\n',
    )
    target = ("config/locales/ru.yml", "ru:\n  # the page\n  title: Корзина\n")
    untranslated = plurals = RUSSIAN_FORMS
    filled = (
        'ru:\n  # the page\n  title: Корзина\n  items:\n    one: "«%{count} item»"\n'
        '    few: "«%{count} items»"\n    many: "«%{count} items»"\n'
        '    other: "«%{count} items»"\n'
    )
    broken = ("ru:\n  title: Корзина\n  items: [a, b]\n", 3)

    def test_the_root_key_is_the_targets_locale(self, project: Path) -> None:
        locale_file = load(project, LoadOptions())
        assert locale_file.language == "ru"
        assert not any(e.key.startswith("ru.") for e in locale_file.entries())


class TestPlainYaml(TreeContract):
    StoreClass = yaml_format.YamlFile
    source = (
        "i18n/en.yml",
        "title: Cart\nitems:\n  one: '%{count} item'\n  other: '%{count} items'\n",
    )
    target = ("i18n/ru.yml", "title: Корзина  # shown on top\n")
    untranslated = plurals = RUSSIAN_FORMS
    filled = (
        "title: Корзина  # shown on top\nitems:\n  one: '«%{count} item»'\n"
        "  few: '«%{count} items»'\n  many: '«%{count} items»'\n  other: '«%{count} items»'\n"
    )
    broken = ("title:\n  text: Корзина\n", 1)
