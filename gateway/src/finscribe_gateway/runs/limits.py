"""Per-user run limits: runs started per minute and runs running at once.

Counted in the database, so the limits hold across gunicorn workers; a per-user lock
keeps two requests in one worker from both slipping past the count.
"""

import asyncio
import datetime as dt
from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncConnection

from finscribe_common.errors import RateLimited
from finscribe_gateway.runs import repository

_WINDOW = dt.timedelta(minutes=1)
_CONCURRENT_RETRY_AFTER_S = 5.0


class RunLimiter:
    def __init__(self, *, per_minute: int, concurrent: int) -> None:
        self.per_minute = per_minute
        self.concurrent = concurrent
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def lock(self, user_sub: str) -> asyncio.Lock:
        return self._locks[user_sub]

    async def check(self, conn: AsyncConnection, *, user_sub: str, now: dt.datetime) -> None:
        running = await repository.count_running(conn, user_sub=user_sub)
        if running >= self.concurrent:
            raise RateLimited(
                f"you already have {running} runs in progress (limit {self.concurrent}); wait for one to finish",
                code="too_many_concurrent_runs",
                retry_after=_CONCURRENT_RETRY_AFTER_S,
            )
        recent = await repository.created_since(conn, user_sub=user_sub, since=now - _WINDOW)
        if len(recent) >= self.per_minute:
            # the window frees a slot when the oldest run in it turns a minute old
            oldest = recent[len(recent) - self.per_minute]
            retry_after = max(1.0, (oldest + _WINDOW - now).total_seconds())
            raise RateLimited(
                f"at most {self.per_minute} runs per minute; try again in {int(retry_after + 0.999)} s",
                retry_after=retry_after,
            )
