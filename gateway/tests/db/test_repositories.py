"""The repositories on both databases: SQLite (embedded) and real MySQL/MariaDB."""

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_gateway.charts import repository as charts_repo
from finscribe_gateway.db.engine import create_engine
from finscribe_gateway.db.migrate import upgrade
from finscribe_gateway.db.rows import FileRow
from finscribe_gateway.db.tables import users
from finscribe_gateway.files import repository as files_repo
from finscribe_gateway.runs import repository as runs_repo
from finscribe_gateway.sessions import repository as sessions_repo
from finscribe_gateway.users import repository as users_repo
from finscribe_testkit.gateway.fake_orchestrator import samsung_chart_png

NOW = dt.datetime(2024, 8, 14, 9, 30, 15, 123456, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'repo.db'}"
    return request.getfixturevalue("mysql_url")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _user(engine: AsyncEngine, sub: str = "u1") -> None:
    async with engine.begin() as conn:
        await users_repo.upsert(conn, sub=sub, email=f"{sub}@example.com", name="김", now=NOW)


async def _session(engine: AsyncEngine, sub: str = "u1", doc: str = "doc") -> str:
    async with engine.begin() as conn:
        row, _ = await sessions_repo.create_or_get(conn, user_sub=sub, doc_id=doc, title=None, now=NOW)
    return row.id


async def _run(engine: AsyncEngine, session_id: str, **values) -> str:
    run_id = uuid.uuid4().hex
    async with engine.begin() as conn:
        await runs_repo.insert(
            conn,
            {
                "id": run_id,
                "session_id": session_id,
                "user_sub": "u1",
                "kind": "draft",
                "prompt": "개요",
                "options": {"language": "ko"},
                "status": "running",
                "owner": "me",
                "created_at": NOW,
                "heartbeat_at": NOW,
                **values,
            },
        )
    return run_id


async def test_users_upsert_is_idempotent_under_concurrency(engine: AsyncEngine) -> None:
    async def upsert() -> None:
        async with engine.begin() as conn:
            await users_repo.upsert(conn, sub="u1", email="a@example.com", name="김", now=NOW)

    await asyncio.gather(*(upsert() for _ in range(5)))
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.select(users))).all()
    assert len(rows) == 1
    assert rows[0]._mapping["created_at"] == NOW  # microseconds and zone survive


async def test_first_requests_of_many_users_at_once_do_not_deadlock(engine: AsyncEngine) -> None:
    # each new user: upsert the user, then create a session, in one transaction (as the
    # gateway does); under REPEATABLE READ, MySQL deadlocked these on gap locks
    async def first_request(sub: str) -> None:
        async with engine.begin() as conn:
            await users_repo.upsert(conn, sub=sub, email=f"{sub}@example.com", name=None, now=NOW)
            await sessions_repo.create_or_get(conn, user_sub=sub, doc_id="doc", title=None, now=NOW)

    await asyncio.gather(*(first_request(f"user-{i:02d}") for i in range(30)))
    async with engine.connect() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(users))).scalar_one() == 30


async def test_sessions_unique_per_user_and_doc(engine: AsyncEngine) -> None:
    await _user(engine, "u1")
    await _user(engine, "u2")
    ids = await asyncio.gather(*(_session(engine, "u1", "doc") for _ in range(4)))
    assert len(set(ids)) == 1
    assert await _session(engine, "u2", "doc") != ids[0]
    async with engine.connect() as conn:
        assert await sessions_repo.get_owned(conn, user_sub="u2", session_id=ids[0]) is None
        assert (await sessions_repo.get_owned(conn, user_sub="u1", session_id=ids[0])).doc_id == "doc"


