from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from l10n_qwen.cache import TranslationCache, cache_key
from l10n_qwen.provider import TranslationRequest

REQUEST = TranslationRequest("Open file", "English", "German", terms=(("file", "Datei"),))


def test_put_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / ".l10n-qwen" / "cache.sqlite3"
    cache = TranslationCache(path)
    cache.put(cache_key("qwen-mt-flash", REQUEST), "Datei öffnen")
    cache.close()
    again = TranslationCache(path)
    assert again.get(cache_key("qwen-mt-flash", REQUEST)) == "Datei öffnen"
    assert again.get(cache_key("qwen-mt-plus", REQUEST)) is None  # the model is part of the key
    again.close()


@pytest.mark.parametrize(
    "other",
    [
        TranslationRequest("Open file", "English", "French", terms=(("file", "Datei"),)),
        TranslationRequest("Open file", "English", "German"),
        TranslationRequest(
            "Open file", "English", "German", terms=(("file", "Datei"),), domains="IT"
        ),
        TranslationRequest("Open files", "English", "German", terms=(("file", "Datei"),)),
    ],
)
def test_key_changes_with_everything_that_shapes_the_answer(other: TranslationRequest) -> None:
    assert cache_key("qwen-mt-flash", other) != cache_key("qwen-mt-flash", REQUEST)


def test_key_leaves_the_tm_list_out() -> None:
    # The examples do not change what the text means, and the cache is asked before the
    # memory is searched for them (issue 11): the same text with other examples is a hit.
    examples = TranslationRequest(
        "Open file", "English", "German", terms=(("file", "Datei"),), tm_list=(("Open", "Öffnen"),)
    )
    assert cache_key("qwen-mt-flash", examples) == cache_key("qwen-mt-flash", REQUEST)


def test_corrupt_cache_is_reported_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="l10n_qwen"):
        cache = TranslationCache(path)
    assert "unreadable" in caplog.text
    assert (tmp_path / "cache.sqlite3.corrupt").exists()
    cache.put("k", "v")
    assert cache.get("k") == "v"
    cache.close()


@pytest.mark.parametrize(
    ("others", "scanned"),
    [(0, True), (5000, False)],  # most of the table asked for: one pass over it; else lookups
)
def test_get_many_answers_for_the_keys_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, others: int, scanned: bool
) -> None:
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    keys = [f"key{i}" for i in range(1200)]  # more than one query's worth
    for key in keys[::2]:
        cache.put(key, key.upper())
    for i in range(others):  # rows of other texts, never asked for
        cache.put(f"other{i}", "x")
    scans: list[int] = []
    real_scan = cache._scan

    def scan(wanted: Sequence[str]) -> dict[str, tuple[str, str]]:
        scans.append(len(wanted))
        return real_scan(wanted)

    monkeypatch.setattr(cache, "_scan", scan)
    found = cache.get_many(keys)
    assert found == {key: (key.upper(), "") for key in keys[::2]}
    assert scans == ([1200] if scanned else [])
    cache.close()


def test_a_cache_from_before_check_stamps_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE translations (key TEXT PRIMARY KEY, text TEXT NOT NULL)")
    old.execute("INSERT INTO translations VALUES ('k', 'Datei')")
    old.commit()
    old.close()
    cache = TranslationCache(path)
    assert cache.get_many(["k"]) == {"k": ("Datei", "")}  # kept, but unstamped: checked again
    cache.put("k2", "Ordner", "stamp")
    assert cache.get_many(["k2"]) == {"k2": ("Ordner", "stamp")}
    cache.close()


@pytest.mark.parametrize(
    "text",
    ["Open file", 'Say "hi"\n\tnow', "Ünïcödé ✓ 日本語", "\x00\x1f\x7f\u2028\\", "\ud800 lone"],
)
def test_the_cache_key_is_the_hash_of_its_json_text(text: str) -> None:
    # Caches written before the key was put together by hand must keep answering.
    request = TranslationRequest(
        text, "English", "German", terms=(("z", "Ž"), ("file", 'Da"tei')), domains="IT \u00e9"
    )
    material = json.dumps(
        [2, "qwen-mt-flash", "English", "German", text, sorted(request.terms), "IT \u00e9"],
        ensure_ascii=False,
    )
    expected = hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()
    if "\ud800" in text:  # not UTF-8: neither way can hash it (the PO loader refuses it first)
        with pytest.raises(UnicodeEncodeError):
            cache_key("qwen-mt-flash", request)
        return
    assert cache_key("qwen-mt-flash", request) == expected
    assert cache_key("qwen-mt-flash", TranslationRequest(text, "English", "German")) == (
        hashlib.sha256(
            json.dumps(
                [2, "qwen-mt-flash", "English", "German", text, [], ""], ensure_ascii=False
            ).encode("utf-8")
        ).hexdigest()
    )
