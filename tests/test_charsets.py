"""The PO charset allow-list (``charsets``) and what the PO adapter assumes of it."""

from __future__ import annotations

import codecs

import pytest

from l10n_qwen import charsets


@pytest.mark.parametrize("codec", sorted(charsets._ALLOWED))
def test_every_allowed_charset_encodes_ascii_as_ascii(codec: str) -> None:
    # PoFile.fill checks only non-ASCII text against the file's charset.
    text = "".join(map(chr, range(128)))
    assert text.encode(codec) == text.encode("ascii")
    assert codecs.lookup(codec).name == codec
