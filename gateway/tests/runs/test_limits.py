"""Run limits: prompt length, options per kind, runs per minute, concurrent runs."""

import asyncio

from finscribe_gateway.testing.fake_orchestrator import Emit, Stall


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
