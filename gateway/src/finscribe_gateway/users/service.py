import time

from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_common.schemas import utc_now
from finscribe_gateway.auth.schemas import Principal
from finscribe_gateway.users import repository

_TOUCH_INTERVAL_S = 300.0


class UserService:
    """Records users as they sign in without a database write on every request."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._touched: dict[str, tuple[float, str | None, str | None]] = {}

    async def seen(self, principal: Principal) -> None:
        last = self._touched.get(principal.sub)
        now = time.monotonic()
        if last is not None and now - last[0] < _TOUCH_INTERVAL_S and last[1:] == (principal.email, principal.name):
            return
        async with self._engine.begin() as conn:
            await repository.upsert(
                conn, sub=principal.sub, email=principal.email, name=principal.name, now=utc_now(microseconds=True)
            )
        if len(self._touched) > 50_000:
            self._touched.clear()
        self._touched[principal.sub] = (now, principal.email, principal.name)
