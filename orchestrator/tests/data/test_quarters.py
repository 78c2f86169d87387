"""Earnings review quarters on the real recorded DART reports (dart service in-process, Open DART
replayed): Q4 is the annual figure minus the nine months to September, compared with Q3 alone and
with Q4 a year earlier; a prior quarter no recorded report covers is said to be missing."""

from typing import Any

import httpx
import pytest

from finscribe_common.contract.templates import builtin_templates
from finscribe_orchestrator.data.quarters import quarter, review
from finscribe_orchestrator.labels import history_period
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import completed
from finscribe_testkit.orchestrator.stack import TOKEN, ReplayedServices

KIA = "00106641"
MILLION = 1_000_000  # DART's main accounts are in won; the figures below are the report's 백만원


async def _key_metrics(services: ReplayedServices, corp: str, year: int, report: str) -> dict[str, Any]:
    transport = services.transports["dart"]
    async with httpx.AsyncClient(transport=transport, base_url="http://dart") as client:
        response = await client.get(
            f"/v1/corps/{corp}/key-metrics",
            params={"year": year, "report": report},
            headers={"X-Internal-Token": TOKEN},
        )
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_kia_q4_2024_is_the_annual_figure_minus_nine_months(services: ReplayedServices) -> None:
    annual = await _key_metrics(services, KIA, 2024, "annual")
    q3 = await _key_metrics(services, KIA, 2024, "q3")
    out = review([annual, q3], 2024, "annual")
    assert out is not None
    latest, prior, year_ago = out["latest"], out["prior"], out["year_ago"]
    assert (latest["year"], latest["quarter"], latest["how"]) == (2024, 4, "difference")
    assert latest["revenue"] == (107_448_752 - 80_300_635) * MILLION == 27_148_117 * MILLION
    assert (prior["year"], prior["quarter"], prior["how"]) == (2024, 3, "reported")
    assert prior["revenue"] == 26_519_877 * MILLION
    assert (year_ago["year"], year_ago["quarter"]) == (2023, 4)
    assert year_ago["revenue"] == (99_808_420 - 75_480_266) * MILLION == 24_328_154 * MILLION
    assert out["qoq"]["revenue"] == 2.37 and out["yoy"]["revenue"] == 11.59
    # operating income and net income follow the same arithmetic, margins in %p
    for key in ("operating_income", "net_income"):
        assert latest[key] is not None and out["qoq"][key] is not None and out["yoy"][key] is not None
    assert out["margin_qoq_pp"] == round(latest["operating_margin"] - prior["operating_margin"], 2)


async def test_a_quarter_no_recorded_report_covers_is_none(services: ReplayedServices) -> None:
    q3 = await _key_metrics(services, KIA, 2024, "q3")
    annual_2023 = await _key_metrics(services, KIA, 2023, "annual")
    assert quarter([q3, annual_2023], 2024, 2) is None  # needs the half-year report: not recorded for Kia
    out = review([q3, annual_2023], 2024, "q3")
    assert out is not None
    assert out["prior"] == {"year": 2024, "quarter": 2, "missing_report": "h1", "unavailable": True}
    assert out["qoq"] == {"revenue": None, "operating_income": None, "net_income": None}
    assert out["year_ago"]["revenue"] == q3["quarter"]["prior"]["revenue"]


def _body(runner: Any, as_of: str, language: str = "ko", company: str = "기아") -> dict[str, Any]:
    template = builtin_templates()["earnings_review"]
    options = {"company": company, "length": "short", "as_of": as_of, "template": "earnings_review"}
    if language == "en":
        options["language"] = "en"
    return {**runner.body("draft", company, options=options), "template": template.model_dump(mode="json")}


def _first_table(result: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    blocks = result["blocks"]
    heading = next(b["text"] for b in blocks if b["type"] == "heading" and b["level"] == 2)
    table = next(b for b in blocks if b["type"] == "table")
    return heading, table


@pytest.mark.parametrize(
    ("language", "heading", "header", "revenue"),
    [
        (
            "ko",
            "분기 실적",
            ["항목", "2024년 4분기", "2024년 3분기", "직전 분기 대비", "2023년 4분기", "전년 동기 대비", "출처"],
            ["매출액", "27.1조원", "26.5조원", "+2.37%", "24.3조원", "+11.59%"],
        ),
        (
            "en",
            "Quarterly results",
            ["Item", "Q4 2024", "Q3 2024", "QoQ", "Q4 2023", "YoY", "Source"],
            ["Revenue", "KRW 27.1 trillion", "KRW 26.5 trillion", "+2.37%", "KRW 24.3 trillion", "+11.59%"],
        ),
    ],
)
async def test_an_earnings_review_opens_with_the_quarter_table(
    runner_for, llm: ScriptedLLM, language: str, heading: str, header: list[str], revenue: list[str]
) -> None:
    runner = runner_for()
    # Kia's 2024 annual report was filed on 2025-03-13: the newest quarter is Q4 2024
    result = completed(await runner.post(_body(runner, "2025-03-20", language)))
    first_heading, table = _first_table(result)
    assert first_heading == heading
    assert table["header"] == header
    assert table["rows"][0][:6] == revenue
    assert table["align"] == ["left", "right", "right", "right", "right", "right", "left"]
    margin = table["rows"][-1]
    assert margin[3].endswith("%p") and margin[5].endswith("%p")
    assert f"| {' | '.join(header)} |\n|---|---:|---:|---:|---:|---:|---|" in result["markdown"]
    # the writers see the comparison: the quarter figures and the changes
    prompt = next(p for p in llm.section_prompts if "27.1" in p)
    assert "+2.37%" in prompt and "+11.59%" in prompt


async def test_without_the_half_year_report_the_prior_quarter_is_said_to_be_missing(
    runner_for, llm: ScriptedLLM
) -> None:
    runner = runner_for()
    # on 2024-12-30 Kia's newest report is the 2024 Q3 report; no half-year report was recorded
    result = completed(await runner.post(_body(runner, "2024-12-30")))
    _, table = _first_table(result)
    assert table["header"][1:3] == ["2024년 3분기", "2024년 2분기"]
    revenue = table["rows"][0]
    assert revenue[0] == "매출액" and revenue[2] == "–" and revenue[3] == "–"
    assert revenue[4] != "–" and revenue[5] != "–"
    assert any("직전 분기(2024년 2분기) 수치는 가져온 보고서로 계산할 수 없습니다" in p for p in llm.section_prompts)


def test_a_quarter_alone_is_named_by_the_quarter_it_is_not_by_its_length() -> None:
    # history entries of the quarter alone have months = 3 whatever the quarter
    entry = {"period": "thstrm", "year": 2024, "scope": "quarter", "months": 3, "label": "2024년 3분기(7~9월)"}
    assert history_period("en", entry) == "Q3 2024 (months 7-9)"
    assert history_period("ko", entry) == "2024년 3분기(7~9월)"
