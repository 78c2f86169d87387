"""Durable drafts: the orchestrator stops mid-run (its request is torn down with a section
still being written), a new orchestrator app on the same SQLite checkpoints continues
the run (`resume: {mode: continue}`): sections already written are not asked for again,
and the document, its warnings and its LLM usage equal those of an uninterrupted run."""

import asyncio
from typing import Any

import httpx

from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, Runner, completed, parse_sse
from finscribe_testkit.orchestrator.stack import TOKEN

SECTIONS = ["개요", "주가 동향", "실적 및 재무"]


def _body(runner: Runner) -> dict[str, Any]:
    options = {"company": "삼성전자", "length": "short", "as_of": AS_OF}
    return runner.body("draft", "삼성전자 보고서", options=options)


async def _run_until_sections_done(runner: Runner, body: dict[str, Any], count: int) -> list[tuple[str, dict]]:
    """Stream the run and drop the connection once `count` sections are done (the app
    cancels the run, as a dying process stops it)."""
    seen = ""
    with serve_in_thread(runner.app) as base:  # a real connection: ASGITransport would buffer the whole run
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            headers = {"X-Internal-Token": TOKEN}
            async with client.stream("POST", "/v1/runs", json=body, headers=headers) as response:
                async for chunk in response.aiter_text():
                    seen += chunk
                    if seen.count("event: section.done") >= count:
                        break
        await asyncio.sleep(0.5)  # the cancelled run unwinds
    return parse_sse(seen[: seen.rfind("\n\n") + 2])


def _document(result: dict[str, Any]) -> dict[str, Any]:
    return {k: result[k] for k in ("title", "markdown", "blocks", "citations")}


async def test_a_run_continued_on_a_new_orchestrator_writes_no_section_twice(runner_for, llm: ScriptedLLM) -> None:
    llm.sections = SECTIONS
    reference = completed(
        await runner_for().run("draft", "삼성전자 보고서", company="삼성전자", length="short", as_of=AS_OF)
    )
    llm.calls.clear()
    llm.section_titles.clear()

    llm.section_latency = {"실적 및 재무": 30.0}  # still being written when the orchestrator goes
    first = runner_for()
    body = _body(first)
    before = await _run_until_sections_done(first, body, 2)
    done_before = {d["title"] for t, d in before if t == "section.done"}
    assert done_before == {"개요", "주가 동향"}
    assert "run.completed" not in [t for t, _ in before]

    llm.section_latency = {}
    second = runner_for(checkpoint_url=first.settings.checkpoint_url)  # a new process, same checkpoint store
    events = await second.post({**body, "resume": {"mode": "continue"}})
    assert events[0][1]["resumed"] is True
    result = completed(events)
    # the two sections written before are not asked for again; the interrupted one is written once more
    assert {t: llm.section_titles.count(t) for t in SECTIONS} == {"개요": 1, "주가 동향": 1, "실적 및 재무": 2}
    assert llm.calls["outline"] == 1
    assert [d["title"] for t, d in events if t == "section.done"] == ["실적 및 재무"]
    assert _document(result) == _document(reference)
    # warnings and LLM usage are graph state: the checkpoint brings those of the first part along
    # (codes and services: a message lists the failed fetches in the order they finished)
    assert [(w["code"], w.get("service")) for w in result["warnings"]] == [
        (w["code"], w.get("service")) for w in reference["warnings"]
    ]
    assert result["usage"]["llm_calls"] == reference["usage"]["llm_calls"] == 4  # outline + 3 sections


def _warned(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((w["code"], str(w.get("section")), str(w.get("value"))) for w in result["warnings"])


async def test_a_continued_run_keeps_the_warnings_and_usage_of_sections_done_before(
    runner_for, llm: ScriptedLLM
) -> None:
    """A section finished before the crash raised `unverified_number` (the planted figure survives its
    regeneration) and cost LLM calls; neither is repeated after the resume, both are in the stored result."""
    llm.sections = SECTIONS
    llm.plant_wrong_number, llm.planted, llm.planted_again = "개요", "영업이익은 987조 6,543억원입니다.", True
    reference = completed(
        await runner_for().run("draft", "삼성전자 보고서", company="삼성전자", length="short", as_of=AS_OF)
    )
    assert ("unverified_number", "개요", "987조 6,543억원") in _warned(reference)
    llm.calls.clear()

    llm.section_latency = {"실적 및 재무": 30.0}
    first = runner_for()
    body = _body(first)
    before = await _run_until_sections_done(first, body, 2)
    assert any(t == "warning" and d["code"] == "unverified_number" for t, d in before)
    calls_before = sum(llm.calls.values())

    llm.section_latency = {}
    llm.calls.clear()
    second = runner_for(checkpoint_url=first.settings.checkpoint_url)
    events = await second.post({**body, "resume": {"mode": "continue"}})
    result = completed(events)
    # the warning is not streamed again (the client saw it), but the stored result has it
    assert not any(t == "warning" and d["code"] == "unverified_number" for t, d in events)
    assert _warned(result) == _warned(reference)
    # usage: the calls made before the crash (minus the interrupted section's) plus those after
    assert sum(llm.calls.values()) == 1
    assert result["usage"]["llm_calls"] == reference["usage"]["llm_calls"] == calls_before
    assert result["usage"]["prompt_tokens"] == reference["usage"]["prompt_tokens"]
