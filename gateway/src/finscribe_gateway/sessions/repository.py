"""All SQL about sessions. Every query is scoped to the owner's `sub`."""

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from finscribe_gateway.db.rows import SessionRow
from finscribe_gateway.db.tables import charts, files, runs, sessions


def _row(row: sa.Row[Any] | None) -> SessionRow | None:
    return SessionRow.of(row) if row is not None else None


async def get_owned(conn: AsyncConnection, *, user_sub: str, session_id: str) -> SessionRow | None:
    result = await conn.execute(sa.select(sessions).where(sessions.c.id == session_id, sessions.c.user_sub == user_sub))
    return _row(result.first())


async def get_by_doc(conn: AsyncConnection, *, user_sub: str, doc_id: str, latest: bool = False) -> SessionRow | None:
    query = sa.select(sessions).where(sessions.c.user_sub == user_sub, sessions.c.doc_id == doc_id)
    if latest:
        # a locking read sees rows committed after this transaction's snapshot (InnoDB's
        # REPEATABLE READ would otherwise hide the row that just beat our insert)
        query = query.with_for_update(read=True)
    return _row((await conn.execute(query)).first())


async def create_or_get(
    conn: AsyncConnection, *, user_sub: str, doc_id: str, title: str | None, now: dt.datetime
) -> tuple[SessionRow, bool]:
    existing = await get_by_doc(conn, user_sub=user_sub, doc_id=doc_id)
    if existing is not None:
        if title and title != existing.title:
            await conn.execute(
                sa.update(sessions).where(sessions.c.id == existing.id).values(title=title, updated_at=now)
            )
            existing = existing.model_copy(update={"title": title, "updated_at": now})
        return existing, False
    values = SessionRow(
        id=uuid.uuid4().hex, user_sub=user_sub, doc_id=doc_id, title=title, created_at=now, updated_at=now
    )
    try:
        async with conn.begin_nested():
            await conn.execute(sa.insert(sessions).values(**values.model_dump()))
    except IntegrityError:
        # the same user opened the same doc twice at once: the unique key picks one row
        existing = await get_by_doc(conn, user_sub=user_sub, doc_id=doc_id, latest=True)
        assert existing is not None
        return existing, False
    return values, True


async def list_owned(conn: AsyncConnection, *, user_sub: str, limit: int, offset: int) -> list[SessionRow]:
    result = await conn.execute(
        sa.select(sessions)
        .where(sessions.c.user_sub == user_sub)
        .order_by(sessions.c.updated_at.desc(), sessions.c.id)
        .limit(limit)
        .offset(offset)
    )
    return [SessionRow.of(r) for r in result]


async def touch(conn: AsyncConnection, *, session_id: str, now: dt.datetime) -> None:
    await conn.execute(sa.update(sessions).where(sessions.c.id == session_id).values(updated_at=now))


async def delete_cascade(conn: AsyncConnection, *, user_sub: str, session_id: str) -> None:
    # explicit child deletes: SQLite only cascades with foreign_keys on, and being
    # explicit keeps the order obvious on both databases
    await conn.execute(sa.delete(charts).where(charts.c.session_id == session_id))
    await conn.execute(sa.delete(runs).where(runs.c.session_id == session_id))
    await conn.execute(sa.delete(files).where(files.c.session_id == session_id))
    await conn.execute(sa.delete(sessions).where(sessions.c.id == session_id, sessions.c.user_sub == user_sub))
