"""Report templates are data: the built-ins load and validate; bad templates are refused."""

import pytest
from pydantic import ValidationError

from finscribe_common.contract.runs import run_create_adapter
from finscribe_common.contract.templates import TemplateBody, builtin_templates


def test_the_four_builtin_templates_load_valid() -> None:
    templates = builtin_templates()
    assert list(templates) == ["company_analysis", "earnings_review", "investment_memo", "peer_comparison"]
    assert all(t.builtin and t.sections for t in templates.values())
    assert templates["earnings_review"].figures_first and templates["peer_comparison"].min_companies == 2
    assert templates["investment_memo"].report_title("삼성전자") == "삼성전자 투자 메모"
    assert templates["investment_memo"].report_title("Samsung", "en") == "Samsung investment memo"


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "x", "title": "t", "sections": []},
        {"name": "x", "title": "t", "sections": [{"title": "a"}] * 13},
        {"name": "x", "title": "t", "sections": [{"title": "a", "data": ["salaries"]}]},
        {"name": "x", "title": "{__class__}", "sections": [{"title": "a"}]},
        {"name": "x", "title": "t", "sections": [{"title": "a", "code": "print(1)"}]},
        {"name": "", "title": "t", "sections": [{"title": "a"}]},
    ],
)
def test_a_bad_template_is_refused(bad) -> None:
    with pytest.raises(ValidationError):
        TemplateBody.model_validate(bad)


def test_a_draft_takes_a_template_or_sections_not_both() -> None:
    ok = run_create_adapter.validate_python(
        {"kind": "draft", "options": {"company": "기아", "template": "u_" + "a" * 32}}
    )
    assert ok.options.template == "u_" + "a" * 32  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        run_create_adapter.validate_python(
            {"kind": "draft", "options": {"company": "기아", "template": "investment_memo", "sections": ["a"]}}
        )
    with pytest.raises(ValidationError):
        run_create_adapter.validate_python({"kind": "draft", "options": {"company": "기아", "template": "../x"}})
