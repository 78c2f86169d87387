"""Draft: the outline of a report template (`RunRequest.template`, resolved by the gateway)."""

from typing import TYPE_CHECKING, Any

from finscribe_common.contract.templates import ReportTemplate

if TYPE_CHECKING:
    from finscribe_orchestrator.context import Scope


def template_plan(ctx: "Scope", template: ReportTemplate) -> dict[str, Any]:
    """`{title, sections: [{title, purpose, instructions, data}]}` in the run's language; a
    section without `data` uses all the run's data."""
    english = getattr(ctx.options, "language", "ko") == "en"
    company = ctx.bundle.company.name if ctx.bundle.company else ""
    everything = sorted(ctx.bundle.datasets)
    sections = []
    for section in template.sections:
        title = section.title_en if english and section.title_en else section.title
        sections.append(
            {
                "title": title,
                "purpose": section.purpose or title,
                "instructions": section.instructions,
                "data": list(section.data) if section.data is not None else everything,
            }
        )
    return {"title": template.report_title(company, "en" if english else "ko"), "sections": sections}
