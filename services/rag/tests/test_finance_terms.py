"""Query expansion: a ratio named in a question brings the statement line items it is
computed from (textbook definitions), in English and Korean; other questions are unchanged."""

import pytest

from finscribe_rag.finance_terms import CONCEPTS, expand, expansion


@pytest.mark.parametrize(
    ("question", "line_item"),
    [
        ("Is 3M a capital-intensive business based on FY2022 data?", "purchases of property, plant and equipment"),
        ("Did Pfizer grow its PPNE between FY20 and FY21?", "property, plant and equipment"),
        ("Has AMCOR's quick ratio improved?", "total current liabilities"),
        ("삼성전자의 유동비율은?", "유동부채"),
        ("What is the FY2022 unadjusted EBITDA % margin?", "depreciation and amortization"),
        ("MGM's interest coverage ratio", "interest expense"),
        ("How much has the effective tax rate changed?", "provision for income taxes"),
        ("inventory turnover ratio for FY2022", "inventories"),
        ("Does Boeing have an improving gross margin profile?", "cost of sales"),
        ("영업이익률 추이", "영업이익"),
    ],
)
def test_a_ratio_brings_its_line_items(question: str, line_item: str) -> None:
    assert line_item in expansion(question)
    expanded = expand(question)
    assert expanded.startswith(question + "\n")  # the question's own words stay first


def test_other_questions_are_unchanged() -> None:
    for question in ("Who are the primary customers of Boeing?", "리스크 관리 방법", "Which segment grew?"):
        assert expansion(question) == ""
        assert expand(question) == question
    assert expand("quick ratio", enabled=False) == "quick ratio"


def test_every_concept_is_bilingual_or_english_only_by_design() -> None:
    # the structure the service relies on: a compiled pattern and non-empty line items
    assert len(CONCEPTS) >= 15
    for pattern, terms in CONCEPTS:
        assert pattern.pattern and terms.strip()
        assert not pattern.search("")  # never matches every question


@pytest.mark.parametrize(
    "question",
    [
        # a FinanceBench question (bench/data/financebench): the answer is the 10-K's cover page
        "Which debt securities are registered to trade on a national securities exchange under "
        "American Express' name as of 2022?",
        "What is the fair value of available-for-sale debt securities?",
        "How did the allowance for bad debt change?",
    ],
)
def test_debt_securities_and_bad_debt_are_not_leverage(question: str) -> None:
    assert "borrowings" not in expansion(question)


@pytest.mark.parametrize(
    "question",
    [
        "Did the company designate interest rate swaps as cash flow hedges?",
        "What discount rate was used in the discounted cash flow analysis of goodwill?",
        "현금흐름위험회피 회계를 적용하나?",
        "How much cash was paid under repurchase agreements?",
    ],
)
def test_hedges_valuations_and_repos_are_not_statements(question: str) -> None:
    assert expansion(question) == ""


def test_the_concepts_those_words_name_still_expand() -> None:
    assert "borrowings" in expansion("What is the company's total debt?")
    assert "borrowings" in expansion("Which debt matures in 2025?")
    assert "statements of cash flows" in expansion("What was the operating cash flow in FY2022?")
    assert "현금흐름표" in expansion("현금흐름표의 영업활동 현금흐름")
    assert "treasury stock" in expansion("How much stock did the company repurchase in 2022?")


@pytest.mark.parametrize(
    ("question", "line_item"),
    [
        ("삼성전자의 ROE는?", "자본총계"),
        ("ROA가 개선되었나?", "자산총계"),
        ("EBIT은 얼마인가?", "interest expense"),
        ("capex는 얼마였나?", "유형자산의 취득"),
        ("PP&E는 얼마나 늘었나?", "유형자산"),
        ("FCF가 증가했나?", "영업활동현금흐름"),
    ],
)
def test_an_acronym_followed_by_a_korean_particle_expands(question: str, line_item: str) -> None:
    assert line_item in expansion(question)
