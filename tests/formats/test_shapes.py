"""Source and target that disagree only in pluralization: the target's own shape is its translation.

Ruby's I18n and i18next resolve both shapes (a text where the source pluralizes, a plural group
where the source writes one text), so neither is refused; a blank target becomes a plural group.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from l10n_qwen.catalog import LoadOptions, State
from l10n_qwen.errors import InputError
from l10n_qwen.formats import json as json_format
from l10n_qwen.formats import yaml as yaml_format

EN_YML = """\
en:
  datetime:
    about_x_hours:
      one: about %{count} hour
      other: about %{count} hours
  units:
    billion: Billion
  errors:
    too_long:
      one: is too long (maximum is 1 character)
      other: is too long (maximum is %{count} characters)
"""


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def states(entries: object) -> dict[str, tuple[str, State]]:
    return {e.key: (e.sources[0], e.state) for e in entries}  # type: ignore[attr-defined]


def test_yaml_text_for_a_plural_and_a_plural_for_a_text_are_translations(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "en.yml": EN_YML,
            "ja.yml": "ja:\n  datetime:\n    about_x_hours: 約%{count}時間\n",
            "ru.yml": (
                "ru:\n  units:\n    billion:\n      one: миллиард\n      few: миллиарда\n"
                "      many: миллиардов\n      other: миллиарда\n"
            ),
        },
    )
    ja = yaml_format.load(tmp_path / "ja.yml", LoadOptions())
    found = states(ja.entries())
    assert found["datetime.about_x_hours"] == ("about %{count} hours", State.TRANSLATED)
    assert found["units.billion"] == ("Billion", State.UNTRANSLATED)
    ru = yaml_format.load(tmp_path / "ru.yml", LoadOptions())
    found = states(ru.entries())
    for cat in ("one", "few", "many", "other"):
        assert found[f"units.billion.{cat}"] == ("Billion", State.TRANSLATED)
    assert "units.billion" not in found


def test_yaml_own_shapes_are_left_alone_when_the_rest_is_filled(tmp_path: Path) -> None:
    ja_text = "ja:\n  datetime:\n    about_x_hours: 約%{count}時間\n"
    write(tmp_path, {"en.yml": EN_YML, "ja.yml": ja_text})
    ja = yaml_format.load(tmp_path / "ja.yml", LoadOptions())
    for entry in ja.entries():
        if entry.state is State.UNTRANSLATED:
            ja.fill(entry, [f"T({entry.sources[0]})"], review=True)
    out = ja.dumps().decode()
    assert out.startswith(ja_text)
    data = YAML(typ="safe").load(out)["ja"]
    assert data["datetime"]["about_x_hours"] == "約%{count}時間"
    too_long = {"other": "T(is too long (maximum is %{count} characters))"}
    assert data["errors"]["too_long"] == too_long


def test_yaml_blank_target_for_a_plural_becomes_the_target_languages_group(tmp_path: Path) -> None:
    write(tmp_path, {"en.yml": EN_YML, "ru.yml": 'ru:\n  errors:\n    too_long: ""\n'})
    ru = yaml_format.load(tmp_path / "ru.yml", LoadOptions())
    todo = [e for e in ru.entries() if e.key.startswith("errors.too_long")]
    assert [e.key.rpartition(".")[2] for e in todo] == ["one", "few", "many", "other"]
    assert all(e.state is State.UNTRANSLATED for e in todo)
    for entry in todo:
        ru.fill(entry, ["T" + entry.key.rpartition(".")[2]], review=True)
    data = YAML(typ="safe").load(ru.dumps())["ru"]
    assert data["errors"]["too_long"] == {
        "one": "Tone",
        "few": "Tfew",
        "many": "Tmany",
        "other": "Tother",
    }


def test_yaml_a_text_where_the_source_has_other_keys_is_still_refused(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"en.yml": "en:\n  menu:\n    open: Open\n", "de.yml": "de:\n  menu: Menü\n"},
    )
    with pytest.raises(InputError, match=r"de.yml:2: key 'menu' is a mapping in"):
        yaml_format.load(tmp_path / "de.yml", LoadOptions())


def test_i18next_singular_for_a_plural_group_and_forms_beside_a_text(tmp_path: Path) -> None:
    source = {"item_one": "{{count}} item", "item_other": "{{count}} items", "file": "File"}
    target = {"item": "{{count}} アイテム"}
    ru_target = {"file_one": "файл", "file_few": "файла", "file_many": "файлов"}
    ru_target["file_other"] = "файла"
    write(
        tmp_path,
        {
            "en.json": json.dumps(source),
            "ja.json": json.dumps(target, ensure_ascii=False),
            "ru.json": json.dumps(ru_target, ensure_ascii=False),
        },
    )
    ja = json_format.load(tmp_path / "ja.json", LoadOptions())
    found = states(ja.entries())
    assert found == {
        "item": ("{{count}} items", State.TRANSLATED),
        "file": ("File", State.UNTRANSLATED),
    }
    # Forms of a text the source writes once are the target's own: the plain key is still
    # needed (i18next looks it up without a count, and for the counts the forms leave out).
    ru = json_format.load(tmp_path / "ru.json", LoadOptions())
    found = states(ru.entries())
    assert found["file"] == ("File", State.UNTRANSLATED)
    assert not any(key.startswith("file_") for key in found)


def test_a_targets_own_plural_group_may_leave_out_a_category_only_fractions_use(
    tmp_path: Path,
) -> None:
    # rails-i18n's Czech files have one/few/other: Czech "many" is for 1.5, and Rails counts
    # are whole numbers. A group the target lacks still gets every category.
    write(
        tmp_path,
        {
            "en.yml": EN_YML,
            "cs.yml": (
                "cs:\n  errors:\n    too_long:\n      one: je příliš dlouhý (1 znak)\n"
                "      few: je příliš dlouhý (%{count} znaky)\n"
                "      other: je příliš dlouhý (%{count} znaků)\n"
            ),
        },
    )
    found = states(yaml_format.load(tmp_path / "cs.yml", LoadOptions()).entries())
    assert [k for k in found if k.startswith("errors.too_long.")] == [
        "errors.too_long.one",
        "errors.too_long.few",
        "errors.too_long.other",
    ]
    assert [k.rpartition(".")[2] for k in found if k.startswith("datetime.")] == [
        "one",
        "few",
        "many",
        "other",
    ]


def test_a_targets_own_group_need_not_have_the_sources_explicit_zero(tmp_path: Path) -> None:
    source = {"items_zero": "No items", "items_one": "One item", "items_other": "{{count}} items"}
    target = {"items_one": "Ein Eintrag", "items_other": "{{count}} Einträge"}
    write(tmp_path, {"en.json": json.dumps(source), "de.json": json.dumps(target)})
    found = states(json_format.load(tmp_path / "de.json", LoadOptions()).entries())
    assert list(found) == ["items_one", "items_other"]
    (tmp_path / "de.json").unlink()  # a new file gets the source's zero
    found = states(json_format.load(tmp_path / "de.json", LoadOptions()).entries())
    assert list(found) == ["items_zero", "items_one", "items_other"]
