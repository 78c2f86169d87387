"""Run relay and persistence against a fake orchestrator speaking the event protocol."""

import asyncio
import base64
import json
import re

import httpx

from finscribe_gateway.files.rag_client import collection_name
from finscribe_testkit.gateway.fake_orchestrator import (
    Crash,
    Emit,
    Stall,
    default_script,
    draft_result,
    samsung_chart_png,
)

ALICE_SUB = "100000000000000000001"
DRAFT = {"kind": "draft", "prompt": "삼성전자 2024 주가 개요", "options": {"company": "삼성전자", "length": "short"}}


async def test_events_are_relayed_in_order_and_the_result_is_stored(
    gateway, alice, alice_session, orchestrator, stream_run
) -> None:
    run = await stream_run(alice, alice_session, DRAFT)
    assert run.status == 200
    assert run.headers["content-type"].startswith("text/event-stream")
    assert run.headers["x-accel-buffering"] == "no"
    assert run.types() == ["run.started", "step", "step", "section.delta", "section.done", "run.completed"]
    run_id = run.events[0][1]["run_id"]
    assert [d["seq"] for _, d in run.events] == [1, 2, 3, 4, 5, 6]
    assert all(d["run_id"] == run_id for _, d in run.events)

    result = run.last("run.completed")["result"]
    expected = draft_result()
    assert result["markdown"] == expected["markdown"]
    assert result["citations"] == expected["citations"]
    stored = (await alice.get(f"/v1/runs/{run_id}")).json()
    assert stored["status"] == "completed"
    assert stored["result"] == result
    assert stored["usage"] == expected["usage"]
    assert stored["timings"]["fetch"] == expected["timings"]["fetch"]
    assert stored["finished_at"] is not None
    assert stored["prompt"] == DRAFT["prompt"]
    assert stored["options"]["company"] == "삼성전자"


async def test_charts_are_stored_and_replaced_by_urls(gateway, alice, alice_session, stream_run) -> None:
    run = await stream_run(alice, alice_session, DRAFT)
    raw = json.dumps(run.events)
    assert "png_base64" not in raw
    result = run.last("run.completed")["result"]
    chart = result["charts"][0]
    assert set(chart) == {"chart_id", "url", "title", "alt", "source"}
    assert len(chart["chart_id"]) >= 32  # >= 192 bits, base64url
    assert chart["url"] == f"{gateway.settings.public_base_url}/v1/charts/{chart['chart_id']}.png"
    assert chart["source"]["provider"] == "Yahoo Finance"
    block_chart = result["blocks"][2]["chart"]
    assert block_chart["chart_id"] != chart["chart_id"]
    async with httpx.AsyncClient() as anonymous:
        png = await anonymous.get(chart["url"])
        assert png.status_code == 200
        assert png.headers["content-type"] == "image/png"
        assert png.content == samsung_chart_png()
        unknown = await anonymous.get(f"{gateway.base_url}/v1/charts/{'A' * 32}.png")
        assert unknown.status_code == 404


async def test_client_disconnect_does_not_cancel_the_run(
    alice, alice_session, orchestrator, stream_run, wait_finished
) -> None:
    def slow(request):
        steps = default_script(request)
        for step in steps[1:]:
            step.delay = 0.2
        return steps

    orchestrator.script = slow
    partial = await stream_run(alice, alice_session, DRAFT, stop_after=2)
    assert partial.types() == ["run.started", "step"]
    run_id = partial.events[0][1]["run_id"]
    assert (await alice.get(f"/v1/runs/{run_id}")).json()["status"] == "running"
    finished = await wait_finished(alice, run_id)
    assert finished["status"] == "completed"
    assert finished["result"]["markdown"] == draft_result()["markdown"]
    assert orchestrator.finished[run_id] == "completed"


async def test_orchestrator_crash_mid_run_fails_the_run_once_resuming_gives_up(
    gateway, alice, alice_session, orchestrator, stream_run, wait_finished
) -> None:
    orchestrator.script = lambda req: [
        Emit("run.started", {"kind": "draft"}),
        Emit("step", {"name": "fetch", "status": "started", "progress": 0.1}),
        Crash(delay=0.1),
    ]
    run = await stream_run(alice, alice_session, DRAFT)
    # a draft is continued from its checkpoint on every crash, RUN_RESUME_ATTEMPTS times
    attempts = gateway.settings.run_resume_attempts
    assert run.types() == ["run.started", "step", "warning"] * attempts + ["run.started", "step", "run.failed"]
    assert {d["code"] for t, d in run.events if t == "warning"} == {"run_resumed"}
    assert [r.get("resume") for r in orchestrator.requests] == [None] + [{"mode": "continue"}] * attempts
    error = run.last("run.failed")["error"]
    assert error["code"] == "orchestrator_disconnected"
    stored = await wait_finished(alice, run.events[0][1]["run_id"])
    assert stored["status"] == "failed"
    assert stored["error"] == error


