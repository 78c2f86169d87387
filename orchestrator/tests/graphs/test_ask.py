"""ask end to end: the LLM calls a tool (the real krx service behind it), then answers with citations."""

from finscribe_testkit.common.fake_openai import Reply
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, completed


async def test_ask_uses_a_tool_and_cites_what_it_fetched(runner_for, llm: ScriptedLLM) -> None:
    runner = runner_for()
    body = runner.body("ask", "삼성전자 최근 주가는?", options={"company": "삼성전자", "as_of": AS_OF})
    body["history"] = [{"run_id": "r0", "kind": "draft", "prompt": "삼성전자 보고서", "markdown": "# 보고서"}]
    events = await runner.post(body)
    result = completed(events)
    tools = [d for t, d in events if t == "step" and d["name"] == "tool:stock_prices" and d["status"] == "done"]
    assert tools, [d for t, d in events if t == "step"]
    assert llm.calls["answer"] == 2  # a tool call, then the answer
    assert "[1]" in result["markdown"]
    assert result["citations"][0]["provider"] == "KRX"
    assert "출처" in result["markdown"]
    history_prompt = llm.fake.requests[0]["messages"][1]["content"]
    assert "삼성전자 보고서" in history_prompt


async def test_ask_without_llm_fails_clearly(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503
    events = await runner_for().run("ask", "질문", company="삼성전자")
    assert events[-1][0] == "run.failed" and events[-1][1]["error"]["code"] == "llm_unavailable"


async def test_ask_with_two_tools_cites_both_sources(runner_for, llm: ScriptedLLM) -> None:
    original = llm.respond

    def respond(body):
        if body.get("tools") and not any(m.get("role") == "tool" for m in body["messages"]):
            return Reply(
                tool_calls=[
                    {"name": "stock_prices", "arguments": {"company": "삼성전자", "days": 30}},
                    {"name": "financial_metrics", "arguments": {"company": "삼성전자", "year": 2024, "report": "h1"}},
                    {"name": "fx_rate", "arguments": {"pair": "usd/krw; rm -rf"}},  # invalid: refused by validation
                ]
            )
        if body.get("tools"):
            tool_text = "\n".join(str(m.get("content")) for m in body["messages"] if m.get("role") == "tool")
            return Reply(content=llm.grounded_text(tool_text, sentences=12))
        return original(body)

    llm.fake.responder = respond
    events = await runner_for().run("ask", "삼성전자 주가와 상반기 실적은?", company="삼성전자", as_of=AS_OF)
    result = completed(events)
    providers = {c["provider"] for c in result["citations"]}
    assert providers == {"KRX", "DART"}
    assert "145,983,903,000,000원" in result["markdown"]  # the real h1 2024 revenue, from the DART tool
    assert "53,200원" in result["markdown"]  # the real 2024-12-30 close, from the KRX tool
    tool_messages = [m for m in llm.fake.requests[-1]["messages"] if m.get("role") == "tool"]
    assert any("도구 인자 오류" in str(m["content"]) for m in tool_messages)
    assert not [w for w in result["warnings"] if w["code"] == "unverified_number"]


async def test_a_user_id_that_is_not_ascii_still_runs(runner_for, llm: ScriptedLLM) -> None:
    # issue 15, item 7: `user.sub` went into a header verbatim, and httpx refuses non-ASCII
    # header values, so the run failed with internal_error
    runner = runner_for()
    body = runner.body("ask", "삼성전자 최근 주가는?", options={"company": "삼성전자", "as_of": AS_OF})
    body["user"] = {"sub": "dev:김분석@예시.kr"}
    result = completed(await runner.post(body))
    assert "[1]" in result["markdown"]
    assert llm.fake.requests  # the LLM router was reached


async def test_ask_for_metrics_without_a_period_uses_the_newest_filed_report(runner_for, llm: ScriptedLLM) -> None:
    original = llm.respond

    def respond(body):
        if body.get("tools") and not any(m.get("role") == "tool" for m in body["messages"]):
            return Reply(tool_calls=[{"name": "financial_metrics", "arguments": {"company": "카카오"}}])
        if body.get("tools"):
            tool_text = "\n".join(str(m.get("content")) for m in body["messages"] if m.get("role") == "tool")
            return Reply(content=llm.grounded_text(tool_text, sentences=6))
        return original(body)

    llm.fake.responder = respond
    events = await runner_for().run("ask", "카카오 최근 실적은?", company="카카오", as_of="2024-11-20")
    result = completed(events)
    dart = [c for c in result["citations"] if c["provider"] == "DART"]
    # the deadline alone would take the 2024 Q3 report, whose recorded receipt is dated 2024-12-26; the
    # replayed filings list shows the 2023 annual report (filed 2024-04-18) as the newest by 2024-11-20
    assert dart and dart[0]["url"].endswith("rcpNo=20240418000375") and "2023년 사업보고서" in dart[0]["title"]


async def test_a_model_that_keeps_calling_tools_is_stopped_after_the_allowed_turns(
    runner_for, llm: ScriptedLLM
) -> None:
    # the agent <-> tools cycle is bounded: after ORCH_ASK_MAX_TOOL_STEPS turns, one answer without tools
    def respond(body):
        if body.get("tools"):
            return Reply(tool_calls=[{"name": "fx_rate", "arguments": {"pair": "USDKRW"}}])
        return Reply(content="환율 자료를 찾았습니다.")

    llm.fake.responder = respond
    events = await runner_for(ask_max_tool_steps=2).run("ask", "환율은?", as_of=AS_OF)
    result = completed(events)
    with_tools = [r for r in llm.fake.requests if r.get("tools")]
    assert len(with_tools) == 2 and len(llm.fake.requests) == 3
    tool_steps = [d for t, d in events if t == "step" and d["name"] == "tool:fx_rate" and d["status"] == "done"]
    assert len(tool_steps) == 2
    assert result["markdown"].startswith("환율 자료를 찾았습니다.")
