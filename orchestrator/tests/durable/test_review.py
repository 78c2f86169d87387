"""Outline review on LangGraph interrupt/resume with the SQLite checkpointer: the draft stops
after its outline; the edited outline is exactly what gets written. Real krx/dart/yahoo apps
on the recorded upstreams, the scripted LLM over the OpenAI protocol."""

from typing import Any

from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, Events, Runner, completed


def _draft(runner: Runner, **options: Any) -> dict[str, Any]:
    opts = {"company": "삼성전자", "length": "short", "as_of": AS_OF, "review_outline": True, **options}
    return runner.body("draft", "삼성전자 보고서", options=opts)


def _waiting(events: Events) -> dict[str, Any]:
    types = [t for t, _ in events]
    assert types[-2:] == ["outline.review", "run.waiting"], types[-4:]
    assert "section.delta" not in types and "run.completed" not in types
    return events[-2][1]


async def test_the_draft_waits_with_its_outline_then_writes_exactly_the_edited_sections(
    runner_for, llm: ScriptedLLM
) -> None:
    llm.sections = ["개요", "주가 동향", "실적 및 재무"]
    runner = runner_for()
    body = _draft(runner)
    review = _waiting(await runner.post(body))
    assert [s["title"] for s in review["sections"]] == ["개요", "주가 동향", "실적 및 재무"]
    assert [s["section_id"] for s in review["sections"]] == ["s1", "s2", "s3"]
    keys = {d["key"] for d in review["datasets"]}
    assert {"price", "metrics_interim"} <= keys  # the data the sections may use, by key and title
    assert llm.calls == {"outline": 1}  # nothing written while the user reviews

    # reorder, rename, delete (주가 동향), add one, and instruct one section
    edited = {
        "title": "삼성전자 실적 점검",
        "sections": [
            {"section_id": "s3", "title": "실적 점검", "instructions": "영업이익률 변화를 먼저 쓰세요"},
            {"section_id": "s1", "title": "개요"},
            {"title": "투자 포인트", "purpose": "투자 판단에 필요한 점", "data": ["price"]},
        ],
    }
    events = await runner.post({**body, "resume": {"mode": "review", "outline": edited}})
    assert events[0] == ("run.started", events[0][1]) and events[0][1]["resumed"] is True
    result = completed(events)
    assert result["title"] == "삼성전자 실적 점검"
    headings = [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2]
    assert headings[:3] == ["실적 점검", "개요", "투자 포인트"]
    assert "주가 동향" not in headings
    done = [(d["section_id"], d["title"]) for t, d in events if t == "section.done"]
    assert sorted(done) == [("s1", "실적 점검"), ("s2", "개요"), ("s3", "투자 포인트")]
    # exactly the edited sections were written, once each; the instruction reached its writer
    assert sorted(llm.section_titles) == sorted(["실적 점검", "개요", "투자 포인트"])
    assert llm.calls["outline"] == 1
    instructed = [p for p in llm.section_prompts if "이 섹션: 실적 점검" in p]
    assert instructed and "사용자 지시: 영업이익률 변화를 먼저 쓰세요" in instructed[0]
    # the new section saw only the data it asked for: the price block, not the statements
    added = next(p for p in llm.section_prompts if "이 섹션: 투자 포인트" in p)
    assert "재무지표" not in added


async def test_approving_as_proposed_writes_the_proposed_outline(runner_for, llm: ScriptedLLM) -> None:
    runner = runner_for()
    body = _draft(runner)
    _waiting(await runner.post(body))
    result = completed(await runner.post({**body, "resume": {"mode": "review"}}))
    headings = [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2]
    assert headings[:3] == llm.sections
    assert llm.calls["outline"] == 1 and llm.calls["section"] == 3


async def test_resuming_twice_or_without_a_checkpoint_fails_cleanly(runner_for) -> None:
    runner = runner_for()
    body = _draft(runner)
    _waiting(await runner.post(body))
    completed(await runner.post({**body, "resume": {"mode": "review"}}))
    # finished: its checkpoints are gone; answering again is refused, nothing is rewritten
    again = await runner.post({**body, "resume": {"mode": "review"}})
    assert again[-1][0] == "run.failed" and again[-1][1]["error"]["code"] == "not_resumable"
    unknown = await runner.post(
        {
            **runner.body("draft", "x", options={"company": "삼성전자"}),
            "run_id": "never",
            "resume": {"mode": "continue"},
        }
    )
    assert unknown[-1][1]["error"]["code"] == "not_resumable"


async def test_a_review_answer_outside_the_contract_is_a_422_before_any_event(runner_for) -> None:
    import httpx

    from finscribe_testkit.orchestrator.stack import TOKEN

    runner = runner_for()
    body = {**_draft(runner), "resume": {"mode": "review", "outline": {"sections": []}}}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(runner.app), base_url="http://o") as client:
        response = await client.post("/v1/runs", json=body, headers={"X-Internal-Token": TOKEN})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
