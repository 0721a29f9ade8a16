"""Pairing a nested source tree with its target tree: what JSON and YAML files share.

A *key path* is a tuple of mapping keys (``str``) and list indices (``int``). Users see it encoded
by ``encode_path``: segments joined with ``.``, a literal ``.`` or ``\\`` in a key escaped with a
backslash, list indices as decimal numbers::

    >>> encode_path(("nav", "home.title", "items", 0))
    'nav.home\\\\.title.items.0'

Within one file the encoding is unambiguous (at any level a node is either a mapping or a list).
``plan`` walks the source beside the target and lists the translatable slots, the key order the
target should follow (the source's, plural categories expanded) and the non-text values to copy.

Where the target pluralizes differently from the source, its own shape is the translation, as
Ruby's I18n and i18next read it: one text for a source plural (Rails ``about_x_hours: 約...``,
i18next ``item`` for ``item_one``/``item_other``), a Rails plural for a source text. Forms an
i18next target adds beside a text the source writes once (``exact_one`` beside ``exact``) are
extra keys of its own: the plain key is still a slot, since i18next looks it up without a count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

PathT = tuple[str | int, ...]
CATEGORIES = ("zero", "one", "two", "few", "many", "other")
PluralStyle = Literal["suffix", "subkeys", "none"]

#: A target value that is absent (distinct from ``None``, a YAML ``~`` / JSON ``null``).
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

_SUFFIX = re.compile(r"^(?P<base>.+?)_(?P<ordinal>ordinal_)?(?P<cat>zero|one|two|few|many|other)$")


def encode_path(path: PathT) -> str:
    """The user-facing key of ``path`` (see the module docstring)."""
    return ".".join(
        str(seg) if isinstance(seg, int) else seg.replace("\\", "\\\\").replace(".", "\\.")
        for seg in path
    )


def kind_of(value: Any) -> str:
    """A word for the kind of ``value``, for messages: text, mapping, list or value."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return "value"


class ShapeError(Exception):
    """The source and the target disagree on what a key holds (text vs mapping vs list)."""

    def __init__(self, path: PathT, source_kind: str, target_kind: str) -> None:
        self.path = path
        self.source_kind = source_kind
        self.target_kind = target_kind
        super().__init__(
            f"key {encode_path(path)!r} is a {source_kind} in the source file "
            f"but a {target_kind} in this file"
        )

    def describe(self, source_name: object) -> str:
        """The message for the target file, naming the source file."""
        return (
            f"key {encode_path(self.path)!r} is a {self.source_kind} in {source_name} "
            f"but a {self.target_kind} here"
        )


@dataclass(frozen=True)
class Slot:
    """One translatable leaf: its target path, where its source text is, and that text."""

    path: PathT
    source_path: PathT
    source: str
    target: Any  # the current target value: MISSING, None, or a scalar
    category: str | None = None  # CLDR plural category when part of a plural group
    ordinal: bool = False  # the category is an ordinal one (i18next ``_ordinal_two``)


