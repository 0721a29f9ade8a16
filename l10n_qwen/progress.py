"""Progress of a run on stderr: a bar on a terminal, plain lines in a CI or pre-commit log.

On a terminal, tqdm draws entries done out of the total, the rate and the time left; when the
request quota is what the run is waiting on, the bar says so. Without a terminal a bar's
carriage returns make a mess of a log, so a plain line is printed instead: every
``interval`` seconds (10 by default), and at each further tenth of the work, at most one every
``interval / 5`` seconds, so a run of a few seconds stays quiet::

    l10n-qwen: 420/1000 entries (42%), 17.2/s, about 34 s left; waiting on the quota
    (60 requests/min)
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import IO, NoReturn

from tqdm import tqdm

Clock = Callable[[], float]


def duration(seconds: float) -> str:
    """``seconds`` for people: ``"8 s"``, ``"3 min 05 s"``, ``"1 h 02 min"``."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _columns(stream: IO[str]) -> int:
    """The width of the terminal ``stream`` writes to; 0 when it has none or says none."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        return 0


class Progress:
    """Counts finished entries (``progress(n)``) and shows them on ``stream``.

    ``tick(waiting_on_quota)`` is called about every half second by the run, so a log gets its
    line even while nothing finishes, and the bar can say what the run is waiting on.
    """

    def __init__(
        self,
        total: int,
        stream: IO[str],
        *,
        interval: float = 10.0,
        quota: str = "",
        clock: Clock = time.monotonic,
    ) -> None:
        self.total = total
        self.done = 0
        self.quota = quota  # "60 requests/min": how the waiting-on-quota note names it
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._started = self._last_line = clock()
        self._next_step = 1  # the next tenth of the work that earns a line
        self._waiting = False
        self._lines = 0
        self._bar: tqdm[NoReturn] | None = None
        if stream.isatty():
            # A terminal nobody gave a size (some CI runners' ptys) says 0 columns, and tqdm
            # then draws nothing: 120 by 24 there.
            sized = _columns(stream) > 0
            self._bar = tqdm(
                total=total,
                file=stream,
                unit=" entries",
                dynamic_ncols=sized,
                ncols=None if sized else 120,
                nrows=None if sized else 24,
                leave=True,
                mininterval=0.2,
            )

    def __call__(self, count: int) -> None:
        """``count`` more entries are finished (filled or failed)."""
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        else:
            self._maybe_print()

    def tick(self, waiting_on_quota: bool) -> None:
        """Time passes: note what the run waits on, and print a line when one is due."""
        changed = waiting_on_quota != self._waiting
        self._waiting = waiting_on_quota
        if self._bar is not None:
            if changed:
                note = f"waiting on the quota ({self.quota})" if waiting_on_quota else ""
                self._bar.set_postfix_str(note, refresh=False)
            self._bar.refresh()
        else:
            self._maybe_print()

    def close(self) -> None:
        """Finish the bar, or end the log with a last line (when there were lines before)."""
        if self._bar is not None:
            self._bar.set_postfix_str("", refresh=False)
            self._bar.close()
        elif self._lines:
            elapsed = self._clock() - self._started
            self._write(f"{self.done}/{self.total} entries done in {duration(elapsed)}")

    def line(self) -> str:
        """The plain progress line: done/total, rate, time left, and the quota note."""
        elapsed = self._clock() - self._started
        percent = 100 * self.done // self.total if self.total else 100
        text = f"{self.done}/{self.total} entries ({percent}%)"
        if self.done and elapsed > 0:
            rate = self.done / elapsed
            text += f", {rate:.1f}/s, about {duration((self.total - self.done) / rate)} left"
        if self._waiting:
            text += f"; waiting on the quota ({self.quota})"
        return text

    def _maybe_print(self) -> None:
        now = self._clock()
        since = now - self._last_line
        step = 10 * self.done // self.total if self.total else 10
        due = since >= self._interval or (step >= self._next_step and since >= self._interval / 5)
        if due and self.done < self.total:
            self._next_step = step + 1
            self._write(self.line())

    def _write(self, text: str) -> None:
        self._last_line = self._clock()
        self._lines += 1
        self._stream.write(f"l10n-qwen: {text}\n")
        self._stream.flush()
