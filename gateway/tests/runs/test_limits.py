"""Run limits: prompt length, options per kind, runs per minute, concurrent runs."""

import asyncio
import datetime as dt

import httpx
import pytest

from finscribe_common.schemas import utc_now
from finscribe_gateway.runs import repository as runs_repository
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.gateway.fake_orchestrator import Emit, Stall

ALICE_SUB = "100000000000000000001"


async def test_prompt_too_long(gateway_factory, alice_token) -> None:
    with gateway_factory(max_prompt_chars=100) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "d1"})).json()["session_id"]
            response = await client.post(f"/v1/sessions/{sid}/runs", json={"kind": "ask", "prompt": "가" * 101})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "prompt_too_long"


async def test_options_are_checked_per_kind(alice, alice_session, orchestrator) -> None:
    url = f"/v1/sessions/{alice_session}/runs"
    cases = [
        {"kind": "rewrite", "prompt": "", "options": {"mode": "polish"}},
        {"kind": "rewrite", "prompt": "", "options": {"text": "문장", "mode": "shout"}},
        {"kind": "draft", "prompt": "x", "options": {"length": "enormous"}},
        {"kind": "draft", "prompt": "x", "options": {"language": "fr"}},
        {"kind": "chart", "prompt": "", "options": {"file_id": "../../etc/passwd"}},
        {"kind": "poem", "prompt": "x"},
        {"kind": "draft", "prompt": "x", "extra": 1},
        # the limits of the kit's run contract, which the orchestrator applies too: refused
        # here, before a run is recorded, never mid-stream by the orchestrator
        {"kind": "rewrite", "prompt": "", "options": {"text": "가" * 25_000, "mode": "polish"}},
        {"kind": "draft", "prompt": "x", "options": {"sections": [f"섹션 {i}" for i in range(13)]}},
        {"kind": "draft", "prompt": "x", "options": {"company": "가" * 101}},
        {"kind": "draft", "prompt": "x", "options": {"lenght": "short"}},
        {"kind": "ask", "prompt": "x" * 8_001},
        {"kind": "ask", "prompt": "  "},
        {"kind": "paragraph", "prompt": ""},
        {"kind": "draft", "prompt": " ", "options": {}},
    ]
    for body in cases:
        response = await alice.post(url, json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "validation_error"
    missing = await alice.post(url, json={"kind": "chart", "prompt": "", "options": {"file_id": "0" * 32}})
    assert missing.status_code == 404
    assert orchestrator.requests == []
    listed = await alice.get(url)
    assert listed.json()["items"] == []


async def test_runs_per_minute(gateway_factory, alice_token, bob_token) -> None:
    with gateway_factory(runs_per_minute=2) as gw:
        async with gw.client(alice_token) as alice, gw.client(bob_token) as bob:
            sid = (await alice.post("/v1/sessions", json={"doc_id": "d2"})).json()["session_id"]
            for _ in range(2):
                ok = await alice.post(f"/v1/sessions/{sid}/runs", json={"kind": "ask", "prompt": "질문"})
                assert ok.status_code == 200
            refused = await alice.post(f"/v1/sessions/{sid}/runs", json={"kind": "ask", "prompt": "질문"})
            assert refused.status_code == 429
            assert refused.json()["error"]["code"] == "rate_limited"
            assert 1 <= int(refused.headers["retry-after"]) <= 60
            # limits are per user
            bob_sid = (await bob.post("/v1/sessions", json={"doc_id": "d2"})).json()["session_id"]
            assert (
                await bob.post(f"/v1/sessions/{bob_sid}/runs", json={"kind": "ask", "prompt": "q"})
            ).status_code == 200


async def test_concurrent_runs(gateway_factory, alice_token, orchestrator) -> None:
    orchestrator.script = lambda req: [
        Emit("run.started", {"kind": "ask"}),
        Stall(1.0),
        Emit("run.failed", {"error": {"code": "x", "message": "done"}}),
    ]
    with gateway_factory(max_concurrent_runs=1, runs_per_minute=100) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "d3"})).json()["session_id"]
            first = asyncio.create_task(client.post(f"/v1/sessions/{sid}/runs", json={"kind": "ask", "prompt": "q"}))
            await asyncio.sleep(0.3)
            refused = await client.post(f"/v1/sessions/{sid}/runs", json={"kind": "ask", "prompt": "q"})
            assert refused.status_code == 429
            assert refused.json()["error"]["code"] == "too_many_concurrent_runs"
            assert "retry-after" in refused.headers
            assert (await first).json()["status"] == "failed"
            again = await client.post(f"/v1/sessions/{sid}/runs", json={"kind": "ask", "prompt": "q"})
            assert again.status_code == 200