async def test_stream_ending_without_a_result_fails_the_run(alice, alice_session, orchestrator, stream_run) -> None:
    orchestrator.script = lambda req: [Emit("run.started", {"kind": "draft"})]
    run = await stream_run(alice, alice_session, DRAFT)
    assert run.last("run.failed")["error"]["code"] == "orchestrator_disconnected"
    ask = await stream_run(alice, alice_session, {"kind": "ask", "prompt": "왜?"})  # not checkpointed: no retry
    assert ask.types() == ["run.started", "run.failed"]


async def test_orchestrator_unreachable(gateway_factory, alice_token, stream_run) -> None:
    with gateway_factory(orchestrator_url="http://127.0.0.1:9") as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-x"})).json()["session_id"]
            run = await stream_run(client, sid, DRAFT)
            assert run.types() == ["run.failed"]  # retried with backoff, nothing ever started
            assert run.last("run.failed")["error"]["code"] == "orchestrator_unavailable"
            stored = (await client.get(f"/v1/runs/{run.events[0][1]['run_id']}")).json()
            assert stored["status"] == "failed"


async def test_orchestrator_refusal_is_a_clear_failure(alice, alice_session, orchestrator, stream_run) -> None:
    orchestrator.internal_token = "a-token-the-gateway-does-not-have"
    run = await stream_run(alice, alice_session, DRAFT)
    error = run.last("run.failed")["error"]
    assert error["code"] == "orchestrator_error"
    assert "401" in error["message"]


async def test_orchestrator_run_failed_is_stored(alice, alice_session, orchestrator, stream_run, wait_finished) -> None:
    orchestrator.script = lambda req: [
        Emit("run.started", {"kind": "draft"}),
        Emit("run.failed", {"error": {"code": "llm_unavailable", "message": "LLM 라우터가 응답하지 않습니다"}}),
    ]
    run = await stream_run(alice, alice_session, DRAFT)
    assert run.last("run.failed")["error"] == {"code": "llm_unavailable", "message": "LLM 라우터가 응답하지 않습니다"}
    stored = await wait_finished(alice, run.events[0][1]["run_id"])
    assert stored["error"]["code"] == "llm_unavailable"


async def test_run_timeout(gateway_factory, alice_token, orchestrator, stream_run) -> None:
    orchestrator.script = lambda req: [Emit("run.started", {"kind": "draft"}), Stall(10)]
    with gateway_factory(run_timeout_s=0.5) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-t"})).json()["session_id"]
            run = await stream_run(client, sid, DRAFT)
    assert run.types() == ["run.started", "run.failed"]
    assert run.last("run.failed")["error"]["code"] == "run_timeout"


async def test_heartbeats_while_the_orchestrator_is_quiet(gateway_factory, alice_token, orchestrator, stream_run):
    orchestrator.script = lambda req: [Emit("run.started", {"kind": "draft"}), Stall(0.7), *default_script(req)[1:]]
    with gateway_factory(run_heartbeat_s=0.2) as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-h"})).json()["session_id"]
            run = await stream_run(client, sid, DRAFT)
    assert run.types()[-1] == "run.completed"
    assert len(run.comments) >= 2


async def test_without_event_stream_the_call_waits_and_returns_the_run(alice, alice_session) -> None:
    response = await alice.post(f"/v1/sessions/{alice_session}/runs", json=DRAFT)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed"
    assert body["result"]["title"] == draft_result()["title"]


async def test_invalid_charts_are_dropped_with_a_warning(alice, alice_session, orchestrator, stream_run) -> None:
    not_png = base64.b64encode(b"GIF89a not a png").decode()

    def script(request):
        result = {**draft_result(), "charts": [{"png_base64": not_png, "title": "bad", "alt": "", "source": {}}]}
        return [Emit("run.started", {"kind": "draft"}), Emit("run.completed", {"result": result})]

    orchestrator.script = script
    run = await stream_run(alice, alice_session, DRAFT)
    assert run.types() == ["run.started", "warning", "run.completed"]
    assert run.events[1][1]["code"] == "chart_dropped"
    assert run.last("run.completed")["result"]["charts"][0]["url"] is None


