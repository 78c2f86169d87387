"""Two gateway replicas sharing one database and one Redis: a client re-attaches to a run
on the replica that does not drive it, from the event it last saw (Last-Event-ID)."""

import asyncio

from finscribe_testkit.gateway.fake_orchestrator import Stall, default_script

ASK = {"kind": "ask", "prompt": "삼성전자 반기 실적은?"}


def _sse(text: str) -> list[tuple[int, str]]:
    """(id, event) pairs of an event stream, read independently of the gateway's codec."""
    pairs, current = [], None
    for line in text.splitlines():
        if line.startswith("id: "):
            current = int(line[4:])
        elif line.startswith("event: "):
            pairs.append((current, line[7:]))
    return pairs


async def test_reattach_on_the_other_replica_gets_each_remaining_event_once(
    gateway_factory, alice_token, orchestrator, stream_run, shared_state
) -> None:
    def slow(request):
        steps = default_script(request)
        for step in steps[2:]:
            step.delay = 0.3
        return steps

    orchestrator.script = slow
    redis = {"redis_url": shared_state.url, "redis_prefix": shared_state.prefix}
    with gateway_factory(**redis) as first, gateway_factory(**redis) as second:
        async with first.client(alice_token) as a, second.client(alice_token) as b:
            sid = (await a.post("/v1/sessions", json={"doc_id": "doc-replicas"})).json()["session_id"]
            seen = await stream_run(a, sid, ASK, stop_after=2)  # the client drops after two events
            run_id = seen.events[0][1]["run_id"]
            assert [d["seq"] for _, d in seen.events] == [1, 2]
            async with b.stream("GET", f"/v1/runs/{run_id}/events", headers={"Last-Event-ID": "2"}) as response:
                assert response.status_code == 200
                text = (await response.aread()).decode()
            # a late reader on the other replica, from the start, sees the whole history
            async with b.stream("GET", f"/v1/runs/{run_id}/events") as response:
                replay = (await response.aread()).decode()
    rest = _sse(text)
    assert rest == [(3, "step"), (4, "section.delta"), (5, "section.done"), (6, "run.completed")]
    assert [e for _, e in _sse(replay)] == [
        "run.started",
        "step",
        "step",
        "section.delta",
        "section.done",
        "run.completed",
    ]


async def test_reattach_when_redis_is_down_falls_back_to_the_stored_outcome(
    gateway_factory, alice_token, orchestrator, stream_run
) -> None:
    from finscribe_testkit.common.redis import private_redis

    orchestrator.script = lambda req: [*default_script(req)[:2], Stall(1.5), *default_script(req)[2:]]
    with private_redis() as (url, proc):
        redis = {"redis_url": url, "redis_prefix": "gw-down"}
        with gateway_factory(**redis) as first, gateway_factory(**redis) as second:
            async with first.client(alice_token) as a, second.client(alice_token) as b:
                sid = (await a.post("/v1/sessions", json={"doc_id": "doc-redis-down"})).json()["session_id"]
                seen = await stream_run(a, sid, ASK, stop_after=1)
                run_id = seen.events[0][1]["run_id"]
                proc.kill()
                proc.wait()
                async with b.stream("GET", f"/v1/runs/{run_id}/events", headers={"Last-Event-ID": "1"}) as response:
                    assert response.status_code == 200
                    text = (await asyncio.wait_for(response.aread(), 30)).decode()
                ready = await b.get("/readyz")
    assert [e for _, e in _sse(text)][-1] == "run.completed"
    assert ready.status_code == 200
    assert ready.json()["checks"]["shared_state"].startswith("ok (degraded")
