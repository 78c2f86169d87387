"""Per-user run limits: runs started per minute and runs running at once.

Counted in the database inside the transaction that inserts the run, after locking the
user's row (SELECT ... FOR UPDATE), so the limits hold across gunicorn workers and
replicas; a per-user process lock does the same for SQLite, which has no row locks.

A `running` row counts only while its driving process stamps it: a run left by a killed
gateway stops counting after two heartbeat periods, long before the sweep fails it.
"""

import contextlib
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncConnection

from finscribe_common.errors import RateLimited
from finscribe_gateway.runs import repository
from finscribe_gateway.tasks import KeyedLocks
from finscribe_gateway.users import repository as users_repository

_WINDOW = dt.timedelta(minutes=1)
_CONCURRENT_RETRY_AFTER_S = 5.0


class RunLimiter:
    def __init__(self, *, per_minute: int, concurrent: int, live_window_s: float) -> None:
        self.per_minute = per_minute
        self.concurrent = concurrent
        self.live_window = dt.timedelta(seconds=live_window_s)
        self._locks = KeyedLocks()

    def lock(self, user_sub: str) -> contextlib.AbstractAsyncContextManager[None]:
        return self._locks.hold(user_sub)

    async def check(self, conn: AsyncConnection, *, user_sub: str, now: dt.datetime) -> None:
        """Raise RateLimited, or return holding the user's row lock until `conn` commits."""
        await users_repository.lock(conn, sub=user_sub)
        running = await repository.count_running(conn, user_sub=user_sub, live_since=now - self.live_window)
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
