"""Translation-memory files given with ``--tm``: approved pairs from PO or TMX.

    load_tm(Path("old/de.po"), "en", "de_DE")  # -> [('Save', 'Speichern'), ...]

- ``.po``: translated, non-fuzzy, non-obsolete, single-form entries (plural entries carry one
  text per form, which is not a pair: ``load_tm_entries`` gives them, to be reused whole).
  A file whose ``Language`` header (else its path: ``de.po``, ``de/LC_MESSAGES/app.po``) names
  another language gives no pairs, so one ``--tm`` per language is fine in a multi-language
  run; with no language at all, the file is trusted.
- ``.tmx``: every ``tu`` with a ``tuv`` for both languages (matched loosely, as glossary columns
  are: ``de-DE`` serves ``de``). Inline codes (``bpt``, ``ept``, ``ph``, ``it``, ``ut``) carry the
  original markup, so their text is kept: ``Click <bpt>&lt;b></bpt>here`` is ``Click <b>here``,
  as the string reads in a locale file. A ``tu`` with an empty code (``<ph x="1"/>``) cannot be
  rebuilt and is skipped. Source language "auto" uses the ``tu``'s or header's ``srclang``.

Pairs come in file order, without repeats. Any problem is an ``InputError`` naming file and line.
"""

from __future__ import annotations

from pathlib import Path

from l10n_qwen.catalog import Entry, LoadOptions, State
from l10n_qwen.errors import InputError
from l10n_qwen.formats import po
from l10n_qwen.glossary import XmlNode, best_index, best_match, read_xml, xml_lang
from l10n_qwen.languages import locale_from_path
from l10n_qwen.memory import is_whole

_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})


def load_tm(path: Path, source_lang: str, target_lang: str) -> list[tuple[str, str]]:
    """Approved (source, target) pairs for one language pair from a ``.po`` or ``.tmx`` file."""
    return load_tm_entries(path, source_lang, target_lang)[0]


def load_tm_entries(
    path: Path, source_lang: str, target_lang: str
) -> tuple[list[tuple[str, str]], list[Entry]]:
    """``load_tm``'s pairs, and the approved entries of a ``.po`` file that are reused whole
    (plural forms, msgctxt: see ``memory.is_whole``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    plurals: list[Entry] = []
    if suffix in (".po", ".pot"):
        pairs, plurals = _from_po(path, target_lang)
    elif suffix == ".tmx":
        pairs = _from_tmx(path, source_lang, target_lang)
    else:
        raise InputError(path, "unknown translation memory format: expected .po or .tmx")
    return list(dict.fromkeys(pairs)), plurals


def _from_po(path: Path, target_lang: str) -> tuple[list[tuple[str, str]], list[Entry]]:
    catalog = po.load(path, LoadOptions())
    language = catalog.language or locale_from_path(path)
    if language is not None and best_match(target_lang, [language]) is None:
        return [], []  # another language's file
    approved = [e for e in catalog.entries() if e.state is State.TRANSLATED and e.sources[0]]
    pairs = [(e.sources[0], e.targets[0]) for e in approved if len(e.sources) == 1]
    return pairs, [e for e in approved if is_whole(e)]


def _from_tmx(path: Path, source_lang: str, target_lang: str) -> list[tuple[str, str]]:
    root = read_xml(path)
    if root.tag != "tmx":
        raise InputError(path, f"not a TMX file (root element <{root.tag}>)", line=root.line)
    header = root.find("header")
    default_source = header.attrs.get("srclang") if header is not None else None
    auto = source_lang.strip().lower() == "auto"
    pairs = []
    for tu in root.iter("tu"):
        langs: list[str] = []
        segs: list[XmlNode] = []
        for tuv in tu.children("tuv"):
            seg = tuv.find("seg")
            if seg is None:
                raise InputError(path, "<tuv> without <seg>", line=tuv.line)
            langs.append(xml_lang(path, tuv))
            segs.append(seg)
        wanted_source = source_lang
        if auto:
            wanted_source = tu.attrs.get("srclang") or default_source or ""
            if wanted_source in ("", "*all*"):
                raise InputError(
                    path,
                    "source language 'auto', but the TMX names no srclang: give --source-lang",
                    line=tu.line,
                )
        pair = _pair(langs, segs, wanted_source, target_lang)
        if pair is not None:
            pairs.append(pair)
    return pairs


def _pair(
    langs: list[str], segs: list[XmlNode], source_lang: str, target_lang: str
) -> tuple[str, str] | None:
    """The (source, target) texts of one ``tu``; None if it lacks either or cannot be rebuilt."""
    i = best_index(source_lang, langs)
    if i is None:
        return None
    others = [n for n in range(len(langs)) if n != i]
    j = best_index(target_lang, [langs[n] for n in others])
    if j is None:
        return None
    source, target = _seg_text(segs[i]), _seg_text(segs[others[j]])
    if source is None or target is None or not source.strip() or not target.strip():
        return None
    return source, target


def _seg_text(node: XmlNode) -> str | None:
    """The segment as the original string: text, and the native code inline codes carry."""
    parts = []
    for item in node.content:
        if isinstance(item, str):
            parts.append(item)
            continue
        if item.tag in _CODES and not item.text():
            return None  # a code without its native text (<ph x="1"/>): the string is lost
        inner = _seg_text(item)  # codes, <hi>, <sub>: their text, in place
        if inner is None:
            return None
        parts.append(inner)
    return "".join(parts)
