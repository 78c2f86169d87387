import asyncio

import pytest

from finscribe_common.cache import AsyncTTLCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_single_flight_fifty_concurrent_calls_one_load():
    cache: AsyncTTLCache[int] = AsyncTTLCache()
    calls = 0

    async def load() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return 42

    results = await asyncio.gather(*(cache.get_or_load("k", load, ttl=60) for _ in range(50)))
    assert results == [42] * 50
    assert calls == 1
    assert cache.stats.loads == 1 and cache.stats.shared_waits == 49


async def test_ttl_expiry_reloads():
    clock = Clock()
    cache: AsyncTTLCache[str] = AsyncTTLCache(clock=clock)
    values = iter(["first", "second"])

    async def load() -> str:
        return next(values)

    assert await cache.get_or_load("k", load, ttl=10) == "first"
    clock.now += 9
    assert await cache.get_or_load("k", load, ttl=10) == "first"
    clock.now += 2
    assert await cache.get_or_load("k", load, ttl=10) == "second"


async def test_ttl_may_depend_on_value():
    clock = Clock()
    cache: AsyncTTLCache[dict] = AsyncTTLCache(clock=clock)

    async def load() -> dict:
        return {"closed": True}

    await cache.get_or_load("k", load, ttl=lambda v: 3600 if v["closed"] else 5)
    clock.now += 100
    assert cache.get("k") == {"closed": True}


async def test_failures_are_not_cached_and_reach_every_waiter():
    cache: AsyncTTLCache[int] = AsyncTTLCache()
    attempts = 0

    async def failing() -> int:
        nonlocal attempts
        attempts += 1
        await asyncio.sleep(0.01)
        raise ValueError("upstream down")

    outcomes = await asyncio.gather(
        *(cache.get_or_load("k", failing, ttl=60) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(o, ValueError) for o in outcomes)
    assert attempts == 1

    async def works() -> int:
        return 7

    assert await cache.get_or_load("k", works, ttl=60) == 7


async def test_cancelled_waiter_does_not_cancel_shared_load():
    cache: AsyncTTLCache[int] = AsyncTTLCache()
    started = asyncio.Event()

    async def load() -> int:
        started.set()
        await asyncio.sleep(0.05)
        return 1

    owner = asyncio.create_task(cache.get_or_load("k", load, ttl=60))
    await started.wait()
    waiter = asyncio.create_task(cache.get_or_load("k", load, ttl=60))
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert await owner == 1


def test_lru_bound():
    cache: AsyncTTLCache[int] = AsyncTTLCache(max_entries=2)
    cache.set("a", 1, 60)
    cache.set("b", 2, 60)
    cache.get("a")
    cache.set("c", 3, 60)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
