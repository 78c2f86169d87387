"""ask end to end: the LLM calls a tool (the real krx service behind it), then answers with citations."""

from finscribe_orchestrator.testing.llm import ScriptedLLM
from finscribe_orchestrator.testing.runner import AS_OF, completed


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
