"""A draft survives its orchestrator: the real orchestrator (in a thread on a loopback port,
real krx/dart/yahoo apps on the recorded upstreams, the scripted LLM) is stopped while a
section is being written; a new orchestrator process on the same port and the same SQLite
checkpoints takes over; the gateway continues the run from the last checkpoint. The client's
stream goes on (one `run_resumed` warning, `seq` unbroken), no section already written is
asked for again, and the stored document equals an uninterrupted run's."""

import asyncio
import contextlib
import json
from typing import Any

import httpx

from finscribe_testkit.common.server import free_port, serve_in_thread
from finscribe_testkit.orchestrator.runner import AS_OF, Runner
from finscribe_testkit.orchestrator.stack import replayed_data_services

from ..conftest import INTERNAL_TOKEN

DRAFT = {
    "kind": "draft",
    "prompt": "삼성전자 보고서",
    "options": {"company": "삼성전자", "length": "short", "as_of": AS_OF},
}


def _document(result: dict[str, Any]) -> dict[str, Any]:
    return {k: result[k] for k in ("title", "markdown", "blocks", "citations")}


async def test_the_gateway_continues_a_draft_on_a_new_orchestrator(
    gateway_factory, _data_apps, llm, alice_token
) -> None:
    port = free_port()
    with replayed_data_services(token=INTERNAL_TOKEN, apps=_data_apps) as stack:
        transports = {**stack.transports, "llm": httpx.ASGITransport(llm.app)}
        first = Runner(transports, internal_token=INTERNAL_TOKEN)
        second = Runner(transports, internal_token=INTERNAL_TOKEN, checkpoint_url=first.settings.checkpoint_url)
        llm.section_latency = {"실적 및 재무": 30.0}  # being written when the orchestrator goes
        with contextlib.ExitStack() as servers:
            dying = serve_in_thread(first.app, port=port)
            dying.__enter__()
            orchestrator_url = f"http://127.0.0.1:{port}"
            with gateway_factory(orchestrator_url=orchestrator_url, run_resume_backoff_s=0.5) as gateway:
                async with gateway.client(alice_token) as alice:
                    sid = (await alice.post("/v1/sessions", json={"doc_id": "doc-durable"})).json()["session_id"]
                    events: list[tuple[str, dict[str, Any]]] = []
                    event = ""
                    headers = {"Accept": "text/event-stream"}
                    async with alice.stream("POST", f"/v1/sessions/{sid}/runs", json=DRAFT, headers=headers) as r:
                        async for line in r.aiter_lines():
                            if line.startswith("event:"):
                                event = line[6:].strip()
                            elif line.startswith("data:"):
                                events.append((event, json.loads(line[5:])))
                                done = [d for t, d in events if t == "section.done"]
                                if event == "section.done" and len(done) == 2:
                                    # the orchestrator process goes away mid-run; another one starts
                                    await asyncio.to_thread(dying.__exit__, None, None, None)
                                    llm.section_latency = {}
                                    servers.enter_context(serve_in_thread(second.app, port=port))
                    run_id = events[0][1]["run_id"]
                    types = [t for t, _ in events]
                    assert types[-1] == "run.completed", types
                    assert [d["seq"] for _, d in events] == list(range(1, len(events) + 1))
                    resumed = [d for t, d in events if t == "warning" and d["code"] == "run_resumed"]
                    assert len(resumed) == 1
                    assert sorted(d["title"] for t, d in events if t == "section.done") == sorted(llm.sections)
                    # no section written before the crash was asked for again
                    counts = {t: llm.section_titles.count(t) for t in llm.sections}
                    assert counts == {"개요": 1, "주가 동향": 1, "실적 및 재무": 2}  # the third was cut off once
                    assert llm.calls["outline"] == 1
                    stored = (await alice.get(f"/v1/runs/{run_id}")).json()
                    assert stored["status"] == "completed"

                    # the same draft without a crash stores the same document
                    plain = (await alice.post(f"/v1/sessions/{sid}/runs", json=DRAFT)).json()
                    assert plain["status"] == "completed"
                    assert _document(stored["result"]) == _document(plain["result"])
