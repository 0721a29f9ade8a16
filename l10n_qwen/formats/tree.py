"""Pairing a nested source tree with its target tree: what JSON and YAML files share.

A *key path* is a tuple of mapping keys (``str``) and list indices (``int``). Users see it encoded
by ``encode_path``: segments joined with ``.``, a literal ``.`` or ``\\`` in a key escaped with a
backslash, list indices as decimal numbers::

    >>> encode_path(("nav", "home.title", "items", 0))
    'nav.home\\\\.title.items.0'

Within one file the encoding is unambiguous (at any level a node is either a mapping or a list).
``plan`` walks the source beside the target and lists the translatable slots, the key order the
target should follow (the source's, plural categories expanded) and the non-text values to copy.
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


def plan(source: Any, target: Any, rules: Rules) -> Plan:
    """Walk ``source`` beside ``target`` (``MISSING`` if there is none yet)."""
    result = Plan()
    _walk(source, target, (), rules, result)
    return result


def _walk(src: Any, tgt: Any, path: PathT, rules: Rules, out: Plan) -> None:
    if isinstance(src, Mapping):
        if tgt is not MISSING and tgt is not None and not isinstance(tgt, Mapping):
            raise ShapeError(path, "mapping", kind_of(tgt))
        tmap: Mapping[Any, Any] = tgt if isinstance(tgt, Mapping) else {}
        if rules.style == "subkeys" and path and _is_plural_mapping(src):
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
        infix = "_ordinal_" if ordinal else "_"
        present = {k.rpartition("_")[2] for k, g in groups.items() if g == group}
        for cat in _target_categories(present, rules, ordinal):
            tkey = f"{base}{infix}{cat}"
            if tkey in src and tkey not in groups:
                continue  # the source's own "x_one" that is no text: not this plural's form
            skey_cat = f"{base}{infix}{cat}" if cat in present else f"{base}{infix}other"
            order.append(tkey)
            tval = tgt.get(tkey, MISSING) if tkey in tgt else MISSING
            if isinstance(tval, (Mapping, list)):
                raise ShapeError((*path, tkey), "text", kind_of(tval))
            text = src[skey_cat]
            if text:
                out.slots.append(Slot((*path, tkey), (*path, skey_cat), text, tval, cat, ordinal))
            elif tval is MISSING:
                out.copies.append(((*path, tkey), text))
    out.order[path] = order


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


def _plural_subkeys(
    src: Mapping[Any, Any], tgt: Mapping[Any, Any], path: PathT, rules: Rules, out: Plan
) -> None:
    present = {str(k) for k in src}
    order: list[str] = []
    for cat in _target_categories(present, rules, ordinal=False):
        order.append(cat)
        tval = tgt.get(cat, MISSING) if cat in tgt else MISSING
        if isinstance(tval, (Mapping, list)):
            raise ShapeError((*path, cat), "text", kind_of(tval))
        scat = cat if cat in present else "other"
        text = src[scat]
        if isinstance(text, str) and text:
            out.slots.append(Slot((*path, cat), (*path, scat), text, tval, cat))
        elif tval is MISSING:
            out.copies.append(((*path, cat), text))
    out.order[path] = order


def _target_categories(present: set[str], rules: Rules, ordinal: bool) -> tuple[str, ...]:
    """The target language's categories; plus ``zero`` where the source has it.

    i18next and Rails both use an explicit ``zero`` form for a count of 0 in any language
    (https://www.i18next.com/translation-function/plurals), so a source ``_zero`` is kept.
    """
    known = rules.ordinal if ordinal else rules.cardinal
    if not known:  # the target language is unknown: keep the source's categories
        return tuple(c for c in CATEGORIES if c in present)
    cats = set(known) | {"other"}
    if "zero" in present and not ordinal:
        cats.add("zero")
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
