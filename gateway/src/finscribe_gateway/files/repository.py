"""All SQL about files, scoped to the owner."""

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from finscribe_gateway.db.tables import files


async def count_in_session(conn: AsyncConnection, *, session_id: str) -> int:
    return int(
        await conn.scalar(sa.select(sa.func.count()).select_from(files).where(files.c.session_id == session_id)) or 0
    )


async def insert(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(sa.insert(files).values(**values))


async def list_for_session(conn: AsyncConnection, *, user_sub: str, session_id: str) -> list[dict[str, Any]]:
    result = await conn.execute(
        sa.select(files)
        .where(files.c.session_id == session_id, files.c.user_sub == user_sub)
        .order_by(files.c.created_at, files.c.id)
    )
    return [dict(r._mapping) for r in result]


async def get_owned(conn: AsyncConnection, *, user_sub: str, session_id: str, file_id: str) -> dict[str, Any] | None:
    result = await conn.execute(
        sa.select(files).where(files.c.id == file_id, files.c.session_id == session_id, files.c.user_sub == user_sub)
    )
    row = result.first()
    return dict(row._mapping) if row is not None else None


async def get_any(conn: AsyncConnection, *, file_id: str) -> dict[str, Any] | None:
    """For the internal content route only: the orchestrator holds the internal token."""
    row = (await conn.execute(sa.select(files).where(files.c.id == file_id))).first()
    return dict(row._mapping) if row is not None else None


async def set_status(
    conn: AsyncConnection,
    *,
    file_id: str,
    status: str,
    reason: str | None,
    now: dt.datetime,
    pages: int | None = None,
    chunks: int | None = None,
) -> None:
    values: dict[str, Any] = {"status": status, "status_reason": reason, "updated_at": now}
    if pages is not None:
        values["pages"] = pages
    if chunks is not None:
        values["chunks"] = chunks
    await conn.execute(sa.update(files).where(files.c.id == file_id).values(**values))


async def delete(conn: AsyncConnection, *, file_id: str) -> None:
    await conn.execute(sa.delete(files).where(files.c.id == file_id))


async def fail_stuck_pending(conn: AsyncConnection, *, before: dt.datetime, reason: str, now: dt.datetime) -> int:
    """PDFs still `pending` since before `before`: their indexing task died with its process."""
    result = await conn.execute(
        sa.update(files)
        .where(files.c.status == "pending", files.c.updated_at < before)
        .values(status="failed", status_reason=reason, updated_at=now)
    )
    return int(result.rowcount or 0)
