"""Runs through the REAL llm-router whose only provider is a llama-cpp-python server (the
OpenAI-protocol fake in its `llamacpp` mode, written from that server's documentation): a
refused json_schema never turns a draft into a data-only document, a weak model's invalid
outline falls back only for the outline step, and ask works without tool calling."""

import httpx

from finscribe_llm_router.main import create_app as router_app
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.llm_router import test_settings as router_settings
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, Runner, completed
from finscribe_testkit.orchestrator.stack import TOKEN


def through_router(services, provider_url: str, **env: str) -> tuple[Runner, httpx.ASGITransport]:
    router = router_app(router_settings(FINSCRIBE_INTERNAL_TOKEN=TOKEN, LOCAL_LLM_BASE_URL=f"{provider_url}/v1", **env))
    transport = httpx.ASGITransport(router)
    return Runner({**services.transports, "llm": transport}), transport


async def test_a_refused_json_schema_still_gives_an_llm_written_draft(services) -> None:
    llm = ScriptedLLM(server="llamacpp", sections=["개요", "주가 동향"])
    with serve_in_thread(llm.app) as provider:
        runner, _ = through_router(services, provider)  # local kind left at its default (ollama)
        events = await runner.run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    result = completed(events)
    codes = [w["code"] for w in result["warnings"]]
    assert "llm_unavailable" not in codes and "outline_fallback" not in codes
    # the outline asked in json_schema, was refused with the server's 500, and was retried
    # on the same server as json_object + schema, which the model answered
    refused, retried = llm.fake.requests[0], llm.fake.requests[1]
    assert llm.fake.refused == [refused] and refused["response_format"]["type"] == "json_schema"
    assert retried["response_format"]["type"] == "json_object" and retried["response_format"]["schema"]
    assert llm.calls["outline"] == 1 and llm.calls["section"] == 2
    headings = [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2]
    assert headings[:2] == ["개요", "주가 동향"]  # the model's outline, not the template
    assert result["usage"]["by_provider"].keys() == {"local"}


async def test_an_invalid_outline_falls_back_alone_and_sections_stay_llm_written(services) -> None:
    llm = ScriptedLLM(server="llamacpp", invalid_outline=True)
    with serve_in_thread(llm.app) as provider:
        runner, _ = through_router(services, provider, LOCAL_LLM_KIND="llamacpp")
        events = await runner.run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    result = completed(events)
    assert llm.calls["outline"] == 2  # the answer, then one repair with the findings
    repair = llm.fake.requests[1]["messages"][-1]["content"]
    assert "sections: Field required" in repair
    warning = next(w for w in result["warnings"] if w["code"] == "outline_fallback")
    assert warning["step"] == "outline" and "sections: Field required" in warning["message"]
    # the reason is a sentence of its own: key + params, so the panel says it in its language
    assert warning["key"] == "outline_fallback" and warning["params"]["reason"]["key"] == "reason_outline_json"
    assert "llm_unavailable" not in [w["code"] for w in result["warnings"]]
    # the template outline's sections, each written by the model (streamed deltas, one call each)
    sections = [d for t, d in events if t == "section.done"]
    deltas = {d["section_id"] for t, d in events if t == "section.delta"}
    assert len(sections) >= 3 and deltas == {d["section_id"] for d in sections}
    assert llm.calls["section"] == len(sections)
    assert "주가 동향" in [d["title"] for d in sections]


async def test_ask_without_tool_calling_follows_the_fixed_plan(services) -> None:
    llm = ScriptedLLM(server="llamacpp")
    with serve_in_thread(llm.app) as provider:
        runner, _ = through_router(services, provider, LOCAL_LLM_KIND="llamacpp")
        body = runner.body("ask", "삼성전자 최근 주가는?", options={"company": "삼성전자", "as_of": AS_OF})
        events = await runner.post(body)
    result = completed(events)
    steps = [d["name"] for t, d in events if t == "step" and d["status"] == "done"]
    assert "plan" in steps and "tool:stock_prices" in steps and "tool:financial_metrics" in steps
    assert llm.calls == {"answer": 1}  # no tool request ever reached the server: one answer from the data
    assert not any("tools" in r for r in llm.fake.requests)
    assert "[1]" in result["markdown"] and result["citations"][0]["provider"] == "KRX"
