"""Pausing Python's cyclic garbage collector around work that only builds acyclic data.

Loading a large file and planning its work make a few containers per entry that live as long
as the run and are never in a cycle; the collector, run every 700 new containers, walked them
again and again (a third of the time of loading a 20,000-entry PO file). Reference counting
still frees everything as usual while it is paused.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; a caller that paused it already keeps it so."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# A run (fill, sync) builds its files and its plan once and keeps them to its end: each pass of
# the collector after a pause walked all that was built during it (4 passes, a twentieth of a
# fully cached 20,000-entry fill). ``run_scope`` pauses the collector from the start of the run
# until ``set_aside``, which freezes what was built (``gc.freeze``: the collector never walks it
# again; reference counting still frees it) and lets the collector work on what comes next.
_in_run = False


@contextlib.contextmanager
def run_scope() -> Iterator[None]:
    """The collector paused for a run until ``set_aside``; all handed back at its end."""
    global _in_run
    if _in_run or not gc.isenabled() or gc.get_freeze_count():
        yield  # the collector is someone else's to manage here: leave it as it is
        return
    gc.disable()
    _in_run = True
    try:
        yield
    finally:
        _in_run = False
        gc.unfreeze()  # back into the oldest generation, most of it freed already
        gc.enable()


def set_aside() -> None:
    """In a ``run_scope``: what was built so far lives to the run's end and holds no cycles:
    keep the collector off it, and let it run again."""
    if _in_run and not gc.isenabled():
        gc.freeze()
        gc.enable()
