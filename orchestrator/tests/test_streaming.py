"""Events reach the caller while the run is still working (no buffering), with keep-alive comments
on quiet stretches; over a real loopback HTTP connection as the gateway uses it."""

import time

import httpx

from finscribe_common.settings import ServiceUrls
from finscribe_orchestrator.config import OrchestratorSettings
from finscribe_orchestrator.main import create_app
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import parse_sse
from finscribe_testkit.orchestrator.stack import TOKEN, refused


def test_events_stream_live_with_keepalive() -> None:
    llm = ScriptedLLM(sections=["가", "나"], latency=0.5)
    transports = {name: refused(name) for name in ("krx", "dart", "yahoo", "rag")}
    transports["llm"] = httpx.ASGITransport(llm.app)
    settings = OrchestratorSettings(_env_file=None, internal_token=TOKEN)  # type: ignore[call-arg]
    app = create_app(settings, urls=ServiceUrls(), transports=transports, keepalive_s=0.2)
    body = {"run_id": "live", "kind": "draft", "prompt": "삼성전자", "options": {}, "user": {"sub": "u"}}
    arrivals: list[tuple[float, str]] = []
    with serve_in_thread(app) as url:
        started = time.perf_counter()
        with httpx.stream(
            "POST", f"{url}/v1/runs", json=body, headers={"X-Internal-Token": TOKEN}, timeout=30
        ) as response:
            assert response.headers["x-accel-buffering"] == "no"
            for chunk in response.iter_text():
                arrivals.append((time.perf_counter() - started, chunk))
    text = "".join(chunk for _, chunk in arrivals)
    events = parse_sse(text)
    assert events[0][0] == "run.started" and events[-1][0] == "run.completed"
    first = next(t for t, chunk in arrivals if "run.started" in chunk)
    last = next(t for t, chunk in arrivals if "run.completed" in chunk)
    assert first < 0.5 < 1.0 < last  # two LLM rounds of 0.5 s each lie between them
    assert ": keep-alive" in text


def test_a_disconnected_caller_cancels_the_run() -> None:
    # one section whose first draft is wrong: left alone, the run would ask for a regeneration
    llm = ScriptedLLM(sections=["가"], latency=0.6, plant_wrong_number="가")
    transports = {name: refused(name) for name in ("krx", "dart", "yahoo", "rag")}
    transports["llm"] = httpx.ASGITransport(llm.app)
    settings = OrchestratorSettings(_env_file=None, internal_token=TOKEN)  # type: ignore[call-arg]
    app = create_app(settings, urls=ServiceUrls(), transports=transports)
    body = {"run_id": "gone", "kind": "draft", "prompt": "보고서", "options": {}, "user": {"sub": "u"}}
    with serve_in_thread(app) as url:
        with httpx.stream("POST", f"{url}/v1/runs", json=body, headers={"X-Internal-Token": TOKEN}, timeout=30) as r:
            for chunk in r.iter_text():
                if '"section:s1"' in chunk and '"started"' in chunk:
                    break  # the caller goes away while the section is being written
        time.sleep(2.0)  # longer than the section call plus the regeneration would take
    assert llm.calls.get("section") == 1
    assert "regenerate" not in llm.calls
