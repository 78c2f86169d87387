"""Storage on SQLite and on real MySQL/MariaDB: migrations at startup, long Korean
results, and the whole gateway flow on MySQL."""

import json

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from finscribe_gateway.db.engine import create_engine
from finscribe_gateway.db.migrate import current_revision, upgrade
from finscribe_gateway.db.tables import metadata
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.gateway.fake_orchestrator import Emit, long_korean_result


def _diff(connection: sa.Connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return compare_metadata(context, metadata)


async def _check_migrations(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        await upgrade(engine)  # idempotent: a second worker starting finds head
        assert await current_revision(engine) == "0002"
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()


async def test_migrations_match_the_tables_sqlite(tmp_path) -> None:
    await _check_migrations(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")


@pytest.mark.mysql
async def test_migrations_match_the_tables_mysql(mysql_url: str) -> None:
    await _check_migrations(mysql_url)


@pytest.mark.mysql
async def test_300kb_korean_result_round_trips_on_mysql(
    gateway_factory, mysql_url: str, alice_token, orchestrator, stream_run
) -> None:
    result = long_korean_result(300_000)
    encoded = json.dumps(result, ensure_ascii=False).encode()
    assert len(encoded) > 300_000
    orchestrator.script = lambda req: [
        Emit("run.started", {"kind": "draft"}),
        Emit("run.completed", {"result": result}),
    ]
    with gateway_factory(database_url=mysql_url) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-long"})).json()["session_id"]
            long_prompt = "삼성전자 반기 재무제표를 " * 300
            run = await stream_run(client, sid, {"kind": "draft", "prompt": long_prompt})
            assert run.types() == ["run.started", "run.completed"]
            stored = (await client.get(f"/v1/runs/{run.events[0][1]['run_id']}")).json()
    assert stored["status"] == "completed"
    assert stored["result"] == result
    assert stored["prompt"] == long_prompt
    assert "자산총계" in stored["result"]["markdown"]
    assert "485757698000000" in stored["result"]["markdown"]


@pytest.mark.mysql
async def test_whole_flow_on_mysql(gateway_factory, mysql_url: str, alice_token, bob_token, stream_run) -> None:
    with gateway_factory(database_url=mysql_url) as gw:
        async with gw.client(alice_token) as alice, gw.client(bob_token) as bob:
            first = await alice.post("/v1/sessions", json={"doc_id": "doc-my", "title": "보고서"})
            again = await alice.post("/v1/sessions", json={"doc_id": "doc-my"})
            assert (first.status_code, again.status_code) == (201, 200)
            sid = first.json()["session_id"]
            pdf = fixture_path("ko_finance_llm_paper.pdf").read_bytes()
            upload = await alice.post(f"/v1/sessions/{sid}/files", files={"file": ("논문.pdf", pdf, "application/pdf")})
            assert upload.json()["status"] == "indexed"
            run = await stream_run(alice, sid, {"kind": "draft", "prompt": "개요"})
            chart = run.last("run.completed")["result"]["charts"][0]
            assert (await alice.get(chart["url"].replace(gw.settings.public_base_url, ""))).status_code == 200
            assert (await bob.get(f"/v1/sessions/{sid}")).status_code == 404
            assert (await alice.delete(f"/v1/sessions/{sid}")).status_code == 204
            assert (await alice.get("/v1/sessions")).json()["items"] == []
