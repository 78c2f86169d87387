"""Drafts about a financial holding company and an insurer, from the real recorded DART answers
(fnlttSinglAcnt, company.json; list.json built from the recorded receipts) through the real krx/dart/
yahoo apps: the data-only writer (no LLM) and the scripted LLM over the OpenAI protocol."""

import json
from typing import Any

from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import completed


def cfs(file: str, name: str, column: str) -> int:
    rows = json.loads(fixture_path(f"dart_main_accounts/{file}").read_text(encoding="utf-8"))["list"]
    row = next(r for r in rows if r["fs_div"] == "CFS" and r["account_nm"] == name)
    return int(row[column].replace(",", ""))


def trillions(value: int) -> str:
    return f"{value / 10**12:,.1f}조원"


def table_rows(result: dict[str, Any]) -> list[list[str]]:
    return [row for b in result["blocks"] if b["type"] == "table" for row in b["rows"]]


async def test_kb_draft_talks_about_net_interest_income_and_has_no_revenue(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503  # the data-only writer: every sentence comes from the data summaries
    events = await runner_for().run("draft", "KB금융 보고서", company="KB금융", length="standard", as_of="2024-11-20")
    result = completed(events)
    markdown = result["markdown"]
    # the newest report filed by 2024-11-20 is the 2024 Q3 report (filed 2024-11-14), checked on the filings list
    assert "2024년 3분기보고서 (2024-11-14 제출, 접수번호 20241114002984" in markdown
    nii = cfs("fnlttSinglAcnt_00688996_2024_11014.json", "순이자손익", "thstrm_add_amount")  # 1-9월 누적
    assert f"순이자이익 {trillions(nii)}" in markdown  # 9.5조원
    assert "매출액" not in markdown and "영업이익률" not in markdown
    labels = [row[0] for row in table_rows(result)]
    assert any(label.startswith("순이자이익") for label in labels)
    assert not any("매출" in label for label in labels) and "부채비율" not in labels
    # the yearly trend from the 2023 annual report alongside it (2021-2023 in its history)
    annual = [c for c in result["citations"] if "2023년 사업보고서" in c["title"]]
    assert annual and annual[0]["url"].endswith("rcpNo=20240326000894")
    # the profile from company.json, cited, in the overview
    profile = next(c for c in result["citations"] if "기업개황" in c["title"])
    assert "대표이사 양종희" in markdown and "업종 지주회사(업종코드 64992)" in markdown
    assert f"[{profile['n']}]" in markdown and "www.kbfg.com" in markdown
    # charts: the bank's own lines
    titles = [c["title"] for c in result["charts"]]
    assert any("순이자이익" in t for t in titles) and not any("매출액" in t for t in titles)


async def test_samsung_life_draft_reads_as_an_insurer(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503
    events = await runner_for().run(
        "draft", "삼성생명 보고서", company="삼성생명", length="standard", as_of="2025-04-15"
    )
    result = completed(events)
    markdown = result["markdown"]
    assert "2024년 사업보고서(연간) (2025-03-31 제출, 접수번호 20250331004004" in markdown
    assert "매출액" not in markdown and "영업이익률" not in markdown
    assert "업종 생명 보험업(업종코드 65110)" in markdown
    net = cfs("fnlttSinglAcnt_00126256_2024_11011.json", "당기순이익(손실)", "thstrm_amount")
    assert f"당기순이익 {trillions(net)}" in markdown
    # three fiscal years from the one annual report
    trend = [
        cfs("fnlttSinglAcnt_00126256_2024_11011.json", "영업이익(손실)", c)
        for c in ("bfefrmtrm_amount", "frmtrm_amount", "thstrm_amount")
    ]
    assert (
        "연간 영업이익은 " + ", ".join(f"{y}년 {trillions(v)}" for y, v in zip((2022, 2023, 2024), trend, strict=True))
        in markdown
    )
    labels = [row[0] for row in table_rows(result)]
    assert "보험계약부채" not in labels and not any("매출" in label for label in labels)


async def test_the_llm_is_shown_the_sector_lines_not_revenue(runner_for, llm: ScriptedLLM) -> None:
    events = await runner_for().run("draft", "KB금융", company="KB금융", length="short", as_of="2024-11-20")
    result = completed(events)
    prompts = [
        str(r["messages"][1]["content"]) for r in llm.fake.requests if "이 섹션:" in str(r["messages"][1]["content"])
    ]
    shown = "\n".join(prompts)
    assert "순이자이익:" in shown and "업종 구분: 금융지주" in shown
    assert "매출액:" not in shown and "영업이익률:" not in shown
    assert "2024년 3분기(7~9월)" in shown  # the quarter alone, labelled
    assert result["citations"]


async def test_a_report_filed_after_the_date_is_not_used(runner_for, llm: ScriptedLLM) -> None:
    # 카카오's recorded 2024 Q3 receipt is dated 2024-12-26 (20241226000456): the legal deadline (11-14) alone
    # would pick it for 2024-11-20; the filings list says it was not filed yet, so the 2023 annual report serves
    llm.status = 503
    events = await runner_for().run("draft", "카카오", company="카카오", length="short", as_of="2024-11-20")
    result = completed(events)
    dart = [c["url"] for c in result["citations"] if "재무지표" in c["title"]]
    assert dart and all(url.endswith("rcpNo=20240418000375") for url in dart)
    assert "2023년 사업보고서(연간) (2024-04-18 제출" in result["markdown"]
    assert "20241226000456" not in result["markdown"]
