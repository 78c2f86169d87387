"""What counts as a fetched fact: numbers, numeric strings, dates (ISO and DART's YYYYMMDD), derived ratios."""

from finscribe_orchestrator.grounding.facts import FactIndex


def test_payload_walk_collects_numbers_strings_and_dates() -> None:
    facts = FactIndex()
    facts.add_payload({"a": [1, 2.5, "3,000", "-"], "d": "2024-06-28", "rcept_dt": "20240814", "flag": True})
    assert facts.has_number_near(3000, 0) and facts.has_number_near(2.5, 0)
    assert facts.has_number_near(1, 0)
    assert "2024-06-28" in facts.dates and "2024-08-14" in facts.dates and "2024" in facts.years


def test_a_boolean_is_not_a_number() -> None:
    # JSON flags (`"consolidated": true`) would otherwise "support" every 1 a sentence writes
    facts = FactIndex()
    facts.add_payload({"flag": True, "other": False, "none": None, "dash": "-"})
    assert not facts.has_number_near(1, 0.5) and not facts.has_number_near(0, 0.5)


def test_pairwise_ratios_cover_margins() -> None:
    facts = FactIndex()
    facts.add_pairwise([17_049_887_000_000, 145_983_903_000_000])  # real h1 2024 operating income, revenue
    assert facts.has_number_near(11.68, 0.01)  # operating margin in percent


def test_text_facts_from_a_passage() -> None:
    facts = FactIndex()
    facts.add_text("2023년 12월 31일 기준 파라미터 70억 개, 정확도 83.4%")
    assert facts.has_number_near(83.4, 0) and facts.has_number_near(7e9, 0) and "2023-12-31" in facts.dates


def test_a_passage_written_in_korean_units_supports_the_same_figure_written_otherwise() -> None:
    from finscribe_orchestrator.grounding.check import check_text

    facts = FactIndex()
    facts.add_text("반기순이익은 16조 5천9백6십억원, 영업이익은 전년 대비 3천억원 감소했다.", source="pdf:a:1")
    report = check_text("반기순이익은 16조 5,960억원입니다 [1].", facts, None, {"pdf:a:1": 1}.get)
    assert report.ok and not report.citation_fixes
    # the passage says the figure fell: a sentence saying it rose is caught
    wrong = check_text("영업이익은 3,000억원 증가했습니다 [1].", facts, None, {"pdf:a:1": 1}.get)
    assert [f.verdict for f in wrong.findings] == ["wrong_direction"]


def test_facts_keep_their_sign_and_source() -> None:
    facts = FactIndex()
    facts.add_payload({"operating_income": -7_730_313_000_000, "revenue": "32,765,719,000,000"}, source="metrics")
    with facts.attributed("price"):
        facts.add_number(-31.72)
        facts.add_number(10.62, kind="pp")
    [loss] = facts.near(7.73e12, 7.74e12)
    assert loss.value == -7_730_313_000_000 and loss.source == "metrics"
    assert facts.near(32.7e12, 32.8e12)[0].source == "metrics"
    assert [(f.value, f.kind, f.source) for f in facts.near(10, 40)] == [
        (10.62, "pp", "price"),
        (-31.72, "value", "price"),
    ]
