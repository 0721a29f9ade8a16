from __future__ import annotations

from l10n_qwen.batching import (
    AUTO,
    MAX_BATCH_CHARS,
    batch_request,
    halves,
    limits,
    make_batches,
    split_answer,
)
from l10n_qwen.planning import Unit
from l10n_qwen.provider import TranslationRequest


def unit(text: str, target: str = "German", domains: str | None = None, **kw: object) -> Unit:
    request = TranslationRequest(text, "English", target, domains=domains, **kw)  # type: ignore[arg-type]
    return Unit(request, frozenset(), False)


def texts(batches: list[list[Unit]]) -> list[list[str]]:
    return [[u.request.text for u in batch] for batch in batches]


def test_size_one_sends_every_unit_alone() -> None:
    units = [unit("a"), unit("b")]
    assert texts(make_batches(units, 1)) == [["a"], ["b"]]


def test_batches_group_by_language_and_domain_and_respect_size() -> None:
    units = [unit(f"t{i}") for i in range(5)] + [unit("fr", "French"), unit("d", domains="IT")]
    assert texts(make_batches(units, 2)) == [["t0", "t1"], ["t2", "t3"], ["t4"], ["fr"], ["d"]]


def test_multi_line_padded_and_long_texts_go_alone() -> None:
    units = [unit("one\ntwo"), unit(" padded"), unit("x" * 400), unit("a"), unit("b")]
    assert texts(make_batches(units, 10)) == [["one\ntwo"], [" padded"], ["x" * 400], ["a", "b"]]


def test_batches_stay_under_the_character_budget() -> None:
    units = [unit("y" * 250) for _ in range(10)]
    batches = make_batches(units, 10)
    assert all(sum(len(u.request.text) + 1 for u in b) <= MAX_BATCH_CHARS for b in batches)
    assert sum(len(b) for b in batches) == 10


def test_batch_request_joins_lines_and_merges_terms_and_tm() -> None:
    a = unit("Open file", terms=(("file", "Datei"),), tm_list=(("Open", "Öffnen"),))
    b = unit("Save file", terms=(("file", "Datei"), ("save", "speichern")))
    request = batch_request([a, b])
    assert request.text == "Open file\nSave file"
    assert request.terms == (("file", "Datei"), ("save", "speichern"))
    assert request.tm_list == (("Open", "Öffnen"),)


def test_split_answer_needs_one_line_per_text() -> None:
    assert split_answer(" Datei öffnen \nDatei speichern", 2) == ["Datei öffnen", "Datei speichern"]
    assert split_answer("Datei öffnen Datei speichern", 2) is None


def test_auto_sends_up_to_fifty_short_texts_spread_evenly() -> None:
    units = [unit(f"Menu item {i}") for i in range(120)]
    sizes = [len(b) for b in make_batches(units, limits(AUTO, rpm=60, tpm=100_000))]
    assert sizes == [40, 40, 40]


def test_auto_keeps_a_request_within_its_share_of_the_token_quota() -> None:
    # 100,000 tokens a minute over 60 requests: ~1,666 tokens a request, in and out. At 2,000
    # tokens a minute the share is tiny, and so are the batches.
    roomy = limits(AUTO, rpm=60, tpm=100_000)
    tight = limits(AUTO, rpm=60, tpm=20_000)
    assert roomy.text_tokens > tight.text_tokens
    units = [unit("word " * 40) for _ in range(50)]  # ~50 tokens each
    batches = make_batches(units, tight)
    assert len(batches) > 1
    assert all(sum(len(u.request.text) // 4 + 1 for u in b) <= tight.text_tokens for b in batches)


def test_texts_with_different_hints_never_share_a_request() -> None:
    units = [unit("a", domains="menu"), unit("b"), unit("c", domains="menu"), unit("d")]
    assert texts(make_batches(units, AUTO)) == [["a", "c"], ["b", "d"]]


def test_halves_split_a_batch_in_two() -> None:
    units = [unit(str(i)) for i in range(5)]
    assert texts(halves(units)) == [["0", "1"], ["2", "3", "4"]]
