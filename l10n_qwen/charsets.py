"""The charsets a PO file may declare: real text encodings that gettext and Python both know.

A PO header's ``charset`` used to go straight to Python's codec registry, which also holds
codecs that are no text encodings at all (``rot13``, ``zlib_codec``, ``punycode``,
``unicode_escape``): decoding with them crashed, and encoding with them wrote a file no runtime
reads (issue #8). Only the encodings in gettext's list of portable charsets (``po-charset.c``)
are taken, under any spelling Python knows for them (``latin1`` is ISO-8859-1).
"""

from __future__ import annotations

import codecs
from pathlib import Path

from l10n_qwen.errors import InputError

# gettext-tools/src/po-charset.c, standard_charsets (Python lacks VISCII and GEORGIAN-PS).
_GETTEXT = (
    "ASCII",
    "ISO-8859-1",
    "ISO-8859-2",
    "ISO-8859-3",
    "ISO-8859-4",
    "ISO-8859-5",
    "ISO-8859-6",
    "ISO-8859-7",
    "ISO-8859-8",
    "ISO-8859-9",
    "ISO-8859-13",
    "ISO-8859-14",
    "ISO-8859-15",
    "KOI8-R",
    "KOI8-U",
    "KOI8-T",
    "CP850",
    "CP866",
    "CP874",
    "CP932",
    "CP949",
    "CP950",
    "CP1250",
    "CP1251",
    "CP1252",
    "CP1253",
    "CP1254",
    "CP1255",
    "CP1256",
    "CP1257",
    "GB2312",
    "EUC-JP",
    "EUC-KR",
    "EUC-TW",
    "BIG5",
    "BIG5-HKSCS",
    "GBK",
    "GB18030",
    "SHIFT_JIS",
    "JOHAB",
    "TIS-620",
    "VISCII",
    "GEORGIAN-PS",
    "UTF-8",
)


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_ALLOWED = frozenset(filter(None, map(_known, _GETTEXT)))


def po_codec(path: Path, declared: str, line: int | None = None) -> str:
    """The Python codec to read and write a PO file whose header says ``charset=declared``.

    ``UTF-8-SIG`` is read and written as UTF-8: the file's BOM, if any, is kept once, never
    written before each changed line. Anything else outside the list is an InputError.

    >>> po_codec(Path("x.po"), "UTF-8-SIG")
    'utf-8'
    """
    name = _known(declared)
    if name == "utf-8-sig":
        return "utf-8"
    if name not in _ALLOWED:
        raise InputError(
            path,
            f"charset {declared!r} is not a text encoding gettext knows "
            "(use UTF-8, or one of ISO-8859-n, CP125n, EUC-JP, ...)",
            line=line,
        )
    return declared  # as the file spells it, for messages
