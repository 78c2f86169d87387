"""The language of a draft covers what the orchestrator writes itself: headings, the
key-figures table header, the intro line, source lines, chart placeholders, and the
outline prompt asks for titles in that language (real data services, scripted LLM)."""

from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, completed


async def test_an_english_draft_has_english_scaffolding(runner_for, llm: ScriptedLLM) -> None:
    events = await runner_for().run("draft", "Samsung", company="삼성전자", length="short", language="en", as_of=AS_OF)
    result = completed(events)
    headings = [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2]
    assert {"Key figures", "Charts", "Sources"} <= set(headings)
    assert not {"주요 지표", "차트", "출처"} & set(headings)
    table = next(b for b in result["blocks"] if b["type"] == "table")
    assert table["header"] == ["Item", "Value", "Source"]
    assert "Company: 삼성전자(005930) · as of 2024-12-30" in result["markdown"]
    assert "*[Chart 1: " in result["markdown"] and "(as of " in result["markdown"]
    outline = next(r for r in llm.fake.requests if (r.get("response_format") or {}).get("json_schema"))
    assert "제목과 섹션 제목의 언어: English" in str(outline["messages"][1]["content"])


async def test_a_korean_draft_keeps_korean_scaffolding(runner_for, llm: ScriptedLLM) -> None:
    result = completed(await runner_for().run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF))
    headings = [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2]
    assert {"주요 지표", "차트", "출처"} <= set(headings)
    assert "대상: 삼성전자(005930) · 기준일 2024-12-30" in result["markdown"] and "*[차트 1: " in result["markdown"]
    outline = next(r for r in llm.fake.requests if (r.get("response_format") or {}).get("json_schema"))
    assert "제목과 섹션 제목의 언어: 한국어" in str(outline["messages"][1]["content"])


async def test_an_ask_run_asks_for_its_language(runner_for, llm: ScriptedLLM) -> None:
    completed(await runner_for().run("ask", "What was the close?", company="삼성전자", language="en", as_of=AS_OF))
    first = next(r for r in llm.fake.requests if r.get("tools"))
    assert "답변 언어: English" in str(first["messages"][1]["content"])
