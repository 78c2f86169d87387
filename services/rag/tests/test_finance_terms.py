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
