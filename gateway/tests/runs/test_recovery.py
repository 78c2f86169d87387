"""Runs are never left `running`: after a gateway restart, when the process driving a run
stops beating, and on a graceful shutdown mid-run."""

import asyncio
import datetime as dt
import uuid

import sqlalchemy as sa

from finscribe_gateway.db.engine import create_engine
from finscribe_gateway.db.tables import runs
from finscribe_testkit.gateway.fake_orchestrator import Emit, Stall


async def _insert_running(database_url: str, session_id: str, user_sub: str, heartbeat_age_s: float) -> str:
    run_id = uuid.uuid4().hex
    now = dt.datetime.now(dt.UTC)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.insert(runs).values(
                    id=run_id,
                    session_id=session_id,
                    user_sub=user_sub,
                    kind="draft",
                    prompt="중단된 실행",
                    options={},
                    status="running",
                    owner=uuid.uuid4().hex,
                    created_at=now - dt.timedelta(seconds=heartbeat_age_s),
                    heartbeat_at=now - dt.timedelta(seconds=heartbeat_age_s),
                )
            )
    finally:
        await engine.dispose()
    return run_id


async def test_restart_fails_runs_left_running(gateway_factory, alice_token) -> None:
    with gateway_factory() as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-r"})).json()["session_id"]
        database_url = gw.settings.resolved_database_url
    # as if a gateway died mid-run two minutes ago (no shutdown ran)
    run_id = await _insert_running(database_url, sid, "100000000000000000001", heartbeat_age_s=120)
    with gateway_factory() as gw:
        async with gw.client(alice_token) as client:
            run = (await client.get(f"/v1/runs/{run_id}")).json()
    assert run["status"] == "failed"
    assert run["error"]["code"] == "gateway_restarted"
    assert run["finished_at"] is not None


async def test_sweep_fails_runs_whose_process_stopped_beating(gateway_factory, alice_token, wait_finished) -> None:
    with gateway_factory(run_stale_s=0.6) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-s"})).json()["session_id"]
            run_id = await _insert_running(gw.settings.resolved_database_url, sid, "100000000000000000001", 0)
            assert (await client.get(f"/v1/runs/{run_id}")).json()["status"] == "running"
            run = await wait_finished(client, run_id, timeout=5)
    assert run["status"] == "failed"
    assert run["error"]["code"] == "gateway_restarted"


async def test_live_runs_keep_beating_and_are_not_swept(gateway_factory, alice_token, orchestrator, stream_run) -> None:
    orchestrator.script = lambda req: [
        Emit("run.started", {"kind": "ask"}),
        Stall(1.5),
        Emit("run.completed", {"result": {"markdown": "끝"}}),
    ]
    with gateway_factory(run_stale_s=0.6) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-l"})).json()["session_id"]
            run = await stream_run(client, sid, {"kind": "ask", "prompt": "q"})
    assert run.types() == ["run.started", "run.completed"]


async def test_shutdown_mid_run_fails_it_clearly(gateway_factory, alice_token, orchestrator) -> None:
    orchestrator.script = lambda req: [Emit("run.started", {"kind": "ask"}), Stall(30)]
    with gateway_factory(shutdown_grace_s=0.2) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-sd"})).json()["session_id"]
            task = asyncio.create_task(client.post(f"/v1/sessions/{sid}/runs", json={"kind": "ask", "prompt": "q"}))
            await asyncio.sleep(0.3)
            run_id = orchestrator.requests[-1]["run_id"]
            task.cancel()
    engine = create_engine(gw.settings.resolved_database_url)
    try:
        async with engine.connect() as conn:
            row = (await conn.execute(sa.select(runs).where(runs.c.id == run_id))).one()._mapping
    finally:
        await engine.dispose()
    assert row["status"] == "failed"
    assert row["error"]["code"] == "gateway_shutdown"


async def test_database_failure_at_the_end_still_ends_stream_and_row(
    gateway_factory, alice_token, orchestrator, stream_run, wait_finished, monkeypatch
) -> None:
    from finscribe_gateway.runs import repository

    original = repository.finish

    async def broken_finish(*args, **kwargs):
        raise RuntimeError("database went away")

    with gateway_factory(run_stale_s=0.6) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-db"})).json()["session_id"]
            monkeypatch.setattr(repository, "finish", broken_finish)
            run = await stream_run(client, sid, {"kind": "ask", "prompt": "q"})
            monkeypatch.setattr(repository, "finish", original)
            assert run.types()[-1] == "run.failed"
            assert run.last("run.failed")["error"]["code"] == "internal_error"
            stored = await wait_finished(client, run.events[0][1]["run_id"], timeout=5)
    assert stored["status"] == "failed"
    assert stored["error"]["code"] == "gateway_restarted"
