import datetime as dt

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from finscribe_gateway.db.tables import users


async def upsert(conn: AsyncConnection, *, sub: str, email: str | None, name: str | None, now: dt.datetime) -> None:
    updated = await conn.execute(
        sa.update(users).where(users.c.sub == sub).values(email=email, name=name, last_seen_at=now)
    )
    if updated.rowcount:
        return
    try:
        async with conn.begin_nested():
            await conn.execute(
                sa.insert(users).values(sub=sub, email=email, name=name, created_at=now, last_seen_at=now)
            )
    except IntegrityError:
        # another worker inserted the same user between our update and insert
        await conn.execute(sa.update(users).where(users.c.sub == sub).values(email=email, name=name, last_seen_at=now))


async def lock(conn: AsyncConnection, *, sub: str) -> None:
    """Hold the user's row until the transaction ends (SELECT ... FOR UPDATE): per-user
    limits are counted and the new row inserted while no other worker can do the same.
    A no-op on SQLite, which runs in one process (the caller also holds a process lock)."""
    await conn.execute(sa.select(users.c.sub).where(users.c.sub == sub).with_for_update())
