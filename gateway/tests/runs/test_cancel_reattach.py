"""Cancelling a run and re-attaching to its event stream."""

import asyncio

from finscribe_testkit.gateway.fake_orchestrator import Emit, Stall, default_script, draft_result

ASK = {"kind": "ask", "prompt": "삼성전자 반기 실적은?"}


async def test_cancel_a_running_run(alice, alice_session, orchestrator, stream_run) -> None:
    orchestrator.script = lambda req: [Emit("run.started", {"kind": "ask"}), Stall(30)]
    streaming = asyncio.create_task(stream_run(alice, alice_session, ASK))
    while not orchestrator.requests:
        await asyncio.sleep(0.02)
    run_id = orchestrator.requests[-1]["run_id"]
    cancelled = await alice.post(f"/v1/runs/{run_id}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["error"]["code"] == "cancelled"
    run = await asyncio.wait_for(streaming, 10)
    assert run.types() == ["run.started", "run.failed"]
    assert run.last("run.failed")["error"]["code"] == "cancelled"
    again = await alice.post(f"/v1/runs/{run_id}/cancel")
    assert again.status_code == 409


async def test_reattach_to_a_live_run_replays_then_follows(alice, alice_session, orchestrator, stream_run) -> None:
    def slow(request):
        steps = default_script(request)
        for step in steps[2:]:
            step.delay = 0.15
        return steps

    orchestrator.script = slow
    first = await stream_run(alice, alice_session, ASK, stop_after=1)
    run_id = first.events[0][1]["run_id"]
    async with alice.stream("GET", f"/v1/runs/{run_id}/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line async for line in response.aiter_lines()]
    events = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    assert events == ["run.started", "step", "step", "section.delta", "section.done", "run.completed"]


async def test_reattach_to_a_finished_run_gives_the_stored_outcome(gateway_factory, alice_token, stream_run) -> None:
    with gateway_factory() as gw:
        async with gw.client(alice_token) as client:
            sid = (await client.post("/v1/sessions", json={"doc_id": "doc-re"})).json()["session_id"]
            run = await stream_run(client, sid, ASK)
            run_id = run.events[0][1]["run_id"]
    with gateway_factory() as gw:  # a new process: the run is only in the database now
        async with gw.client(alice_token) as client, client.stream("GET", f"/v1/runs/{run_id}/events") as response:
            text = (await response.aread()).decode()
    assert text.startswith("id: 1\nevent: run.completed\n")
    assert draft_result()["title"] in text
