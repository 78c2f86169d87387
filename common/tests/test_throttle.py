import asyncio
import datetime as dt
import itertools
import time
from zoneinfo import ZoneInfo

import pytest

from finscribe_common.errors import RateLimited
from finscribe_common.throttle import DailyQuota, MinIntervalThrottle


async def test_min_interval_spaces_calls():
    throttle = MinIntervalThrottle(0.05)
    stamps: list[float] = []

    async def call() -> None:
        await throttle.wait()
        stamps.append(time.monotonic())

    await asyncio.gather(*(call() for _ in range(4)))
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert all(gap >= 0.045 for gap in gaps), gaps


async def test_daily_quota_refuses_before_limit_and_resets_next_day():
    kst = ZoneInfo("Asia/Seoul")
    now = dt.datetime(2026, 11, 25, 23, 0, tzinfo=kst)
    quota = DailyQuota(3, "DART", now=lambda: now)
    await quota.take()
    await quota.take(2)
    with pytest.raises(RateLimited) as info:
        await quota.take()
    assert info.value.code == "quota_exceeded"
    assert 3500 <= info.value.retry_after <= 3600
    now = dt.datetime(2026, 11, 26, 0, 1, tzinfo=kst)
    await quota.take()
    assert await quota.remaining() == 2
