"""draft end to end: the real krx/dart/yahoo apps (upstreams replayed from the real fixtures),
the scripted LLM over the OpenAI protocol, events as the gateway sees them."""

import base64

import httpx
import pytest

from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, Runner, completed
from finscribe_testkit.orchestrator.stack import refused, replayed_data_services

# DART fnlttSinglAcnt, 2024 third quarter (filed 2024-11-14, the newest report by 2024-12-30), consolidated, 1-9월
SAMSUNG_Q3_2024_REVENUE = 225_082_634_000_000


async def test_draft_completes_with_sections_figures_charts_and_sources(runner_for, llm: ScriptedLLM) -> None:
    llm.sections = ["개요", "주가 동향", "실적 및 재무", "결론"]
    runner = runner_for()
    events = await runner.run("draft", "삼성전자 보고서를 써줘", company="삼성전자", length="standard", as_of=AS_OF)
    types = [t for t, _ in events]
    assert types[0] == "run.started"
    assert [d["seq"] for _, d in events] == list(range(1, len(events) + 1))
    assert all(d["run_id"] == "run-1" for _, d in events)
    result = completed(events)

    # every section streamed, then finished; sections in outline order in the result
    deltas = {d["section_id"] for t, d in events if t == "section.delta"}
    done = [d["section_id"] for t, d in events if t == "section.done"]
    assert deltas == {"s1", "s2", "s3", "s4"} and sorted(done) == ["s1", "s2", "s3", "s4"]
    headings = [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2]
    assert headings[:4] == ["개요", "주가 동향", "실적 및 재무", "결론"]
    assert "주요 지표" in headings and "출처" in headings

    # real data reached the document: Samsung's recorded 2024 close and its newest filed report's revenue
    assert "53,200원" in result["markdown"]  # 005930's close on 2024-12-30 in the recorded Yahoo series
    revenue = [c for c in result["citations"] if "재무지표" in c["title"]]
    assert revenue and revenue[0]["url"].endswith("rcpNo=20241114002642")
    assert "3분기보고서" in revenue[0]["title"]
    assert f"{SAMSUNG_Q3_2024_REVENUE / 10**12:.1f}조원" in result["markdown"]  # 225.1조원 in the key-figures table
    assert "2024-11-14 제출, 접수번호 20241114002642" in result["markdown"]  # the draft says which report
    # citations only to fetched sources, each [n] in the text resolvable
    known = {c["n"] for c in result["citations"]}
    cited = {n for b in result["blocks"] for n in b.get("citations", [])}
    assert cited and cited <= known
    # charts rendered as real PNGs with their data table and source
    assert result["charts"], "price chart expected"
    png = base64.b64decode(result["charts"][0]["png_base64"])
    assert png.startswith(b"\x89PNG")
    assert result["charts"][0]["source"]["provider"] == "KRX"
    assert result["usage"]["llm_calls"] >= 5  # outline + 4 sections
    assert set(result["timings"]) >= {"resolve", "gather", "outline", "charts", "assemble", "total"}


async def test_progress_is_monotonic_and_steps_pair_up(runner_for) -> None:
    events = await runner_for().run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    progress = [d["progress"] for t, d in events if t == "step"]
    assert progress == sorted(progress) and progress[-1] == 1.0
    started = {d["name"] for t, d in events if t == "step" and d["status"] == "started"}
    finished = {d["name"] for t, d in events if t == "step" and d["status"] in ("done", "skipped")}
    assert started <= finished
    order = [d["name"] for t, d in events if t == "step" and d["status"] == "started"]
    assert order.index("resolve") < order.index("gather") < order.index("outline") < order.index("section:s1")
    assert order.index("section:s1") < order.index("assemble")


async def test_grounding_catches_a_planted_wrong_number_and_regenerates(runner_for, llm: ScriptedLLM) -> None:
    llm.plant_wrong_number = "실적 및 재무"
    events = await runner_for().run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    result = completed(events)
    assert llm.calls.get("regenerate") == 1  # exactly the planted section was rewritten once
    assert "987조" not in result["markdown"]
    verify = [d for t, d in events if t == "step" and d["name"].startswith("verify:")]
    assert verify and "987조 6,543억원" in verify[0]["detail"]


async def test_a_number_that_survives_regeneration_is_flagged(runner_for, llm: ScriptedLLM) -> None:
    llm.plant_wrong_number = "개요"
    original = llm.grounded_text
    # the "model" repeats its mistake when asked to fix it
    llm.grounded_text = lambda prompt, sentences=3: f"{llm.wrong_number} [1]. " + original(prompt, sentences)  # type: ignore[method-assign]
    events = await runner_for().run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    result = completed(events)
    flagged = [w for w in result["warnings"] if w["code"] == "unverified_number"]
    assert flagged and any(w["value"] == "987조 6,543억원" for w in flagged)
    assert any(t == "warning" and d["code"] == "unverified_number" for t, d in events)


async def test_a_data_service_down_gives_a_warning_and_the_draft_completes(llm: ScriptedLLM, service_apps) -> None:
    with replayed_data_services(down=("dart",), apps=service_apps) as stack:
        runner = Runner({**stack.transports, "llm": httpx.ASGITransport(llm.app), "rag": refused("rag")})
        body = runner.body("draft", "삼성전자", options={"company": "삼성전자", "length": "short", "as_of": AS_OF})
        body["rag_collection"] = "u0123456789abcdef-s00000001"
        body["files"] = [{"file_id": "paper", "name": "paper.pdf", "kind": "pdf", "url": "http://gateway.test/x"}]
        events = await runner.post(body)
    result = completed(events)
    warnings = [d for t, d in events if t == "warning" and d["code"] == "source_unavailable"]
    assert {w["service"] for w in warnings} >= {"dart", "rag"}
    assert stack.transports["dart"].calls >= 1  # type: ignore[attr-defined]
    assert not any(c["provider"] == "DART" for c in result["citations"])
    assert any(c["provider"] == "KRX" for c in result["citations"])
    assert "53,200원" in result["markdown"]