# Issue 15, item 3: limits that hold under concurrency, counted in MySQL by two gateway
# processes' worth of apps sharing one database (so no in-process lock can be what holds).
@pytest.mark.mysql
async def test_concurrent_uploads_across_gateways_respect_the_file_limit(
    gateway_factory, alice_token, mysql_url
) -> None:
    csv_bytes = fixture_path("yahoo_005930.KS_close_2024.csv").read_bytes()
    with (
        gateway_factory(database_url=mysql_url, max_files_per_session=20) as one,
        gateway_factory(database_url=mysql_url, max_files_per_session=20) as two,
    ):
        async with one.client(alice_token) as a, two.client(alice_token) as b:
            sid = (await a.post("/v1/sessions", json={"doc_id": "doc-burst"})).json()["session_id"]

            async def upload(i: int) -> httpx.Response:
                client = a if i % 2 else b
                files = {"file": (f"c{i}.csv", csv_bytes, "text/csv")}
                return await client.post(f"/v1/sessions/{sid}/files", files=files)

            answers = await asyncio.gather(*(upload(i) for i in range(30)))
            listed = (await a.get(f"/v1/sessions/{sid}/files")).json()["items"]
    statuses = sorted(r.status_code for r in answers)
    assert statuses.count(201) == 20 and statuses.count(409) == 10, statuses
    assert all(r.json()["error"]["code"] == "too_many_files" for r in answers if r.status_code == 409)
    assert len(listed) == 20
    stored = list(one.settings.resolved_files_dir.rglob("*.csv"))
    assert len(stored) == 20  # a refused upload leaves no bytes behind


@pytest.mark.mysql
async def test_concurrent_runs_across_gateways_respect_the_limit(
    gateway_factory, alice_token, orchestrator, mysql_url
) -> None:
    orchestrator.script = lambda req: [
        Emit("run.started", {"kind": "ask"}),
        Stall(1.5),
        Emit("run.failed", {"error": {"code": "x", "message": "done"}}),
    ]
    limits = {"database_url": mysql_url, "max_concurrent_runs": 2, "runs_per_minute": 100}
    with gateway_factory(**limits) as one, gateway_factory(**limits) as two:
        async with one.client(alice_token) as a, two.client(alice_token) as b:
            sid = (await a.post("/v1/sessions", json={"doc_id": "doc-runs"})).json()["session_id"]
            body = {"kind": "ask", "prompt": "질문"}
            answers = await asyncio.gather(
                *((a if i % 2 else b).post(f"/v1/sessions/{sid}/runs", json=body) for i in range(12))
            )
    statuses = [r.status_code for r in answers]
    assert statuses.count(200) == 2 and statuses.count(429) == 10, statuses


async def test_a_run_left_by_a_killed_gateway_does_not_block_the_user(gateway_factory, alice_token) -> None:
    # a run row as a process killed with -9 leaves it: running, stamped long ago
    with gateway_factory(max_concurrent_runs=1, run_stale_s=60) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-killed"})).json()["session_id"]
        engine = gw.app.state.service.engine
        old = utc_now(microseconds=True) - dt.timedelta(seconds=30)
        async with engine.begin() as conn:
            await runs_repository.insert(
                conn,
                {
                    "id": "f" * 32,
                    "session_id": sid,
                    "user_sub": ALICE_SUB,
                    "kind": "ask",
                    "prompt": "q",
                    "options": {},
                    "status": "running",
                    "owner": "dead-process",
                    "created_at": old,
                    "heartbeat_at": old,
                },
            )
        async with gw.client(alice_token) as client:
            answer = await client.post(f"/v1/sessions/{sid}/runs", json={"kind": "ask", "prompt": "q"})
    assert answer.status_code == 200, answer.text
    # and a restarted gateway fails it before serving
    with gateway_factory(max_concurrent_runs=1, run_stale_s=60) as gw:
        async with gw.client(alice_token) as client:
            left = (await client.get(f"/v1/runs/{'f' * 32}")).json()
    assert left["status"] == "failed" and left["error"]["code"] == "gateway_restarted"
