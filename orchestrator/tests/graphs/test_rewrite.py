"""rewrite end to end with the scripted LLM: numbers survive, a changed number is caught, no LLM fails clearly."""

from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import completed

TEXT = "삼성전자의 2024년 상반기 매출액은 145조 9,839억원[1]이며 영업이익률은 11.68%였다."


async def test_rewrite_keeps_every_number(runner_for, llm: ScriptedLLM) -> None:
    events = await runner_for().run("rewrite", "", text=TEXT, mode="formal")
    result = completed(events)
    assert "145조 9,839억원" in result["markdown"] and "11.68%" in result["markdown"]
    assert not result["warnings"]
    assert any(t == "section.delta" for t, _ in events)
    assert llm.calls == {"rewrite": 1}


async def test_rewrite_that_changes_a_number_is_retried_then_flagged(runner_for, llm: ScriptedLLM) -> None:
    answers = iter(["매출액은 150조원이고 영업이익률은 11.68%였다.", "매출액은 150조원이고 영업이익률은 11.68%였다."])
    original = llm.respond

    def respond(body):  # a model that rounds the revenue both times
        reply = original(body)
        reply.content = next(answers)
        return reply

    llm.fake.responder = respond
    events = await runner_for().run("rewrite", "", text=TEXT, mode="summarize")
    result = completed(events)
    codes = {w["code"] for w in result["warnings"]}
    assert "unverified_number" in codes
    assert any("150조원" in w["message"] for w in result["warnings"])
    # same code as a draft's, another sentence: the warning names it
    assert {w["key"] for w in result["warnings"] if w["code"] == "unverified_number"} == {"unverified_number_rewrite"}
    assert llm.calls == {"rewrite": 2}  # the write <-> verify cycle: one retry, then the warning


async def test_rewrite_without_llm_fails_with_llm_unavailable(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503
    events = await runner_for().run("rewrite", "", text=TEXT, mode="polish")
    assert events[-1][0] == "run.failed"
    assert events[-1][1]["error"]["code"] == "llm_unavailable"