async def test_the_orchestrator_request(gateway, alice, alice_session, orchestrator, stream_run) -> None:
    csv_bytes = b"Date,005930\n2024-01-02,77916.609375\n2024-01-03,75371.59375\n"
    upload = await alice.post(
        f"/v1/sessions/{alice_session}/files", files={"file": ("closes.csv", csv_bytes, "text/csv")}
    )
    file_id = upload.json()["file_id"]
    first = await stream_run(alice, alice_session, DRAFT)
    second = await stream_run(alice, alice_session, {"kind": "chart", "prompt": "", "options": {"file_id": file_id}})
    assert second.types()[-1] == "run.completed"
    request = orchestrator.requests[-1]
    headers = orchestrator.request_headers[-1]
    assert headers["x-internal-token"] == gateway.settings.internal_token.get_secret_value()
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])
    assert request["run_id"] == second.events[0][1]["run_id"]
    assert request["kind"] == "chart"
    assert request["options"] == {"file_id": file_id, "language": "ko"}  # the chart run's language (default ko)
    assert request["user"] == {"sub": ALICE_SUB}
    assert request["session_id"] == alice_session
    assert request["rag_collection"] == collection_name(ALICE_SUB, alice_session)
    assert re.fullmatch(r"^[a-z0-9][a-z0-9_-]{2,62}$", request["rag_collection"])
    assert request["files"] == [
        {
            "file_id": file_id,
            "name": "closes.csv",
            "kind": "csv",
            "url": f"{gateway.base_url}/internal/v1/files/{file_id}/content",
        }
    ]
    assert request["history"] == [
        {
            "run_id": first.events[0][1]["run_id"],
            "kind": "draft",
            "prompt": DRAFT["prompt"],
            "markdown": draft_result()["markdown"],
        }
    ]
    async with httpx.AsyncClient() as internal:
        content = await internal.get(
            request["files"][0]["url"],
            headers={"X-Internal-Token": gateway.settings.internal_token.get_secret_value()},
        )
    assert content.content == csv_bytes


async def test_history_markdown_is_truncated_and_newest_last(alice, alice_session, orchestrator, stream_run) -> None:
    long_markdown = "가" * 5000

    def script(request):
        result = {**draft_result(), "markdown": long_markdown + request["prompt"]}
        return [Emit("run.completed", {"result": result})]

    orchestrator.script = script
    for prompt in ("첫째", "둘째"):
        await stream_run(alice, alice_session, {"kind": "ask", "prompt": prompt})
    await stream_run(alice, alice_session, {"kind": "ask", "prompt": "셋째"})
    history = orchestrator.requests[-1]["history"]
    assert [h["prompt"] for h in history] == ["첫째", "둘째"]
    assert all(len(h["markdown"]) == 4000 for h in history)


async def test_request_id_is_propagated(alice, alice_session, orchestrator) -> None:
    async with alice.stream(
        "POST",
        f"/v1/sessions/{alice_session}/runs",
        json=DRAFT,
        headers={"Accept": "text/event-stream", "X-Request-ID": "ext-req-42"},
    ) as response:
        await response.aread()
    assert response.headers["x-request-id"] == "ext-req-42"
    assert orchestrator.request_headers[-1]["x-request-id"] == "ext-req-42"


async def test_run_history_is_paginated_newest_first(alice, alice_session) -> None:
    ids = []
    for prompt in ("하나", "둘", "셋"):
        body = (await alice.post(f"/v1/sessions/{alice_session}/runs", json={"kind": "ask", "prompt": prompt})).json()
        ids.append(body["run_id"])
    page = (await alice.get(f"/v1/sessions/{alice_session}/runs", params={"limit": 2})).json()
    assert [r["run_id"] for r in page["items"]] == [ids[2], ids[1]]
    assert page["next_offset"] == 2
    rest = (await alice.get(f"/v1/sessions/{alice_session}/runs", params={"limit": 2, "offset": 2})).json()
    assert [r["run_id"] for r in rest["items"]] == [ids[0]]
    assert rest["next_offset"] is None


async def test_graphs_are_relayed(alice, orchestrator) -> None:
    response = await alice.get("/v1/graphs")
    assert response.status_code == 200
    assert response.json() == orchestrator.graphs


async def test_waiting_caller_hanging_up_does_not_cancel_the_run(
    alice, alice_session, orchestrator, wait_finished
) -> None:
    def slow(request):
        steps = default_script(request)
        for step in steps[1:]:
            step.delay = 0.15
        return steps

    orchestrator.script = slow
    call = asyncio.create_task(alice.post(f"/v1/sessions/{alice_session}/runs", json=DRAFT))
    while not orchestrator.requests:
        await asyncio.sleep(0.02)
    call.cancel()  # the client goes away while the gateway waits for the run
    run_id = orchestrator.requests[-1]["run_id"]
    finished = await wait_finished(alice, run_id)
    assert finished["status"] == "completed"
    assert orchestrator.finished[run_id] == "completed"


async def test_result_is_stored_before_run_completed_is_relayed(
    alice, alice_session, orchestrator, monkeypatch
) -> None:
    """A slow database write must hold back run.completed (the gateway runs in this process)."""
    from finscribe_gateway.runs import repository

    original = repository.finish

    async def slow_finish(*args, **kwargs):
        await asyncio.sleep(0.5)
        return await original(*args, **kwargs)

    monkeypatch.setattr(repository, "finish", slow_finish)
    seen_status = None
    async with alice.stream(
        "POST", f"/v1/sessions/{alice_session}/runs", json=DRAFT, headers={"Accept": "text/event-stream"}
    ) as response:
        run_id = None
        async for line in response.aiter_lines():
            if line.startswith("data:") and run_id is None:
                run_id = json.loads(line[5:])["run_id"]
            if line == "event: run.completed":
                seen_status = (await alice.get(f"/v1/runs/{run_id}")).json()["status"]
                break
    assert seen_status == "completed"
