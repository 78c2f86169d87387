"""Quotas, throttles, cool-downs and caches shared through a real Redis, as two replicas
(two SharedState clients, like two pods) see them; and what happens when Redis goes away."""

import asyncio
import datetime as dt
import logging
import time
from zoneinfo import ZoneInfo

import pytest

from finscribe_common.cache import AsyncTTLCache
from finscribe_common.errors import RateLimited, UpstreamError
from finscribe_common.shared_state import SharedState
from finscribe_common.throttle import Cooldown, DailyQuota, MinIntervalThrottle
from finscribe_testkit.common.redis import private_redis

KST = ZoneInfo("Asia/Seoul")


@pytest.fixture
async def replica(shared_state: SharedState):
    """A second process's view: another client with the same prefix."""
    other = SharedState(shared_state.url, prefix=shared_state.prefix)
    yield other
    await other.aclose()


async def test_quota_is_one_count_across_replicas(shared_state, replica):
    now = dt.datetime(2026, 11, 25, 23, 0, tzinfo=KST)
    a = DailyQuota(5, "DART", now=lambda: now, shared=shared_state)
    b = DailyQuota(5, "DART", now=lambda: now, shared=replica)
    results = await asyncio.gather(*(q.take() for q in [a, b] * 5), return_exceptions=True)
    refused = [r for r in results if isinstance(r, RateLimited)]
    assert len(refused) == 5 and all(r.code == "quota_exceeded" for r in refused)
    assert await a.spent() == 5 and await b.remaining() == 0
    # the next day starts a new count on every replica
    now = dt.datetime(2026, 11, 26, 0, 1, tzinfo=KST)
    await b.take(2)
    assert await a.remaining() == 3


async def test_min_interval_spaces_calls_of_all_replicas(shared_state, replica):
    # The throttle reserves slots `gap` apart in Redis and releases each caller no earlier
    # than its slot; it cannot stop a starved process from waking two callers late and
    # together (on a fifth of a core both timers fire in one loop turn), so the gaps between
    # wake-ups are not what it promises. What it does promise, and what holds under any
    # load: the k-th caller to get through does so at least k gaps after the calls started.
    gap = 0.05
    throttles = [MinIntervalThrottle(gap, name="krx", shared=s) for s in (shared_state, replica)]
    stamps: list[float] = []

    async def call(throttle: MinIntervalThrottle) -> None:
        await throttle.wait()
        stamps.append(time.monotonic())

    start = time.monotonic()
    await asyncio.gather(*(call(t) for t in throttles * 3))
    stamps.sort()
    since_start = [stamp - start for stamp in stamps]
    # 1 ms: Redis counts whole milliseconds
    assert len(stamps) == 6 and all(t >= k * gap - 0.001 for k, t in enumerate(since_start)), since_start


async def test_cooldown_seen_by_other_replica_and_never_shortened(shared_state, replica):
    mine, theirs = Cooldown("dart", shared=shared_state), Cooldown("dart", shared=replica)
    assert await theirs.remaining() == 0
    await mine.start(30)
    await mine.start(1)  # a shorter one later must not cut the first short
    assert 28 < await theirs.remaining() <= 30


async def test_fifty_requests_over_three_replicas_load_once(shared_state):
    states = [shared_state] + [SharedState(shared_state.url, prefix=shared_state.prefix) for _ in range(2)]
    caches = [AsyncTTLCache.shared_by(s, "quotes", dict[str, float]) for s in states]
    calls = 0

    async def load() -> dict[str, float]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.1)
        return {"close": 71_400.0}

    try:
        results = await asyncio.gather(*(caches[i % 3].get_or_load(("q", "005930"), load, 60) for i in range(50)))
        assert results == [{"close": 71_400.0}] * 50
        assert calls == 1
        assert sum(c.stats.remote_waits for c in caches) == 2  # one waiting flight per other replica
        # warm: a new replica reads the entry without loading
        fresh = AsyncTTLCache.shared_by(SharedState(shared_state.url, prefix=shared_state.prefix), "quotes", dict)
        assert await fresh.get_or_load(("q", "005930"), load, 60) == {"close": 71_400.0}
        assert calls == 1 and fresh.stats.remote_hits == 1
    finally:
        for s in states[1:]:
            await s.aclose()


