"""Peer comparison drafts (options.companies) through the real krx/dart/yahoo apps on the recorded
fixtures (dart_main_accounts: nine companies' 2023/2024 annual and 2024 Q3 main accounts; KRX and
Yahoo closes of 005930 only), with the data-only writer and the scripted LLM."""

import json
import re
from typing import Any

from finscribe_common.contract.templates import builtin_templates
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import Events, Runner, completed

PEER_TEMPLATE = builtin_templates()["peer_comparison"].model_dump(mode="json")
CORP = {
    "현대차": "00164742",
    "기아": "00106641",
    "삼성전자": "00126380",
    "SK하이닉스": "00164779",
    "NAVER": "00266961",
    "카카오": "00258801",
    "KB금융": "00688996",
}


async def peer_run(runner: Runner, companies: list[str], as_of: str, **options: Any) -> Events:
    body = runner.body("draft", "", options={"companies": companies, "as_of": as_of, **options}, template=PEER_TEMPLATE)
    return await runner.post(body)


def recorded(company: str, year: int, reprt: str, account: str, column: str) -> int:
    """The consolidated figure DART answered (fnlttSinglAcnt, recorded)."""
    file = f"dart_main_accounts/fnlttSinglAcnt_{CORP[company]}_{year}_{reprt}.json"
    rows = json.loads(fixture_path(file).read_text(encoding="utf-8"))["list"]
    return int(next(r for r in rows if r["fs_div"] == "CFS" and r["account_nm"] == account)[column].replace(",", ""))


def trillions(value: int) -> str:
    return f"{value / 10**12:,.1f}조원"


def table(result: dict[str, Any]) -> dict[str, Any]:
    return next(b for b in result["blocks"] if b["type"] == "table")


def cell(result: dict[str, Any], row_prefix: str, company: str) -> str:
    block = table(result)
    column = block["header"].index(company)
    return next(r[column] for r in block["rows"] if r[0].startswith(row_prefix))


def cited_title(result: dict[str, Any], text: str) -> str:
    n = int(re.search(r"\[(\d+)\]", text).group(1))  # type: ignore[union-attr]
    return next(c["title"] for c in result["citations"] if c["n"] == n)


def assert_cells_cite_their_company(result: dict[str, Any]) -> None:
    """Every filled cell's [n] is a source about that column's company."""
    block = table(result)
    for row in block["rows"]:
        for company, text in zip(block["header"][1:], row[1:], strict=True):
            if text != "—":
                assert cited_title(result, text).startswith(company), (row, company)


