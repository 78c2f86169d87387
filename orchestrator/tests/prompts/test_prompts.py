"""Prompts are product code: pin their placeholders, the grounding and citation rules, the data block format."""

import datetime as dt

import pytest

from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.prompts import (
    answer,
    answer_fixed,
    chart_spec,
    common,
    grade,
    json_repair,
    outline,
    paragraph,
    rewrite,
    section,
    verify,
)


def test_fill_rejects_missing_or_extra_values() -> None:
    with pytest.raises(KeyError):
        common.fill("{a} {b}", a="1")
    with pytest.raises(KeyError):
        common.fill("{a}", a="1", b="2")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            section.USER,
            {
                "report_title",
                "company",
                "section_title",
                "purpose",
                "instructions",
                "target_chars",
                "prompt",
                "data_block",
                "language",
            },
        ),
        (section.REGENERATE, {"findings", "previous"}),
        (
            outline.USER,
            {"prompt", "company", "length", "section_count", "required_sections", "catalog", "data_block", "language"},
        ),
        (paragraph.USER, {"prompt", "language", "data_block"}),
        (grade.USER, {"prompt", "data_block"}),
        (verify.USER, {"paragraph", "data_block"}),
        (rewrite.USER, {"instruction", "target", "text"}),
        (chart_spec.USER, {"prompt", "catalog", "profile", "language"}),
        (answer.USER, {"history", "company", "prompt", "language"}),
        (answer_fixed.USER, {"history", "company", "prompt", "data_block"}),
        (json_repair.REPAIR, {"problems", "schema"}),
    ],
)
def test_placeholders(template: str, expected: set[str]) -> None:
    assert common.placeholders(template) == expected


@pytest.mark.parametrize("system", [section.SYSTEM, paragraph.SYSTEM, answer.SYSTEM, answer_fixed.SYSTEM])
def test_writing_prompts_demand_data_only_numbers_and_citations(system: str) -> None:
    assert "<데이터> 블록에 있는 숫자와 날짜만" in system
    assert "[n]" in system
    assert "투자 권유" in system


def test_rewrite_and_chart_prompts_forbid_new_numbers_and_code() -> None:
    assert "숫자를 바꾸거나" in rewrite.SYSTEM and "[n]" in rewrite.SYSTEM
    assert "코드를 만들지" in chart_spec.SYSTEM and "<시리즈 목록>" in chart_spec.SYSTEM
    assert set(rewrite.MODES) == {"summarize", "expand", "polish", "formal", "translate_ko", "translate_en"}


def test_data_block_format() -> None:
    bundle = DataBundle(as_of=dt.date(2024, 12, 30))
    ds = bundle.add("price", "삼성전자 일별 주가", [], {"provider": "KRX", "as_of": "2024-12-30"})
    ds.lines.append("최근 종가(2024-12-30): 53,200원")
    block = bundle.block()
    assert block == "[1] 삼성전자 일별 주가 (출처: KRX, 기준일 2024-12-30)\n- 최근 종가(2024-12-30): 53,200원"
    messages = section.build(
        report_title="t",
        company="삼성전자(005930)",
        section_title="주가",
        purpose="p",
        target_chars=800,
        prompt="",
        data_block=block,
    )
    assert "<데이터>\n[1] 삼성전자 일별 주가" in messages[1].content and messages[1].content.endswith("</데이터>")
    assert section.build_regenerate(messages, "이전", "확인되지 않은 숫자: 1조원")[-1].content.startswith(
        "방금 쓴 섹션에서"
    )
    # the findings are not only magnitudes: the model is told to match sign, direction and unit too
    regenerate = section.build_regenerate(messages, "이전", "%와 %p를 혼동한 숫자: '10.62%'")[-1].content
    assert "증감 방향" in regenerate and "%와 %p" in regenerate and "조·억·만" in regenerate


def test_the_fixed_plan_answer_sees_only_the_fetched_data() -> None:
    messages = answer_fixed.build(prompt="주가는?", company="삼성전자(005930)", history="", data_block="[1] 주가")
    assert "이미 가져와" in messages[0].content and "도구" not in messages[0].content
    assert messages[1].content.endswith("<데이터>\n[1] 주가\n</데이터>")
    assert "(가져온 데이터 없음)" in answer_fixed.build(prompt="q", company="", history="", data_block="")[1].content


def test_the_json_repair_shows_the_answer_the_findings_and_the_schema() -> None:
    original = section.build(
        report_title="t", company="c", section_title="s", purpose="p", target_chars=300, prompt="", data_block=""
    )
    repaired = json_repair.build(original, "x" * 5000, ["sections: Field required"], {"title": "Outline"})
    assert repaired[: len(original)] == original
    assert repaired[-2].type == "ai" and len(repaired[-2].content) == json_repair.MAX_ECHO_CHARS
    assert "- sections: Field required" in repaired[-1].content
    assert repaired[-1].content.endswith('{"title":"Outline"}')
