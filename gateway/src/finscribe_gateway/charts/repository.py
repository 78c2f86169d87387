import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from finscribe_gateway.db.tables import charts


async def insert(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(sa.insert(charts).values(**values))


async def get_png(conn: AsyncConnection, *, chart_id: str, now: dt.datetime) -> bytes | None:
    png = await conn.scalar(sa.select(charts.c.png).where(charts.c.id == chart_id, charts.c.expires_at > now))
    return bytes(png) if png is not None else None


async def delete_expired(conn: AsyncConnection, *, now: dt.datetime) -> int:
    result = await conn.execute(sa.delete(charts).where(charts.c.expires_at <= now))
    return int(result.rowcount or 0)
