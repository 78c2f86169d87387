"""Demo mode in the orchestrator: every result of every kind is labelled, and a run that
names no as-of date reads the recordings as of ORCH_DEFAULT_AS_OF."""

import datetime as dt

import pytest

from finscribe_common.demo import DEMO_NOTICE, is_labelled
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, completed


async def test_a_demo_draft_is_labelled_and_defaults_to_the_recorded_day(runner_for, llm: ScriptedLLM) -> None:
    llm.sections = ["개요", "주가 동향"]
    runner = runner_for(demo=True, default_as_of=dt.date.fromisoformat(AS_OF))
    result = completed(await runner.run("draft", "삼성전자 보고서", company="삼성전자", length="short"))
    assert is_labelled(result)
    assert result["markdown"].splitlines()[0] == f"> {DEMO_NOTICE}"
    assert result["blocks"][0]["text"] == DEMO_NOTICE and result["blocks"][1]["type"] == "heading"
    # no as_of in the options: the recorded last trading day, so the recorded close is "current"
    assert f"기준일 {AS_OF}" in result["markdown"]
    assert "53,200원" in result["markdown"]  # 005930's recorded close on 2024-12-30


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("rewrite", {"text": "영업이익률은 11.7%였다.", "mode": "formal"}),
        ("ask", {"company": "삼성전자"}),
        ("chart", {"company": "삼성전자", "as_of": AS_OF}),
    ],
)
async def test_every_kind_is_labelled_in_demo_mode(runner_for, kind: str, options: dict) -> None:
    result = completed(await runner_for(demo=True).run(kind, "삼성전자 주가", **options))
    assert is_labelled(result), result["markdown"][:200]


async def test_outside_demo_mode_results_say_demo_false_and_carry_no_notice(runner_for) -> None:
    result = completed(await runner_for().run("rewrite", "", text="영업이익률은 11.7%였다.", mode="formal"))
    assert result["demo"] is False
    assert DEMO_NOTICE not in result["markdown"] and all(DEMO_NOTICE not in str(b) for b in result["blocks"])