async def test_loader_error_reaches_waiting_replicas_without_more_upstream_calls(shared_state, replica):
    a = AsyncTTLCache.shared_by(shared_state, "filings", list[str])
    b = AsyncTTLCache.shared_by(replica, "filings", list[str])
    calls = 0

    async def failing() -> list[str]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.1)
        raise UpstreamError("Open DART answered HTTP 500")

    results = await asyncio.gather(
        a.get_or_load("k", failing, 60), b.get_or_load("k", failing, 60), return_exceptions=True
    )
    assert calls == 1
    assert all(getattr(r, "status_code", None) == 502 and r.code == "upstream_error" for r in results), results
    # failures are not cached: the next caller tries again

    async def ok() -> list[str]:
        return ["20240814000123"]

    assert await b.get_or_load("k", ok, 60) == ["20240814000123"]


async def test_typed_values_round_trip(shared_state, replica):
    when = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    a = AsyncTTLCache.shared_by(shared_state, "typed", tuple[dt.datetime, list[int]])
    b = AsyncTTLCache.shared_by(replica, "typed", tuple[dt.datetime, list[int]])

    async def load() -> tuple[dt.datetime, list[int]]:
        return when, [1, 2]

    await a.get_or_load("k", load, 60)

    async def never() -> tuple[dt.datetime, list[int]]:
        raise AssertionError("must come from Redis")

    assert await b.get_or_load("k", never, 60) == (when, [1, 2])


async def test_redis_going_away_falls_back_per_process_with_warning(caplog):
    with private_redis() as (url, proc):
        state = SharedState(url, prefix="down-test", retry_after=0.2)
        quota = DailyQuota(3, "Yahoo", shared=state)
        cache = AsyncTTLCache.shared_by(state, "down", int)
        throttle = MinIntervalThrottle(0.01, name="down", shared=state)
        cooldown = Cooldown("down", shared=state)
        await quota.take()
        assert await state.readiness() is None
        proc.kill()
        proc.wait()
        calls = 0

        async def load() -> int:
            nonlocal calls
            calls += 1
            return 7

        with caplog.at_level(logging.WARNING, logger="finscribe.shared_state"):
            # every operation still answers, from this process's own state
            await quota.take()
            await quota.take()
            with pytest.raises(RateLimited):
                await quota.take()
            assert await cache.get_or_load("k", load, 60) == 7
            assert await cache.get_or_load("k", load, 60) == 7
            assert calls == 1
            await throttle.wait()
            await cooldown.start(5)
            assert await cooldown.remaining() > 4
        assert any("fall back to this process" in r.getMessage() for r in caplog.records)
        note = await state.readiness()
        assert note is not None and note.startswith("degraded")
        await state.aclose()


async def test_disabled_state_is_in_process():
    state = SharedState(None)
    assert not state.enabled and await state.readiness() == "in-process: REDIS_URL not set"
    cache = AsyncTTLCache.shared_by(state, "x", int)
    assert cache.remote is None


async def test_a_refused_command_is_not_taken_for_an_outage(shared_state):
    assert shared_state.client is not None
    await shared_state.client.set(shared_state.key("quota", "DART", "2026-11-25"), "not a number")
    now = dt.datetime(2026, 11, 25, 9, 0, tzinfo=KST)
    quota = DailyQuota(5, "DART", now=lambda: now, shared=shared_state)
    await quota.take()  # Redis refuses the script (not an integer): counted in the process this once
    assert quota.used == 1 and shared_state.available  # no back-off: the next call uses Redis again
