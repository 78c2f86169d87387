"""Demo mode in the orchestrator: every result of every kind is labelled, a run that names no
as-of date reads the recordings as of ORCH_DEFAULT_AS_OF, every source is cited as what it
really is with its recording date, a company without recorded prices gets a price section
that says so, and a company the recordings lack is refused instead of reported on."""

import datetime as dt
import re

import pytest

from finscribe_common.demo import DEMO_NOTICE, is_labelled
from finscribe_common.demo.provenance import encode
from finscribe_testkit.dart import demo as dart_demo
from finscribe_testkit.krx import demo as krx_demo
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, completed
from finscribe_testkit.yahoo import demo as yahoo_demo


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


# --- what each source really is (finscribe_common.demo.provenance) --------------------------


def demo_runner(runner_for):
    """A demo orchestrator as `finscribe up --demo` configures it: the replays' recordings and companies."""
    recordings = [*krx_demo.recordings(), *dart_demo.recordings(), *yahoo_demo.recordings()]
    return runner_for(
        demo=True,
        default_as_of=dt.date.fromisoformat(AS_OF),
        demo_recordings=encode(recordings),
        demo_companies="삼성전자 (005930), KB금융 (105560)",
    )


async def test_demo_citations_name_the_real_provider_and_the_recording_date(runner_for, llm: ScriptedLLM) -> None:
    llm.sections = ["개요", "주가 동향"]
    runner = demo_runner(runner_for)
    result = completed(await runner.run("draft", "삼성전자 보고서", company="삼성전자", length="short"))
    citations = result["citations"]
    assert citations and all("기록 " in c["title"] for c in citations), citations
    # the "KRX" closes of 2024 are Yahoo Finance's adjusted closes: cited as that, in the sources list too
    price = next(c for c in citations if "일별 주가" in c["title"])
    assert price["provider"] == "Yahoo Finance" and "수정 종가" in price["title"] and "기록 2025년 초" in price["title"]
    assert all(c["provider"] != "KRX" for c in citations)
    assert f"[{price['n']}] Yahoo Finance · 삼성전자 일별 주가 (005930.KS 수정 종가" in result["markdown"]
    # the company profile is dated by the recording, not by today's replay
    profile = next(c for c in citations if "기업개황" in c["title"])
    assert profile["as_of"] == "2026-02-17" and dt.date.today().isoformat() not in str(profile)


async def test_a_demo_chart_names_yahoo_as_the_source_of_its_prices(runner_for) -> None:
    result = completed(await demo_runner(runner_for).run("chart", "삼성전자 주가 추이", company="삼성전자"))
    assert is_labelled(result) and result["charts"]
    assert result["charts"][0]["source"]["provider"] == "Yahoo Finance"
    cited = {c["n"]: c for c in result["citations"]}
    assert all(cited[n]["provider"] == "Yahoo Finance" for n in result["charts"][0]["citations"])


async def test_a_demo_draft_without_recorded_prices_says_so_in_its_price_section(runner_for, llm: ScriptedLLM) -> None:
    llm.sections = ["개요", "실적 및 재무"]  # the model's outline leaves prices out: the demo puts the section back
    runner = demo_runner(runner_for)
    result = completed(await runner.run("draft", "KB금융 보고서", company="KB금융지주", length="short"))
    sections = re.split(r"^## ", result["markdown"], flags=re.M)
    price = next(s for s in sections if s.startswith("주가 동향"))
    assert "데모에는 KB금융의 주가 데이터가 없습니다" in price
    assert is_labelled(result)


