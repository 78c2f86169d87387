"""Keep a minimum gap between upstream calls, count calls per day against a quota, and
refuse calls during an upstream's cool-down.

Each takes an optional `SharedState`: with Redis the gap, the count and the cool-down
hold across every replica (keys `<prefix>:throttle:<name>`, `<prefix>:quota:<name>:<day>`,
`<prefix>:cooldown:<name>`); without it, or while Redis is down, they hold per process.
Redis is the only clock for the shared gap (`TIME` inside the script), so replicas on
hosts whose clocks disagree still space their calls.
"""

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from finscribe_common.errors import RateLimited
from finscribe_common.shared_state import SharedState, SharedStateDown

logger = logging.getLogger("finscribe.throttle")

# Reserve the next free slot: slot = max(now, last + gap); returns how long to wait (ms).
# Milliseconds since the epoch (13 digits) survive Lua's number formatting exactly.
_RESERVE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local gap = tonumber(ARGV[1])
local slot = now
if last + gap > now then slot = last + gap end
redis.call('SET', KEYS[1], string.format('%.0f', slot), 'PX', gap + 60000)
return slot - now
"""

# Take `n` from the day's quota unless that passes the limit: returns the count after
# taking, or -1 - used when refused (nothing is taken then).
_TAKE_QUOTA = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local n = tonumber(ARGV[1])
if used + n > tonumber(ARGV[2]) then return -1 - used end
used = redis.call('INCRBY', KEYS[1], n)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return used
"""

# A cool-down only ever grows: a shorter one does not cut a longer one short.
_EXTEND_COOLDOWN = """
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1
"""


class MinIntervalThrottle:
    """Callers pass at least `min_interval` seconds apart (across replicas with Redis)."""

    def __init__(
        self,
        min_interval: float,
        clock: Callable[[], float] = time.monotonic,
        *,
        name: str = "default",
        shared: SharedState | None = None,
    ) -> None:
        self.min_interval = min_interval
        self.name = name
        self.shared = shared or SharedState.disabled()
        self._clock = clock
        self._lock = asyncio.Lock()
        self._last = float("-inf")

    async def wait(self) -> None:
        if self.min_interval <= 0:
            return
        if self.shared.enabled:
            try:
                await self._wait_shared()
            except SharedStateDown:
                pass  # spaced per process until Redis is back
            else:
                return
        await self._wait_local()

    async def _wait_shared(self) -> None:
        gap_ms = max(1, round(self.min_interval * 1000))
        script = self.shared.script(_RESERVE_SLOT)
        key = self.shared.key("throttle", self.name)
        delay_ms = await self.shared.run(f"throttle {self.name}", lambda _: script(keys=[key], args=[gap_ms]))
        # the slot is ours: sleeping does not hold anything another caller waits for
        self._last = self._clock() + int(delay_ms) / 1000
        if int(delay_ms) > 0:
            await asyncio.sleep(int(delay_ms) / 1000)

    async def _wait_local(self) -> None:
        async with self._lock:
            delay = self._last + self.min_interval - self._clock()
            if delay > 0:
                await asyncio.sleep(delay)
            self._last = self._clock()


class DailyQuota:
    """Refuse before an upstream's daily limit is hit; the day turns at midnight in `tz`.

    With Redis the count is one per key and day for all replicas; during a Redis outage
    each process counts on its own from what it last knew (so N replicas may together
    spend up to N times what is left: the outage is logged and readiness says degraded).
    """

    def __init__(
        self,
        limit: int,
        name: str,
        tz: str = "Asia/Seoul",
        now: Callable[[], dt.datetime] | None = None,
        *,
        shared: SharedState | None = None,
    ):
        self.limit = limit
        self.name = name
        self.shared = shared or SharedState.disabled()
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

    def _refuse(self, now: dt.datetime) -> RateLimited:
        tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=self._tz)
        return RateLimited(
            f"daily {self.name} request quota of {self.limit} is used up; it resets at midnight KST",
            code="quota_exceeded",
            retry_after=(tomorrow - now).total_seconds(),
        )

    def _key(self, day: dt.date) -> str:
        return self.shared.key("quota", self.name, day.isoformat())

    async def take(self, count: int = 1) -> None:
        """Count `count` calls; raises RateLimited (429 `quota_exceeded`) when over the limit."""
        now = self._roll()
        if self.shared.enabled:
            script = self.shared.script(_TAKE_QUOTA)
            key = self._key(now.date())
            try:
                used = int(
                    await self.shared.run(
                        f"quota {self.name}", lambda _: script(keys=[key], args=[count, self.limit, 2 * 86_400])
                    )
                )
            except SharedStateDown:
                pass  # counted per process until Redis is back
            else:
                if used < 0:
                    self.used = -1 - used
                    raise self._refuse(now)
                self.used = used
                return
        if self.used + count > self.limit:
            raise self._refuse(now)
        self.used += count

    async def spent(self) -> int:
        """Calls counted today (by every replica when shared)."""
        now = self._roll()
        if self.shared.enabled:
            key = self._key(now.date())
            try:
                raw = await self.shared.run(f"quota {self.name}", lambda r: r.get(key))
            except SharedStateDown:
                return self.used
            self.used = int(raw or 0)
        return self.used

    async def remaining(self) -> int:
        return max(0, self.limit - await self.spent())


class Cooldown:
    """After an upstream says "too many requests", refuse calls to it until a deadline.

    With Redis one replica's 429 (or DART's status 020) stops every replica.
    """

    def __init__(
        self, name: str, *, shared: SharedState | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name = name
        self.shared = shared or SharedState.disabled()
        self._clock = clock
        self._until = 0.0

    def _key(self) -> str:
        return self.shared.key("cooldown", self.name)

    async def start(self, seconds: float) -> None:
        self._until = max(self._until, self._clock() + seconds)
        if self.shared.enabled and seconds > 0:
            script = self.shared.script(_EXTEND_COOLDOWN)
            key = self._key()
            ms = max(1, round(seconds * 1000))
            # on failure this process still remembers it
            with contextlib.suppress(SharedStateDown):
                await self.shared.run(f"cooldown {self.name}", lambda _: script(keys=[key], args=[ms]))

    async def remaining(self) -> float:
        """Seconds until calls may resume (0 when they may now)."""
        local = max(0.0, self._until - self._clock())
        if not self.shared.enabled:
            return local
        key = self._key()
        try:
            left_ms = int(await self.shared.run(f"cooldown {self.name}", lambda r: r.pttl(key)))
        except SharedStateDown:
            return local
        return max(local, left_ms / 1000 if left_ms > 0 else 0.0)
