"""A bounded fuzz run in the suite; ``conformance/fuzz.py`` runs 10,000+ cases (issue #8)."""

from __future__ import annotations

from conformance.fuzz import KINDS, run

CASES = 8 * len(KINDS)  # eight of each kind: a few seconds


def test_mutated_inputs_give_exit_0_1_or_2_quickly_and_never_corrupt_anything() -> None:
    outcomes = list(run(CASES, seed=2026))
    assert len(outcomes) == CASES
    assert {o.kind for o in outcomes} == set(KINDS)
    assert [(o.number, o.kind, o.problems) for o in outcomes if o.problems] == []
    # The mutations must leave enough intact to reach the writers, not only the parsers.
    exits = [code for o in outcomes for code in o.exits]
    assert exits.count(0) > CASES // 4 and exits.count(2) > CASES // 4
