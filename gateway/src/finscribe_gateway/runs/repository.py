"""All SQL about runs."""

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from finscribe_gateway.db.rows import HistoryRow, RunRow, RunSummaryRow
from finscribe_gateway.db.tables import runs

_SUMMARY_COLUMNS = (
    runs.c.id,
    runs.c.kind,
    runs.c.status,
    runs.c.prompt,
    runs.c.created_at,
    runs.c.finished_at,
    runs.c.usage,  # History shows each run's cost
)


async def insert(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(sa.insert(runs).values(**values))


async def get(conn: AsyncConnection, *, run_id: str) -> RunRow | None:
    row = (await conn.execute(sa.select(runs).where(runs.c.id == run_id))).first()
    return RunRow.of(row) if row is not None else None


async def get_owned(conn: AsyncConnection, *, user_sub: str, run_id: str) -> RunRow | None:
    row = (await conn.execute(sa.select(runs).where(runs.c.id == run_id, runs.c.user_sub == user_sub))).first()
    return RunRow.of(row) if row is not None else None


async def list_for_session(
    conn: AsyncConnection, *, user_sub: str, session_id: str, limit: int, offset: int
) -> list[RunSummaryRow]:
    result = await conn.execute(
        sa.select(*_SUMMARY_COLUMNS)
        .where(runs.c.session_id == session_id, runs.c.user_sub == user_sub)
        .order_by(runs.c.created_at.desc(), runs.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [RunSummaryRow.of(r) for r in result]


async def recent_completed(conn: AsyncConnection, *, session_id: str, limit: int) -> list[HistoryRow]:
    result = await conn.execute(
        sa.select(runs.c.id, runs.c.kind, runs.c.prompt, runs.c.result, runs.c.created_at)
        .where(runs.c.session_id == session_id, runs.c.status == "completed")
        .order_by(runs.c.created_at.desc(), runs.c.id.desc())
        .limit(limit)
    )
    return [HistoryRow.of(r) for r in result]


async def count_running(conn: AsyncConnection, *, user_sub: str, live_since: dt.datetime) -> int:
    """The user's running runs whose driver stamped them since `live_since`."""
    query = (
        sa.select(sa.func.count())
        .select_from(runs)
        .where(runs.c.user_sub == user_sub, runs.c.status == "running", runs.c.heartbeat_at >= live_since)
    )
    return int(await conn.scalar(query) or 0)


async def created_since(conn: AsyncConnection, *, user_sub: str, since: dt.datetime) -> list[dt.datetime]:
    result = await conn.execute(
        sa.select(runs.c.created_at)
        .where(runs.c.user_sub == user_sub, runs.c.created_at >= since)
        .order_by(runs.c.created_at)
    )
    return [r[0] for r in result]


async def finish(
    conn: AsyncConnection,
    *,
    run_id: str,
    status: str,
    now: dt.datetime,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
    usage: dict[str, Any] | None = None,
    timings: dict[str, Any] | None = None,
) -> bool:
    """Only a running run can finish: a run already failed by the stale sweep stays failed."""
    updated = await conn.execute(
        sa.update(runs)
        .where(runs.c.id == run_id, runs.c.status == "running")
        .values(status=status, result=result, error=error, usage=usage, timings=timings, finished_at=now)
    )
    return bool(updated.rowcount)


async def heartbeat(conn: AsyncConnection, *, run_ids: list[str], now: dt.datetime) -> None:
    if run_ids:
        await conn.execute(
            sa.update(runs).where(runs.c.id.in_(run_ids), runs.c.status == "running").values(heartbeat_at=now)
        )


async def fail_stale(
    conn: AsyncConnection, *, before: dt.datetime, exclude_owner: str | None, error: dict[str, Any], now: dt.datetime
) -> int:
    """Fail running runs whose driving process stopped beating before `before`."""
    condition = sa.and_(
        runs.c.status == "running",
        sa.or_(runs.c.heartbeat_at.is_(None), runs.c.heartbeat_at < before),
    )
    if exclude_owner is not None:
        condition = sa.and_(condition, sa.or_(runs.c.owner.is_(None), runs.c.owner != exclude_owner))
    updated = await conn.execute(sa.update(runs).where(condition).values(status="failed", error=error, finished_at=now))
    return int(updated.rowcount or 0)


async def wait(
    conn: AsyncConnection, *, run_id: str, review: dict[str, Any], expires_at: dt.datetime, last_seq: int
) -> bool:
    """A running run now waits for its outline review (no process drives it meanwhile)."""
    updated = await conn.execute(
        sa.update(runs)
        .where(runs.c.id == run_id, runs.c.status == "running")
        .values(status="waiting", review=review, expires_at=expires_at, last_seq=last_seq, owner=None)
    )
    return bool(updated.rowcount)


async def take_waiting(conn: AsyncConnection, *, run_id: str, owner: str, now: dt.datetime) -> bool:
    """Claim a waiting, unexpired run for this process (running again); False when another
    request claimed it first, or it expired or ended meanwhile."""
    updated = await conn.execute(
        sa.update(runs)
        .where(runs.c.id == run_id, runs.c.status == "waiting", runs.c.expires_at > now)
        .values(status="running", owner=owner, heartbeat_at=now, expires_at=None)
    )
    return bool(updated.rowcount)


async def end_waiting(
    conn: AsyncConnection, *, run_id: str, status: str, error: dict[str, Any], now: dt.datetime
) -> bool:
    updated = await conn.execute(
        sa.update(runs)
        .where(runs.c.id == run_id, runs.c.status == "waiting")
        .values(status=status, error=error, finished_at=now)
    )
    return bool(updated.rowcount)


async def expire_waiting(conn: AsyncConnection, *, now: dt.datetime, error: dict[str, Any]) -> int:
    """Fail the runs whose outline review was not answered in time."""
    updated = await conn.execute(
        sa.update(runs)
        .where(runs.c.status == "waiting", runs.c.expires_at <= now)
        .values(status="failed", error=error, finished_at=now)
    )
    return int(updated.rowcount or 0)