async def test_hyundai_and_kia_compare_the_same_quarter_each_cited_to_itself(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503  # the data-only writer: every sentence from the data summaries
    result = completed(await peer_run(runner_for(), ["현대자동차", "기아"], "2024-12-30"))
    assert result["title"] == "현대차 · 기아 비교 분석"
    assert table(result)["header"] == ["항목", "현대차", "기아"]
    # both filed their 2024 Q3 report by 2024-12-30: the common period, said once in the intro
    assert "모든 회사 같은 기간: 2024년 3분기보고서" in result["markdown"]
    for company in ("현대차", "기아"):
        revenue = recorded(company, 2024, "11014", "매출액", "thstrm_add_amount")
        assert cell(result, "매출액", company).startswith(trillions(revenue))
        assert cell(result, "기준 보고서", company).startswith("2024년 3분기보고서")
        assert cell(result, "재무제표", company).startswith("연결(CFS)")
    assert_cells_cite_their_company(result)
    assert "재무제표 기준이 다릅니다" not in result["markdown"] and "금융회사" not in result["markdown"]
    # the comparing sentences cite each company's figure to its own source (checked in detail below)
    # grouped bars of both companies, citing both companies' reports
    bars = next(c for c in result["charts"] if c["title"] == "매출액과 영업이익 비교")
    assert [r[0] for r in bars["table"]["rows"]] == ["현대차", "기아"]
    titles = {c["n"]: c["title"] for c in result["citations"]}
    assert sorted(titles[n].split()[0] for n in bars["citations"]) == ["기아", "현대차"]


async def test_a_figure_cited_to_the_other_company_is_corrected(runner_for, llm: ScriptedLLM) -> None:
    hynix = trillions(recorded("SK하이닉스", 2024, "11014", "매출액", "thstrm_add_amount"))
    llm.plant_wrong_number = "비교 요약"
    # SK하이닉스's revenue cited to Samsung's report, also after the one regeneration
    llm.planted = f"SK하이닉스의 누적 매출액은 {hynix}입니다 [{{삼성전자 2024년 3분기보고서}}]."
    llm.planted_again = True
    events = await peer_run(runner_for(), ["삼성전자", "SK하이닉스"], "2024-12-30")
    result = completed(events)
    corrected = [w for w in result["warnings"] if w["code"] == "citation_corrected"]
    assert corrected and hynix in corrected[0]["message"]
    sentence = next(s for s in result["markdown"].split("\n") if f"누적 매출액은 {hynix}" in s)
    assert cited_title(result, sentence.split(f"누적 매출액은 {hynix}")[1]).startswith("SK하이닉스 2024년 3분기보고서")
    # the writer was shown both companies' data, each under its own numbered source
    prompt = llm.section_prompts[0]
    assert re.search(r"^\[\d+\] 삼성전자 2024년 3분기보고서", prompt, re.M)
    assert re.search(r"^\[\d+\] SK하이닉스 2024년 3분기보고서", prompt, re.M)
    assert "대상 회사: 삼성전자 · SK하이닉스" in prompt
    assert_cells_cite_their_company(result)
    # only Samsung's closes are recorded: no rebased price chart, and the run says why
    partial = [w for w in result["warnings"] if w["code"] == "peer_chart_partial"]
    assert partial and "SK하이닉스" in partial[0]["message"]
    assert not any("주가 성과" in c["title"] for c in result["charts"])


async def test_naver_and_kakao_fall_back_to_the_last_report_both_had_filed(runner_for, llm: ScriptedLLM) -> None:
    # by 2024-12-20 NAVER had filed its 2024 Q3 report, 카카오 not yet (its receipt is 2024-12-26):
    # both are compared on the 2023 annual report rather than on different periods
    llm.status = 503
    result = completed(await peer_run(runner_for(), ["NAVER", "카카오"], "2024-12-20"))
    assert "모든 회사 같은 기간: 2023년 사업보고서(연간)" in result["markdown"]
    for company in ("NAVER", "카카오"):
        revenue = recorded(company, 2023, "11011", "매출액", "thstrm_amount")
        assert cell(result, "매출액", company).startswith(trillions(revenue))
        assert "2023년 사업보고서" in cited_title(result, cell(result, "매출액", company))
    assert not any("3분기" in c["title"] for c in result["citations"])
    assert_cells_cite_their_company(result)


async def test_a_bank_among_carmakers_is_compared_on_its_own_lines_with_a_note(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503
    result = completed(await peer_run(runner_for(), ["현대자동차", "기아", "KB금융"], "2024-11-20"))
    header = table(result)["header"]
    assert header[1:3] == ["현대차", "기아"] and header[3].startswith("KB")
    kb = header[3]
    assert cell(result, "매출액", kb) == "—" and cell(result, "영업이익률", kb) == "—"
    nii = recorded("KB금융", 2024, "11014", "순이자손익", "thstrm_add_amount")
    assert cell(result, "순이자이익", kb).startswith(trillions(nii))
    assert cell(result, "순이자이익", "현대차") == "—"
    note = next(b["text"] for b in result["blocks"] if b["type"] == "paragraph" and "금융회사" in b["text"])
    assert kb in note and "매출액" in note
    assert_cells_cite_their_company(result)
    # the revenue chart leaves the bank out (never a zero bar); net income compares all three
    revenue_chart = next(c for c in result["charts"] if c["title"] == "매출액과 영업이익 비교")
    assert [r[0] for r in revenue_chart["table"]["rows"]] == ["현대차", "기아"]
    net = next(c for c in result["charts"] if c["title"] == "당기순이익 비교")
    assert [r[0] for r in net["table"]["rows"]] == ["현대차", "기아", kb]
    assert any(w["code"] == "peer_chart_partial" and kb in w["message"] for w in result["warnings"])
    # the text compares the carmakers on revenue and margin, says the bank is left out, and
    # compares all three on net income, each figure cited to its own company
    summary = section_text(result["markdown"], "비교 요약")
    assert f"{kb}은 매출액을 보고하지 않아 이 비교에서 빠졌습니다." in summary
    net = re.search(r"당기순이익은 (.+?) 순이며", summary)
    assert net, summary
    for company, value, n in re.findall(r"(\S+) (\S+조원) (\[\d+\])", net.group(1)):
        assert cited_title(result, n).startswith(company)
    assert [c for c, _, _ in re.findall(r"(\S+) (\S+조원) (\[\d+\])", net.group(1))] == ["현대차", "기아", kb]
    profit = section_text(result["markdown"], "수익성과 성장")
    assert re.search(r"영업이익률은 기아 \S+% \[\d+\], 현대차 \S+% \[\d+\]로", profit)
    assert f"{kb}은 영업이익률을 보고하지 않아" in profit


async def test_an_unknown_ambiguous_or_repeated_company_stops_the_run(runner_for, llm: ScriptedLLM) -> None:
    runner = runner_for()
    for companies, code in (
        (["삼성전자", "없는회사이름"], "company_not_found"),
        (["삼성전자", "현대"], "ambiguous_company"),
        (["삼성전자", "005930"], "duplicate_company"),
    ):
        events = await peer_run(runner, companies, "2024-12-30")
        kind, data = events[-1]
        assert kind == "run.failed" and data["error"]["code"] == code, events[-1]
        assert not any(k == "section.done" for k, _ in events)
    assert llm.calls.get("section", 0) == 0


async def test_a_reviewed_peer_outline_resumes_with_each_company_cited_as_before(runner_for, llm: ScriptedLLM) -> None:
    # resuming rebuilds the merged bundle (resolve and gather again): the same numbers per company
    runner = runner_for()
    body = runner.body(
        "draft",
        "",
        options={"companies": ["현대자동차", "기아"], "as_of": "2024-12-30", "review_outline": True},
        template=PEER_TEMPLATE,
    )
    waiting = await runner.post(body)
    assert waiting[-1][0] == "run.waiting"
    review = next(data for kind, data in waiting if kind == "outline.review")
    first = review["sections"][0]
    outline = {"sections": [{"section_id": first["section_id"], "title": first["title"]}]}
    result = completed(await runner.post({**body, "resume": {"mode": "review", "outline": outline}}))
    assert [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2][1] == first["title"]
    assert_cells_cite_their_company(result)
    assert llm.section_titles == [first["title"]]


async def test_an_english_peer_comparison_has_english_scaffolding(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503
    result = completed(await peer_run(runner_for(), ["NAVER", "카카오"], "2024-12-30", language="en"))
    assert result["title"] == "NAVER · 카카오: peer comparison"
    assert table(result)["header"] == ["Item", "NAVER", "카카오"]
    assert "every company over the same period" in result["markdown"]
    assert next(b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2) == "Comparison"


def section_text(markdown: str, title: str) -> str:
    part = markdown.split(f"\n## {title}\n", 1)[1]
    return part.split("\n## ", 1)[0].strip()


async def test_a_section_whose_data_is_missing_says_so_instead_of_repeating_the_others(
    runner_for, llm: ScriptedLLM
) -> None:
    # only 005930's closes are recorded: the share-price section has none of its data (price,
    # index); the data-only writer wrote every dataset's sentences there, the others' text again
    llm.status = 503
    result = completed(await peer_run(runner_for(), ["현대자동차", "기아"], "2024-12-30"))
    assert section_text(result["markdown"], "주가 성과") == "이 섹션에 해당하는 데이터를 가져오지 못했습니다."
    assert "매출액" in section_text(result["markdown"], "수익성과 성장")
    demo = completed(await peer_run(runner_for(demo=True), ["현대자동차", "기아"], "2024-12-30"))
    assert section_text(demo["markdown"], "주가 성과").startswith("데모에는 현대차, 기아의 주가 데이터가 없습니다.")


async def test_the_data_only_writer_compares_hyundai_and_kia(runner_for, llm: ScriptedLLM) -> None:
    llm.status = 503
    result = completed(await peer_run(runner_for(), ["현대자동차", "기아"], "2024-12-30"))
    revenue = {c: recorded(c, 2024, "11014", "매출액", "thstrm_add_amount") for c in ("현대차", "기아")}
    income = {c: recorded(c, 2024, "11014", "영업이익", "thstrm_add_amount") for c in ("현대차", "기아")}
    summary = section_text(result["markdown"], "비교 요약")
    assert summary.startswith("비교한 수치는 모두 2024년 3분기보고서 연결(CFS) 기준입니다.")
    # 현대차 is larger: by the multiple and the difference of the recorded revenues, each cited to itself
    sentence = re.search(
        r"매출액은 현대차 (\S+) (\[\d+\]), 기아 (\S+) (\[\d+\]) 순이며, "
        r"현대차가 기아의 (\S+)배로 (\S+) 많습니다\.",
        summary,
    )
    assert sentence, summary
    hyundai, hyundai_n, kia, kia_n, ratio, gap = sentence.groups()
    assert (hyundai, kia) == (trillions(revenue["현대차"]), trillions(revenue["기아"]))
    assert cited_title(result, hyundai_n).startswith("현대차 2024년 3분기보고서")
    assert cited_title(result, kia_n).startswith("기아 2024년 3분기보고서")
    assert ratio == f"{revenue['현대차'] / revenue['기아']:.2f}"
    assert gap == trillions(revenue["현대차"] - revenue["기아"])
    # margins side by side, the higher first, the gap in %p from the recorded figures
    profit = section_text(result["markdown"], "수익성과 성장")
    margin = re.search(
        r"영업이익률은 기아 (\S+)% \[\d+\], 현대차 (\S+)% \[\d+\]로, 기아가 현대차보다 (\S+)%p 높습니다\.", profit
    )
    assert margin, profit
    margins = {c: income[c] / revenue[c] * 100 for c in ("현대차", "기아")}
    assert abs(float(margin.group(1)) - margins["기아"]) < 0.01
    assert abs(float(margin.group(2)) - margins["현대차"]) < 0.01
    assert abs(float(margin.group(3)) - (margins["기아"] - margins["현대차"])) <= 0.011
    # growth compared on the same period a year earlier (the recorded 2023 Q3 cumulative figures)
    prior = {c: recorded(c, 2024, "11014", "매출액", "frmtrm_add_amount") for c in ("현대차", "기아")}
    growth = {c: (revenue[c] - prior[c]) / prior[c] * 100 for c in ("현대차", "기아")}
    faster, slower = sorted(growth, key=lambda c: -growth[c])
    rates = re.search(
        rf"전년 동기 대비 매출액 증감률은 {faster} \+(\S+)% \[\d+\], {slower} \+(\S+)% \[\d+\]로, "
        rf"{faster}(?:가|이) {slower}보다 (\S+)%p 높습니다\.",
        profit,
    )
    assert rates, profit
    assert abs(float(rates.group(3)) - (growth[faster] - growth[slower])) <= 0.011
    # the companies' own sentences are not listed one after the other any more
    assert "현대차: " not in summary + profit and "기아: " not in summary + profit


async def test_the_comparing_sentences_pass_the_grounding_check(runner_for, llm: ScriptedLLM) -> None:
    """The comparison, written by the model, is accepted figure by figure (the cross-company
    multiple, difference and %p gaps are facts of both companies); a growth rate written in
    %p (a change of a percentage) is not."""
    revenue = {c: recorded(c, 2024, "11014", "매출액", "thstrm_add_amount") for c in ("현대차", "기아")}
    income = {c: recorded(c, 2024, "11014", "영업이익", "thstrm_add_amount") for c in ("현대차", "기아")}
    prior = {c: recorded(c, 2024, "11014", "매출액", "frmtrm_add_amount") for c in ("현대차", "기아")}
    margin = {c: income[c] / revenue[c] * 100 for c in revenue}
    growth = {c: (revenue[c] - prior[c]) / prior[c] * 100 for c in revenue}
    h, k = "[{현대차 2024년 3분기보고서}]", "[{기아 2024년 3분기보고서}]"
    llm.plant_wrong_number = "비교 요약"
    llm.planted_again = True  # the regeneration keeps them: the finding left is flagged
    llm.planted = (
        f"매출액은 현대차 {trillions(revenue['현대차'])} {h}, 기아 {trillions(revenue['기아'])} {k} 순이며, "
        f"현대차가 기아의 {revenue['현대차'] / revenue['기아']:.2f}배로 "
        f"{trillions(revenue['현대차'] - revenue['기아'])} 많습니다. "
        f"영업이익률은 기아 {margin['기아']:.2f}% {k}, 현대차 {margin['현대차']:.2f}% {h}로, "
        f"기아가 현대차보다 {margin['기아'] - margin['현대차']:.2f}%p 높습니다. "
        f"매출액 증감률은 기아 {growth['기아']:+.2f}% {k}, 현대차 {growth['현대차']:+.2f}% {h}로, "
        f"기아가 현대차보다 {abs(growth['기아'] - growth['현대차']):.2f}%p 높습니다. "
        f"기아의 매출액은 {growth['기아']:.2f}%p 늘었습니다 {k}."
    )
    result = completed(await peer_run(runner_for(), ["현대자동차", "기아"], "2024-12-30"))
    assert f"현대차가 기아의 {revenue['현대차'] / revenue['기아']:.2f}배로" in result["markdown"]
    flagged = [w for w in result["warnings"] if w["code"].startswith("number_") or w["code"] == "unverified_number"]
    assert [(w["code"], w["params"]["value"]) for w in flagged] == [("number_percent_unit", f"{growth['기아']:.2f}%p")]
    assert not any(w["code"] == "citation_corrected" for w in result["warnings"])
