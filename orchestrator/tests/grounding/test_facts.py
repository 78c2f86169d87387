"""What counts as a fetched fact: numbers, numeric strings, dates (ISO and DART's YYYYMMDD), derived ratios."""

from finscribe_orchestrator.grounding.facts import FactIndex


def test_payload_walk_collects_numbers_strings_and_dates() -> None:
    facts = FactIndex()
    facts.add_payload({"a": [1, 2.5, "3,000", "-"], "d": "2024-06-28", "rcept_dt": "20240814", "flag": True})
    assert facts.has_number_near(3000, 0) and facts.has_number_near(2.5, 0)
    assert not facts.has_number_near(1.0, 0.0) or facts.has_number_near(1, 0)
    assert "2024-06-28" in facts.dates and "2024-08-14" in facts.dates and "2024" in facts.years


def test_pairwise_ratios_cover_margins() -> None:
    facts = FactIndex()
    facts.add_pairwise([17_049_887_000_000, 145_983_903_000_000])  # real h1 2024 operating income, revenue
    assert facts.has_number_near(11.68, 0.01)  # operating margin in percent


def test_text_facts_from_a_passage() -> None:
    facts = FactIndex()
    facts.add_text("2023년 12월 31일 기준 파라미터 70억 개, 정확도 83.4%")
    assert facts.has_number_near(83.4, 0) and facts.has_number_near(7e9, 0) and "2023-12-31" in facts.dates
