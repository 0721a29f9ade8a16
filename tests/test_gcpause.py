"""The garbage collector's pauses (``gcpause``): whatever happens, it is left as it was found."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from l10n_qwen import gcpause, pipeline
from l10n_qwen.config import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "po"


def test_collector_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with gcpause.collector_paused():
        assert not gc.isenabled()
        with gcpause.collector_paused():  # nested: the outer pause holds
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_run_scope_sets_aside_what_was_built_and_hands_it_back() -> None:
    kept = [[i] for i in range(1000)]  # tracked containers, built during the run
    with gcpause.run_scope():
        assert not gc.isenabled()
        built = [[i] for i in range(1000)]
        gcpause.set_aside()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(built) + len(kept)  # never walked again
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert kept and built


def test_a_run_scope_that_fails_leaves_the_collector_running() -> None:
    with pytest.raises(RuntimeError), gcpause.run_scope():
        raise RuntimeError("stopped")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_run_scope_leaves_a_collector_managed_elsewhere_alone() -> None:
    gc.disable()
    try:
        with gcpause.run_scope():
            gcpause.set_aside()
            assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gcpause.run_scope():
            assert gc.isenabled()  # someone froze objects: not ours to unfreeze
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    gcpause.set_aside()  # outside a run: nothing happens
    assert gc.get_freeze_count() == 0


def test_a_pseudo_fill_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    shutil.copyfile(FIXTURES / "basic" / "de.po", tmp_path / "de.po")
    (tmp_path / "l10n-qwen.toml").write_text("", encoding="utf-8")
    settings = Settings(project_root=tmp_path, provider="pseudo")
    result = pipeline.fill(settings, [tmp_path / "de.po"], echo=lambda line: None)
    assert result.filled > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
