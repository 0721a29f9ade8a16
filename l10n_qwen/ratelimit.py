"""Client-side pacing to Qwen-MT's per-account quotas: requests and tokens per minute.

Each quota is a token bucket kept as the time it will next be full (GCRA): reserving a slot is a
plain computation with no ``await`` in it, so any number of concurrent tasks can share one limiter
without a lock, and they start in the order they asked. At 60 RPM requests start one a second,
never two in the same second (the quota is also enforced per second). A 429 halves the rate (it
doubles back every ``cooldown`` seconds without another 429) and, when the answer said
``Retry-After``, pauses everyone until then.

::

    limiter = RateLimiter(rpm=60, tpm=100_000)
    await limiter.acquire(tokens=120)  # returns when this request may start
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

_MAX_SLOWDOWN = 4  # the rate never drops below 1/2**4 of the quota
_ARRIVAL_MARGIN = 1.0  # seconds: starts here vs arrivals there (see RateLimiter.__init__)
_PENALTY_GAP = 1.0  # seconds: a volley of 429s from requests already in flight halves the rate once


class _Bucket:
    """One quota: ``rate`` units per second, at most ``capacity`` units at once."""

    def __init__(self, per_minute: float, capacity: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = capacity
        self.full_at = -math.inf  # the bucket is full from this time on

    def earliest(self, now: float, cost: float, factor: float) -> float:
        """When ``cost`` units are available (a cost above capacity waits for a full bucket)."""
        return max(
            now, self.full_at - (self.capacity - min(cost, self.capacity)) / (self.rate * factor)
        )

    def take(self, start: float, cost: float, factor: float) -> None:
        self.full_at = max(self.full_at, start) + cost / (self.rate * factor)


class RateLimiter:
    """Keeps request starts under ``rpm`` requests and ``tpm`` tokens per minute; asyncio-safe.

    ``clock`` and ``sleep`` are injectable so tests can run on virtual time.
    """

    def __init__(
        self,
        rpm: float,
        tpm: float,
        *,
        burst: int | None = None,
        cooldown: float = 30.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rpm <= 0 or tpm <= 0:
            raise ValueError("rpm and tpm must be positive")
        # The quota is also enforced per second: the burst is one second's worth, no more.
        burst = max(1, burst if burst is not None else round(rpm / 60))
        token_burst = max(1.0, tpm / 30)  # two seconds' worth of tokens
        # The service counts a rolling minute. A bucket that starts full lets its burst through
        # on top of a minute's worth, so each refills a burst slower than the quota: no window
        # of 60 s then ever holds more than ``rpm`` requests or ``tpm`` tokens. The service sees
        # a request when it arrives, not when it starts here (the first ones also open their
        # connections), so the minute is stretched by a second of margin.
        margin = 60 / (60 + _ARRIVAL_MARGIN)
        self._requests = _Bucket(max(rpm - (burst - 1), rpm / 2) * margin, burst)
        self._tokens = _Bucket(max(tpm - token_burst, tpm / 2) * margin, token_burst)
        self._cooldown = cooldown
        self._clock = clock
        self._sleep = sleep
        self._slowdown = 0  # the rate is divided by 2**slowdown
        self._penalized_at = -math.inf
        self._paused_until = -math.inf
        #: Requests held back right now by the quota (or a Retry-After pause): when there are
        #: any, the quota is what the run is waiting on (the progress display says so).
        self.waiting = 0

    @property
    def factor(self) -> float:
        """The share of the quota currently used (1.0, or less after 429 answers)."""
        return 2.0 ** -self._current_slowdown(self._clock())

    @property
    def paused_until(self) -> float:
        """Clock time until which no request starts (after a 429 with ``Retry-After``)."""
        return self._paused_until

    def _current_slowdown(self, now: float) -> int:
        if self._slowdown == 0:
            return 0
        recovered = int((now - self._penalized_at) // self._cooldown)
        return max(0, self._slowdown - recovered)

    async def acquire(self, tokens: int = 0) -> None:
        """Wait until a request estimated at ``tokens`` tokens may start, and count it."""
        self.waiting += 1
        try:
            await self._acquire(tokens)
        finally:
            self.waiting -= 1

    async def _acquire(self, tokens: int) -> None:
        while True:
            now = self._clock()
            if now < self._paused_until:
                await self._sleep(self._paused_until - now)
                continue
            factor = 2.0 ** -self._current_slowdown(now)
            start = max(
                self._requests.earliest(now, 1, factor),
                self._tokens.earliest(now, tokens, factor),
            )
            self._requests.take(start, 1, factor)
            self._tokens.take(start, tokens, factor)
            if start <= now:
                return
            await self._sleep(start - now)
            if self._clock() >= self._paused_until:
                return
            # a 429 paused everyone while this task waited: its slot is gone, queue again

    def throttled(self, retry_after: float | None = None) -> None:
        """Record a 429: slow down, and with ``retry_after`` (seconds) pause every request."""
        now = self._clock()
        if now - self._penalized_at >= _PENALTY_GAP:
            self._slowdown = min(_MAX_SLOWDOWN, self._current_slowdown(now) + 1)
            self._penalized_at = now
        if retry_after is not None and retry_after > 0:
            self._paused_until = max(self._paused_until, now + retry_after)
            factor = 2.0 ** -self._current_slowdown(now)
            # empty the buckets at the end of the pause, so the queue does not burst out of it
            requests = self._requests
            requests.full_at = max(
                requests.full_at,
                self._paused_until + (requests.capacity - 1) / (requests.rate * factor),
            )
            self._tokens.full_at = max(self._tokens.full_at, self._paused_until)
