"""All SQL about files, scoped to the owner."""

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from finscribe_gateway.db.rows import FileRow
from finscribe_gateway.db.tables import files, sessions


async def count_in_session(conn: AsyncConnection, *, session_id: str) -> int:
    return int(
        await conn.scalar(sa.select(sa.func.count()).select_from(files).where(files.c.session_id == session_id)) or 0
    )


async def insert(conn: AsyncConnection, row: FileRow) -> None:
    await conn.execute(sa.insert(files).values(**row.model_dump()))


async def insert_within_limit(conn: AsyncConnection, row: FileRow, *, max_files: int) -> bool:
    """Insert the file unless its session already holds `max_files`; False when refused.

    The session row is locked (SELECT ... FOR UPDATE) first, so concurrent uploads to one
    session, in any worker, count and insert one after another; under READ COMMITTED the
    count after the lock sees every file committed before it. SQLite ignores FOR UPDATE;
    it runs in one process, where the caller's per-session lock does the same."""
    await conn.execute(sa.select(sessions.c.id).where(sessions.c.id == row.session_id).with_for_update())
    if await count_in_session(conn, session_id=row.session_id) >= max_files:
        return False
    await insert(conn, row)
    return True


async def list_for_session(conn: AsyncConnection, *, user_sub: str, session_id: str) -> list[FileRow]:
    result = await conn.execute(
        sa.select(files)
        .where(files.c.session_id == session_id, files.c.user_sub == user_sub)
        .order_by(files.c.created_at, files.c.id)
    )
    return [FileRow.of(r) for r in result]


async def get_owned(conn: AsyncConnection, *, user_sub: str, session_id: str, file_id: str) -> FileRow | None:
    result = await conn.execute(
        sa.select(files).where(files.c.id == file_id, files.c.session_id == session_id, files.c.user_sub == user_sub)
    )
    row = result.first()
    return FileRow.of(row) if row is not None else None


async def get_any(conn: AsyncConnection, *, file_id: str) -> FileRow | None:
    """For the internal content route only: the orchestrator holds the internal token."""
    row = (await conn.execute(sa.select(files).where(files.c.id == file_id))).first()
    return FileRow.of(row) if row is not None else None


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


async def list_unsettled(conn: AsyncConnection, *, interrupted: str, since: dt.datetime) -> list[FileRow]:
    """PDFs whose indexing outcome is not known: `pending`, or failed with reason
    `interrupted` since `since` (rag may have finished after the gateway gave up)."""
    result = await conn.execute(
        sa.select(files).where(
            files.c.kind == "pdf",
            sa.or_(
                files.c.status == "pending",
                sa.and_(files.c.status == "failed", files.c.status_reason == interrupted, files.c.updated_at >= since),
            ),
        )
    )
    return [FileRow.of(r) for r in result]


async def sessions_with_files(conn: AsyncConnection, *, session_ids: list[str]) -> dict[str, tuple[str, set[str]]]:
    """For each of these sessions that exists: (its owner's sub, the ids of its PDFs)."""
    if not session_ids:
        return {}
    owners = await conn.execute(sa.select(sessions.c.id, sessions.c.user_sub).where(sessions.c.id.in_(session_ids)))
    found: dict[str, tuple[str, set[str]]] = {row.id: (row.user_sub, set()) for row in owners}
    pdfs = await conn.execute(
        sa.select(files.c.id, files.c.session_id).where(files.c.session_id.in_(list(found)), files.c.kind == "pdf")
    )
    for row in pdfs:
        found[row.session_id][1].add(row.id)
    return found