async def test_finish_only_once_and_stale_sweep(engine: AsyncEngine) -> None:
    await _user(engine)
    sid = await _session(engine)
    mine = await _run(engine, sid, owner="me", heartbeat_at=NOW - dt.timedelta(minutes=5))
    dead = await _run(engine, sid, owner="dead", heartbeat_at=NOW - dt.timedelta(minutes=5))
    alive = await _run(engine, sid, owner="other", heartbeat_at=NOW)
    error = {"code": "gateway_restarted", "message": "x"}
    async with engine.begin() as conn:
        swept = await runs_repo.fail_stale(
            conn, before=NOW - dt.timedelta(minutes=1), exclude_owner="me", error=error, now=NOW
        )
    assert swept == 1
    async with engine.begin() as conn:
        assert (await runs_repo.get(conn, run_id=dead)).status == "failed"
        assert (await runs_repo.get(conn, run_id=alive)).status == "running"
        assert await runs_repo.finish(conn, run_id=mine, status="completed", now=NOW, result={"markdown": "끝"})
        assert not await runs_repo.finish(conn, run_id=dead, status="completed", now=NOW, result={})
        assert (await runs_repo.get(conn, run_id=dead)).error == error
        # "alive" is stamped; a running row nobody stamped lately no longer counts
        assert await runs_repo.count_running(conn, user_sub="u1", live_since=NOW - dt.timedelta(seconds=30)) == 1
        assert await runs_repo.count_running(conn, user_sub="u1", live_since=NOW + dt.timedelta(seconds=1)) == 0


async def test_long_korean_text_and_json(engine: AsyncEngine) -> None:
    await _user(engine)
    sid = await _session(engine)
    prompt = "반기 재무제표 " * 20_000  # ~160 KB UTF-8, past MySQL TEXT's 64 KB
    run_id = await _run(engine, sid, prompt=prompt)
    result = {"markdown": "자산총계 485,757,698,000,000원 " * 10_000, "blocks": [{"type": "paragraph"}] * 1000}
    async with engine.begin() as conn:
        await runs_repo.finish(conn, run_id=run_id, status="completed", now=NOW, result=result)
    async with engine.connect() as conn:
        row = await runs_repo.get(conn, run_id=run_id)
    assert row.prompt == prompt
    assert row.result == result


async def test_charts_expire(engine: AsyncEngine) -> None:
    await _user(engine)
    sid = await _session(engine)
    run_id = await _run(engine, sid)
    png = samsung_chart_png()
    async with engine.begin() as conn:
        for chart_id, expires in (("live" + "x" * 28, NOW + dt.timedelta(hours=1)), ("old" + "x" * 29, NOW)):
            await charts_repo.insert(
                conn,
                {
                    "id": chart_id,
                    "user_sub": "u1",
                    "session_id": sid,
                    "run_id": run_id,
                    "png": png,
                    "title": "삼성전자",
                    "alt": None,
                    "source": {"provider": "Yahoo Finance"},
                    "created_at": NOW,
                    "expires_at": expires,
                },
            )
    async with engine.begin() as conn:
        assert await charts_repo.get_png(conn, chart_id="live" + "x" * 28, now=NOW) == png
        assert await charts_repo.get_png(conn, chart_id="old" + "x" * 29, now=NOW) is None
        assert await charts_repo.delete_expired(conn, now=NOW) == 1


async def test_unsettled_files_and_the_file_limit(engine: AsyncEngine) -> None:
    await _user(engine)
    sid = await _session(engine)
    base: dict[str, Any] = {
        "session_id": sid,
        "user_sub": "u1",
        "name": "논문.pdf",
        "kind": "pdf",
        "bytes": 1,
        "sha256": "0" * 64,
        "storage_path": "x",
        "status": "pending",
        "created_at": NOW,
        "updated_at": NOW,
    }

    def file(**changes: Any) -> FileRow:
        return FileRow(**{**base, **changes})

    old = NOW - dt.timedelta(hours=1)
    async with engine.begin() as conn:
        await files_repo.insert(conn, file(id="a" * 32, updated_at=old))
        await files_repo.insert(conn, file(id="b" * 32, status="failed", status_reason="interrupted"))
        await files_repo.insert(conn, file(id="c" * 32, status="failed", status_reason="interrupted", updated_at=old))
        await files_repo.insert(conn, file(id="d" * 32, status="failed", status_reason="refused"))
        await files_repo.insert(conn, file(id="e" * 32, status="indexed"))
        unsettled = await files_repo.list_unsettled(
            conn, interrupted="interrupted", since=NOW - dt.timedelta(minutes=10)
        )
        assert sorted(r.id for r in unsettled) == ["a" * 32, "b" * 32]
        assert await files_repo.insert_within_limit(conn, file(id="f" * 32), max_files=6)
        assert not await files_repo.insert_within_limit(conn, file(id="9" * 32), max_files=6)
        assert await files_repo.count_in_session(conn, session_id=sid) == 6
