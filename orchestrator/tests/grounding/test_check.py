"""Grounding against facts built from the real DART half-year statement of Samsung Electronics."""

import csv

import pytest

from finscribe_orchestrator.grounding.check import check_text, citation_numbers, drop_unknown_citations
from finscribe_orchestrator.grounding.facts import FactIndex
from finscribe_testkit.common.fixtures import fixture_path


@pytest.fixture(scope="module")
def dart_facts() -> FactIndex:
    """Every amount of the real fnlttSinglAcntAll answer (2024 h1, consolidated), as the dart service gives them."""
    facts = FactIndex()
    with fixture_path("dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    facts.add_payload([{k: v for k, v in row.items() if k.endswith("amount")} for row in rows])
    facts.add_date("2024-08-14")
    return facts


def test_real_total_assets_in_every_display_form(dart_facts: FactIndex) -> None:
    # 자산총계 485,757,698,000,000 KRW (the fixture's known fact)
    for text in ("485조 7,577억원", "485.8조원", "485.7조원", "약 490조원", "485,757,698,000,000원", "486조원"):
        report = check_text(f"자산총계는 {text}이다.", dart_facts)
        assert report.ok, (text, report.describe())


@pytest.mark.parametrize("wrong", ["480조원", "495.7조원", "485조 8,577억원", "약 520조원"])
def test_wrong_amounts_are_unsupported(dart_facts: FactIndex, wrong: str) -> None:
    report = check_text(f"자산총계는 {wrong}이다.", dart_facts)
    assert [m.raw for m in report.unsupported] == [wrong]


def test_percent_matches_fractions_and_dates_match_exactly(dart_facts: FactIndex) -> None:
    facts = FactIndex()
    facts.add_number(0.1168)
    facts.add_date("2024-08-14")
    assert check_text("영업이익률 11.68%, 공시일 2024년 8월 14일", facts).ok
    report = check_text("공시일 2024년 8월 15일", facts)
    assert [m.date for m in report.unsupported] == ["2024-08-15"]
    assert check_text("2024년 상반기", facts).ok
    assert not check_text("2019년", facts).ok


def test_unknown_citations_are_reported_and_removed() -> None:
    facts = FactIndex()
    report = check_text("문장 [1]. 다른 문장 [2, 7].", facts, known_citation=lambda n: n <= 2)
    assert report.unknown_citations == [7]
    assert citation_numbers("a [1] b [2, 7]") == [1, 2, 7]
    assert drop_unknown_citations("다른 문장 [2, 7]. 끝 [7]", [7]) == "다른 문장 [2]. 끝"


def _unit_finding(text: str, facts: FactIndex) -> tuple[str, str]:
    [finding] = check_text(text, facts).findings
    assert finding.verdict == "wrong_unit" and finding.detail is not None
    return finding.detail.render("ko"), finding.detail.render("en")


def test_a_unit_slip_is_matched_to_the_intended_figure_not_a_tiny_unrelated_one() -> None:
    # 26.7 trillion written as 'KRW 26.7 billion' (billion for trillion, x1e3); 267 (a price, a
    # count) is also 'the same digits', x1e-8, and a fixed order of factors tried that first
    facts = FactIndex()
    facts.add_number(26.7e12)
    facts.add_number(267)
    assert "KRW 26.7 trillion" in _unit_finding("Revenue was KRW 26.7 billion.", facts)[1]
    # Korean: 16조 5,960억 written as 16억 5,960만 (만 for 억, x1e4), not 1.6596조 (x1e3: 만 x1e3 is no unit)
    facts = FactIndex()
    facts.add_number(16_596e9)
    facts.add_number(1_659.6e9)
    assert "16.6조원" in _unit_finding("당기순이익은 16억 5,960만원입니다.", facts)[0]


def test_a_wrong_citation_names_the_cited_sources_as_the_text_does() -> None:
    facts = FactIndex()
    facts.add_number(53_200, source="price")
    report = check_text("종가는 53,200원입니다 [3, 4].", facts, lambda n: True, {"price": 1}.get)
    [finding] = report.findings
    assert finding.detail is not None
    assert finding.detail.render("en") == "it is not in the cited [3], [4] but in [1]"
