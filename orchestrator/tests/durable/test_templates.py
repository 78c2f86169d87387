"""Each report template produces its sections (real data services on the recorded upstreams,
the scripted LLM): titles and order from the template, the model's outline not asked for,
the figures table first where the template says so, English titles in English."""

from typing import Any

import pytest

from finscribe_common.contract.templates import builtin_templates
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, completed


def _headings(result: dict[str, Any]) -> list[str]:
    return [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2]


@pytest.mark.parametrize("template_id", ["company_analysis", "earnings_review", "investment_memo"])
async def test_each_template_produces_its_sections(runner_for, llm: ScriptedLLM, template_id: str) -> None:
    template = builtin_templates()[template_id]
    runner = runner_for()
    options = {"company": "삼성전자", "length": "short", "as_of": AS_OF, "template": template_id}
    body = {**runner.body("draft", "삼성전자", options=options), "template": template.model_dump(mode="json")}
    result = completed(await runner.post(body))
    titles = [s.title for s in template.sections]
    headings = _headings(result)
    assert result["title"] == template.report_title("삼성전자")
    assert "outline" not in llm.calls  # the template is the outline
    assert sorted(llm.section_titles) == sorted(titles)
    if template.wants_quarters():  # the earnings review: the quarter comparison first, key figures after
        assert headings[0] == "분기 실적" and headings[1 : 1 + len(titles)] == titles
        assert headings.index("주요 지표") > len(titles)
    elif template.figures_first:
        assert headings[0] == "주요 지표" and headings[1 : 1 + len(titles)] == titles
    else:
        assert headings[: len(titles)] == titles and headings.index("주요 지표") > len(titles) - 1
    # instructions reach their section's writer
    for section in template.sections:
        if section.instructions:
            prompt = next(p for p in llm.section_prompts if f"이 섹션: {section.title}\n" in p)
            assert f"사용자 지시: {section.instructions}" in prompt


async def test_a_template_in_english_uses_its_english_titles(runner_for, llm: ScriptedLLM) -> None:
    template = builtin_templates()["investment_memo"]
    runner = runner_for()
    options = {
        "company": "삼성전자",
        "length": "short",
        "as_of": AS_OF,
        "template": "investment_memo",
        "language": "en",
    }
    body = {**runner.body("draft", "memo", options=options), "template": template.model_dump(mode="json")}
    result = completed(await runner.post(body))
    assert _headings(result)[:3] == ["Thesis", "Risks", "Valuation and price"]
    assert result["title"] == "삼성전자 investment memo"


def test_the_data_keys_templates_may_name_are_the_keys_the_orchestrator_gathers() -> None:
    from finscribe_common.contract.templates import DATA_KEYS
    from finscribe_orchestrator.data.gather import READING_ORDER
    from finscribe_orchestrator.nodes.outline import TEMPLATE_SECTIONS

    gathered = set(READING_ORDER) | {key for _, _, keys in TEMPLATE_SECTIONS for key in keys}
    assert gathered == DATA_KEYS