async def test_without_an_llm_the_draft_is_data_only_with_a_warning(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503
    events = await runner_for().run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    result = completed(events)
    assert any(w["code"] == "llm_unavailable" for w in result["warnings"])
    assert llm.calls.get("error") == 1  # the outline call found out; no section wasted a call
    assert "53,200원" in result["markdown"] and "[1]" in result["markdown"]
    assert result["charts"] and result["citations"]
    assert result["usage"]["llm_calls"] == 0 or result["usage"]["completion_tokens"] == 0


async def test_invalid_outline_twice_falls_back_to_the_template_outline(runner_for, llm: ScriptedLLM) -> None:
    llm.invalid_outline = True
    events = await runner_for().run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    result = completed(events)
    assert llm.calls["outline"] == 2  # one retry, then the fallback
    assert any(w["code"] == "outline_fallback" for w in result["warnings"])
    assert any(b["type"] == "heading" and b["text"] == "주가 동향" for b in result["blocks"])


@pytest.mark.parametrize("cap", [1, 3])
async def test_sections_run_in_parallel_up_to_the_concurrency_cap(runner_for, llm: ScriptedLLM, cap: int) -> None:
    llm.sections = ["가", "나", "다"]
    llm.latency = 0.3
    runner = runner_for(max_concurrency=cap)
    events = await runner.run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    result = completed(events)
    started = [
        d["seq"] for t, d in events if t == "step" and d["name"].startswith("section:") and d["status"] == "started"
    ]
    first_done = min(d["seq"] for t, d in events if t == "section.done")
    running_together = sum(1 for seq in started if seq < first_done)
    assert running_together == cap
    assert result["timings"]["total"] > 0


async def test_krx_down_prices_come_from_yahoo(llm: ScriptedLLM, service_apps) -> None:
    with replayed_data_services(down=("krx",), apps=service_apps) as stack:
        runner = Runner({**stack.transports, "llm": httpx.ASGITransport(llm.app)})
        events = await runner.run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    result = completed(events)
    assert any(d["code"] == "source_unavailable" and d["service"] == "krx" for t, d in events if t == "warning")
    yahoo = [c for c in result["citations"] if c["provider"] == "Yahoo Finance"]
    assert yahoo and "수정주가" in yahoo[0]["title"]
    # the real recorded adjusted close of 005930.KS on 2024-12-30 is 53,200 (rounded to the won)
    assert "53,200원" in result["markdown"]


async def test_an_ambiguous_company_is_asked_back_through_a_warning(runner_for) -> None:
    events = await runner_for().run("draft", "현대 보고서", company="현대", length="short", as_of=AS_OF)
    completed(events)
    ambiguous = [d for t, d in events if t == "warning" and d["code"] == "ambiguous_company"]
    assert ambiguous and "현대차" in ambiguous[0]["message"] and "현대건설" in ambiguous[0]["message"]
    resolve = next(d for t, d in events if t == "step" and d["name"] == "resolve" and d["status"] == "done")
    assert resolve["detail"] == "현대차(005380)"


async def test_english_drafts_ask_the_model_for_english(runner_for, llm: ScriptedLLM) -> None:
    events = await runner_for().run("draft", "Samsung", company="삼성전자", length="short", language="en", as_of=AS_OF)
    completed(events)
    sections = [r for r in llm.fake.requests if "이 섹션:" in str(r["messages"][1]["content"])]
    assert sections and all("작성 언어: English" in str(r["messages"][1]["content"]) for r in sections)


async def test_a_prompt_without_a_known_company_says_so(runner_for) -> None:
    events = await runner_for().run("draft", "좋은 보고서를 써줘", length="short", as_of=AS_OF)
    result = completed(events)
    assert any(w["code"] == "company_not_found" for w in result["warnings"])


async def test_a_named_company_that_does_not_exist_stops_the_run_with_a_question(runner_for) -> None:
    events = await runner_for().run("draft", "보고서", company="존재하지않는회사", length="short", as_of=AS_OF)
    assert events[-1][0] == "run.failed"
    assert events[-1][1]["error"]["code"] == "company_not_found"
    assert "존재하지않는회사" in events[-1][1]["error"]["message"]
    assert not any(t in ("run.completed", "section.done") for t, _ in events)


async def test_the_company_is_found_in_the_prompt(runner_for) -> None:
    events = await runner_for().run("draft", "삼성전자의 2024년 실적 보고서를 써줘", length="short", as_of=AS_OF)
    completed(events)
    resolve = next(d for t, d in events if t == "step" and d["name"] == "resolve" and d["status"] == "done")
    assert resolve["detail"] == "삼성전자(005930)"


async def test_a_section_the_llm_cannot_write_falls_back_to_data_sentences(runner_for, llm: ScriptedLLM) -> None:
    from finscribe_testkit.common.fake_openai import Reply

    original = llm.respond

    def respond(body):  # the outline works, every section stream is refused with a 400
        if body.get("stream"):
            return Reply(status=400, error_message="context length exceeded")
        return original(body)

    llm.fake.responder = respond
    events = await runner_for().run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)
    result = completed(events)
    fallbacks = [w for w in result["warnings"] if w["code"] == "section_fallback"]
    assert len(fallbacks) == len(llm.sections)
    reason = fallbacks[0]["params"]["reason"]
    assert reason["key"] == "reason_llm_error" and "400" in reason["params"]["error"]
    assert "53,200원" in result["markdown"]
    assert not [w for w in result["warnings"] if w["code"] == "llm_unavailable"]