async def test_the_data_only_demo_draft_keeps_the_price_section_too(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503  # no model: the data-only writer
    runner = demo_runner(runner_for)
    result = completed(await runner.run("draft", "KB금융 보고서", company="KB금융지주", length="short"))
    assert "## 주가 동향\n\n데모에는 KB금융의 주가 데이터가 없습니다" in result["markdown"]


@pytest.mark.parametrize(
    ("company", "says"),
    [("없는회사테스트", "'없는회사테스트'에 해당하는 회사"), ("LG전자", f"LG전자(066570)의 {AS_OF} 기준 데이터")],
)
async def test_a_demo_run_about_a_company_the_recordings_lack_is_refused(runner_for, company: str, says: str) -> None:
    events = await demo_runner(runner_for).run("draft", f"{company} 보고서", company=company, length="short")
    kind, last = events[-1]
    assert kind == "run.failed" and last["error"]["code"] == "not_in_demo", events[-3:]
    assert says in last["error"]["message"] and "삼성전자 (005930), KB금융 (105560)" in last["error"]["message"]
    assert not any(t == "section.done" for t, _ in events)  # no report at all


HANGUL = re.compile(r"[\uac00-\ud7a3]")


async def test_an_english_demo_draft_cites_its_recordings_in_english(runner_for, llm: ScriptedLLM) -> None:
    # the recordings' notes ("수정 종가, 기록 2025년 초") were Korean in an English document
    llm.status = 503
    runner = demo_runner(runner_for)
    events = await runner.run("draft", "report", company="삼성전자", length="short", language="en", as_of="2024-09-30")
    result = completed(events)
    citations = result["citations"]
    assert citations and all("recorded " in c["title"] for c in citations), citations
    for citation in citations:
        # the company's name is DART's (Korean); nothing else in the title is
        assert not HANGUL.search(citation["title"].replace("삼성전자", "")), citation["title"]
    price = next(c for c in citations if "daily share price" in c["title"])
    assert (
        price["provider"] == "Yahoo Finance" and "adjusted close" in price["title"] and "early 2025" in price["title"]
    )


@pytest.mark.parametrize(("language", "says"), [("ko", "데모에 기록되지 않은"), ("en", "the demo has no recording")])
async def test_data_the_demo_never_recorded_is_not_called_an_upstream_failure(
    runner_for, llm: ScriptedLLM, language: str, says: str
) -> None:
    # the replays hold no 2024 fundamentals for 005930: KRX's answer for that is no rows
    llm.status = 503
    events = await demo_runner(runner_for).run(
        "draft", "report", company="삼성전자", length="short", language=language, as_of="2024-09-30"
    )
    warnings = completed(events)["warnings"]
    unrecorded = [w for w in warnings if w["code"] == "not_recorded_in_demo"]
    assert unrecorded and says in unrecorded[0]["message"], warnings
    assert not any("upstream_error" in w["message"] for w in warnings), warnings


async def test_a_real_upstream_failure_in_demo_mode_stays_an_upstream_failure(
    runner_for, services, llm: ScriptedLLM
) -> None:
    # the KRX replay answers HTTP 500 to the fundamentals request: the recordings lack those
    # rows too, but what the user must hear is that the upstream failed, not "not recorded"
    from finscribe_testkit.krx.replay import FUNDAMENTAL_BLD

    llm.status = 503
    services.counters["krx"].fail("500", bld=FUNDAMENTAL_BLD, times=10)
    events = await demo_runner(runner_for).run(
        "draft", "report", company="삼성전자", length="short", language="en", as_of="2024-09-30"
    )
    warnings = completed(events)["warnings"]
    failed = [w for w in warnings if w["code"] == "source_unavailable" and w["params"]["service"] == "krx"]
    assert failed and "삼성전자 valuation metrics: upstream_error" in failed[0]["params"]["reason"], warnings
    unrecorded = [w for w in warnings if w["code"] == "not_recorded_in_demo"]
    assert all("valuation metrics" not in w["params"]["what"] for w in unrecorded), warnings
    # what the recordings truly lack (the 2024 KOSPI index) is still "not recorded"
    assert any(w["params"]["service"] == "krx" and "KOSPI" in w["params"]["what"] for w in unrecorded), warnings