@dataclass
class Plan:
    """What ``plan`` found."""

    slots: list[Slot] = field(default_factory=list)
    #: Per target mapping path: the keys in the order the target should have them.
    order: dict[PathT, list[str]] = field(default_factory=dict)
    #: Non-text source values (numbers, booleans, nulls, untranslated texts) the target lacks.
    copies: list[tuple[PathT, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Rules:
    """How to read a tree: plural style, target plural categories, which paths to skip/copy."""

    cardinal: tuple[str, ...]  # the target language's CLDR categories; () = keep the source's
    ordinal: tuple[str, ...] = ()
    style: PluralStyle = "suffix"
    skip: Callable[[PathT], bool] = lambda path: False  # neither translated nor copied
    is_text: Callable[[PathT], bool] = lambda path: True  # False: a string copied, not translated
    #: Cardinal categories no whole count falls in (Czech ``many``: 1.5). A target's own plural
    #: group may leave them out, as rails-i18n's Czech files do: counts are whole numbers.
    fractions_only: tuple[str, ...] = ()


def plan(source: Any, target: Any, rules: Rules) -> Plan:
    """Walk ``source`` beside ``target`` (``MISSING`` if there is none yet)."""
    result = Plan()
    _walk(source, target, (), rules, result)
    return result


def _blank(value: Any) -> bool:
    """No value yet: absent, null, or an empty text (``too_long: ""``)."""
    return value is MISSING or value is None or value == ""


def _walk(src: Any, tgt: Any, path: PathT, rules: Rules, out: Plan) -> None:
    if isinstance(src, Mapping):
        plural = rules.style == "subkeys" and bool(path) and _is_plural_mapping(src)
        if plural and isinstance(tgt, str) and tgt:
            # One text where the source pluralizes (Japanese ``about_x_hours``): Rails uses it
            # for every count. It is the translation, checked against the source's ``other``.
            text = _plural_text(src)
            if text:
                out.slots.append(Slot(path, (*path, "other"), text, tgt))
            return
        if not _blank(tgt) and not isinstance(tgt, Mapping):
            raise ShapeError(path, "mapping", kind_of(tgt))
        tmap: Mapping[Any, Any] = tgt if isinstance(tgt, Mapping) else {}
        if plural:
            _plural_subkeys(src, tmap, path, rules, out)
        else:
            _mapping(src, tmap, path, rules, out)
    elif isinstance(src, list):
        if tgt is not MISSING and tgt is not None and not isinstance(tgt, list):
            raise ShapeError(path, "list", kind_of(tgt))
        tlist: list[Any] = tgt if isinstance(tgt, list) else []
        for index, item in enumerate(src):
            _walk(item, tlist[index] if index < len(tlist) else MISSING, (*path, index), rules, out)
    elif isinstance(src, str) and src and rules.is_text(path):
        if rules.style == "subkeys" and isinstance(tgt, Mapping) and _is_plural_mapping(tgt):
            # The target pluralizes what the source writes once (Russian ``billion``): each of
            # its forms translates the source text.
            _plural_subkeys(src, tgt, path, rules, out)
            return
        if isinstance(tgt, (Mapping, list)):
            raise ShapeError(path, "text", kind_of(tgt))
        out.slots.append(Slot(path, path, src, tgt))
    elif tgt is MISSING:
        out.copies.append((path, src))


def _own_items(mapping: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    # ruamel's CommentedMap also yields keys merged in with ``<<: *anchor``; those are not its own.
    non_merged = getattr(mapping, "non_merged_items", None)
    return list(non_merged()) if non_merged is not None else list(mapping.items())


def _has_merge(mapping: Mapping[Any, Any]) -> bool:
    return bool(getattr(mapping, "_yaml_merge", None))  # ruamel's ``<<: *anchor``


def _mapping(
    src: Mapping[Any, Any], tgt: Mapping[Any, Any], path: PathT, rules: Rules, out: Plan
) -> None:
    # Keys the source merges in (``<<: *defaults``) come with the target's own merge if it has
    # one; otherwise the target needs them as keys of its own.
    items = _own_items(src) if _has_merge(tgt) else list(src.items())
    groups = _suffix_groups(items) if rules.style == "suffix" else {}
    order: list[str] = []
    emitted: set[tuple[str, bool]] = set()
    for key, value in items:
        skey = str(key)
        sub = (*path, skey)
        if rules.skip(sub):
            order.append(skey)
            continue
        group = groups.get(skey)
        if group is None:
            order.append(skey)
            _walk(value, tgt.get(key, MISSING) if key in tgt else MISSING, sub, rules, out)
            continue
        if group in emitted:
            continue
        emitted.add(group)
        base, ordinal = group
        present = {k.rpartition("_")[2] for k, g in groups.items() if g == group}
        own = tgt.get(base)
        if (
            not ordinal
            and base not in src
            and isinstance(own, str)
            and own
            and not _has_suffix_group(tgt, base)
        ):
            # i18next falls back from ``item_other`` to ``item``: the target's one text serves
            # every count, checked against the source's ``_other``.
            order.append(base)
            other = f"{base}_other"
            out.slots.append(Slot((*path, base), (*path, other), src[other], own))
            continue
        order.extend(_suffix_slots(src, present, tgt, path, group, rules, out))
    out.order[path] = order


def _has_suffix_group(tgt: Mapping[Any, Any], base: str) -> bool:
    """Whether ``tgt`` has i18next plural keys for ``base`` (``base_one``, ``base_other``...)."""
    return any(f"{base}_{cat}" in tgt for cat in CATEGORIES)


def _suffix_slots(
    src: Mapping[Any, Any],
    present: set[str],
    tgt: Mapping[Any, Any],
    path: PathT,
    group: tuple[str, bool],
    rules: Rules,
    out: Plan,
) -> list[str]:
    """The slots of one i18next plural group in the target's categories; their keys, in order."""
    base, ordinal = group
    infix = "_ordinal_" if ordinal else "_"
    order = []
    own = {c for c in CATEGORIES if f"{base}{infix}{c}" in tgt}
    for cat in _target_categories(present, rules, ordinal, own):
        tkey = f"{base}{infix}{cat}"
        if tkey in src and not isinstance(src[tkey], str):
            continue  # the source's own "x_one" that is no text: not this plural's form
        skey_cat = f"{base}{infix}{cat}" if cat in present else f"{base}{infix}other"
        text = src[skey_cat]
        order.append(tkey)
        tval = tgt.get(tkey, MISSING) if tkey in tgt else MISSING
        if isinstance(tval, (Mapping, list)):
            raise ShapeError((*path, tkey), "text", kind_of(tval))
        if text:
            out.slots.append(Slot((*path, tkey), (*path, skey_cat), text, tval, cat, ordinal))
        elif tval is MISSING:
            out.copies.append(((*path, tkey), text))
    return order


def _suffix_groups(items: Sequence[tuple[Any, Any]]) -> dict[str, tuple[str, bool]]:
    """i18next plural keys (``items_one``, ``items_other``, ``place_ordinal_two``) -> group."""
    keys = {str(k) for k, v in items if isinstance(v, str)}
    groups: dict[str, tuple[str, bool]] = {}
    for key in keys:
        match = _SUFFIX.match(key)
        if match is None:
            continue
        ordinal = bool(match["ordinal"])
        other = f"{match['base']}_{'ordinal_' if ordinal else ''}other"
        if other in keys:  # i18next needs the _other form; without it this is no plural group
            groups[key] = (match["base"], ordinal)
    return groups


def _is_plural_mapping(src: Mapping[Any, Any]) -> bool:
    """A Rails plural: only CLDR category keys, ``other`` among them, texts (or nulls) as values."""
    keys = [str(k) for k, _ in _own_items(src)]
    return (
        len(keys) >= 2
        and "other" in keys
        and all(k in CATEGORIES for k in keys)
        and all(v is None or isinstance(v, str) for v in src.values())
    )


def _plural_text(src: Mapping[Any, Any]) -> str:
    """The text a single target text translates for a Rails plural: its ``other`` form."""
    text = src.get("other")
    return text if isinstance(text, str) else ""


def _plural_subkeys(
    src: Mapping[Any, Any] | str,
    tgt: Mapping[Any, Any],
    path: PathT,
    rules: Rules,
    out: Plan,
) -> None:
    """The slots of a Rails plural in the target's categories.

    ``src`` is the source's plural mapping, or the one text every form translates.
    """
    present = {str(k) for k in src} if not isinstance(src, str) else {"other"}
    order: list[str] = []
    own = {str(k) for k in tgt if k in CATEGORIES}
    for cat in _target_categories(present, rules, False, own):
        order.append(cat)
        tval = tgt.get(cat, MISSING) if cat in tgt else MISSING
        if isinstance(tval, (Mapping, list)):
            raise ShapeError((*path, cat), "text", kind_of(tval))
        if isinstance(src, str):
            source_path, text = path, src
        else:
            scat = cat if cat in present else "other"
            source_path, text = (*path, scat), src[scat]
        if isinstance(text, str) and text:
            out.slots.append(Slot((*path, cat), source_path, text, tval, cat))
        elif tval is MISSING:
            out.copies.append(((*path, cat), text))
    out.order[path] = order


def _target_categories(
    present: set[str], rules: Rules, ordinal: bool, own: set[str]
) -> tuple[str, ...]:
    """The target language's categories; plus ``zero`` where the source has it.

    i18next and Rails both use an explicit ``zero`` form for a count of 0 in any language
    (https://www.i18next.com/translation-function/plurals), so a source ``_zero`` is kept.
    ``own``: the categories the target's group already has; where it has some, neither a
    category only fractions fall in (see ``Rules.fractions_only``) nor an explicit ``zero`` the
    language's rules lack is asked for: both runtimes use the rule where they are missing.
    """
    known = rules.ordinal if ordinal else rules.cardinal
    if not known:  # the target language is unknown: keep the source's categories
        return tuple(c for c in CATEGORIES if c in present)
    cats = set(known) | {"other"}
    if "zero" in present and not ordinal:
        cats.add("zero")
    if own and not ordinal:
        optional = set(rules.fractions_only) | ({"zero"} - set(known))
        cats -= optional - own
    return tuple(c for c in CATEGORIES if c in cats)


def get_path(root: Any, path: PathT) -> Any:
    """The value at ``path`` in ``root``, or ``MISSING``."""
    node = root
    for seg in path:
        if isinstance(seg, int):
            if not isinstance(node, list) or seg >= len(node):
                return MISSING
            node = node[seg]
        else:
            if not isinstance(node, Mapping) or seg not in node:
                return MISSING
            node = node[seg]
    return node
