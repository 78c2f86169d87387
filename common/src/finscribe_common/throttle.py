"""Keep a minimum gap between upstream calls, count calls per day against a quota, and
stop calling an upstream that said "too many requests" until it said to come back."""

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from finscribe_common.errors import RateLimited


class MinIntervalThrottle:
    """Callers pass one at a time, at least `min_interval` seconds apart."""

    def __init__(self, min_interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.min_interval = min_interval
        self._clock = clock
        self._lock = asyncio.Lock()
        self._last = float("-inf")

    async def wait(self) -> None:
        if self.min_interval <= 0:
            return
        async with self._lock:
            delay = self._last + self.min_interval - self._clock()
            if delay > 0:
                await asyncio.sleep(delay)
            self._last = self._clock()


class DailyQuota:
    """Refuse before an upstream's daily limit is hit; the day turns at midnight in `tz`."""

    def __init__(self, limit: int, name: str, tz: str = "Asia/Seoul", now: Callable[[], dt.datetime] | None = None):
        self.limit = limit
        self.name = name
        self._tz = ZoneInfo(tz)
        self._now = now or (lambda: dt.datetime.now(self._tz))
        self._day: dt.date | None = None
        self.used = 0

    def _roll(self) -> dt.datetime:
        now = self._now()
        if self._day != now.date():
            self._day = now.date()
            self.used = 0
        return now

    def take(self, count: int = 1) -> None:
        now = self._roll()
        if self.used + count > self.limit:
            tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=self._tz)
            raise RateLimited(
                f"daily {self.name} request quota of {self.limit} is used up; it resets at midnight KST",
                code="quota_exceeded",
                retry_after=(tomorrow - now).total_seconds(),
            )
        self.used += count

    @property
    def remaining(self) -> int:
        self._roll()
        return max(0, self.limit - self.used)


class Cooldown:
    """After an upstream refuses for rate (Open DART status 020, HTTP 429), every call is
    refused locally until its Retry-After has passed, instead of asking it again.

    `check()` before a call raises RateLimited with the time left; `start(seconds)` after a
    refusal. Process-local; a shared implementation (e.g. in Redis) needs only these two
    methods.
    """

    def __init__(self, name: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self._clock = clock
        self._until = float("-inf")

    def start(self, seconds: float) -> None:
        self._until = max(self._until, self._clock() + max(0.0, seconds))

    def remaining(self) -> float:
        return max(0.0, self._until - self._clock())

    def check(self) -> None:
        left = self.remaining()
        if left > 0:
            raise RateLimited(
                f"{self.name} asked us to slow down; not calling it again for {int(left + 0.999)} s",
                code="upstream_rate_limited",
                retry_after=left,
            )
