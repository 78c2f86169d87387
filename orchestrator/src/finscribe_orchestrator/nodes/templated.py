"""Draft: the outline of a report template (`RunRequest.template`, resolved by the gateway)."""

from typing import TYPE_CHECKING, Any

from finscribe_common.contract.templates import ReportTemplate

if TYPE_CHECKING:
    from finscribe_orchestrator.context import Scope


def template_plan(ctx: "Scope", template: ReportTemplate) -> dict[str, Any]:
    """`{title, sections: [{title, purpose, instructions, data}]}` in the run's language; a
    section without `data` uses all the run's data."""
    english = ctx.language == "en"
    company = ctx.bundle.company.name if ctx.bundle.company else ""
    everything = sorted(ctx.bundle.datasets)
    sections = []
    for section in template.sections:
        title = section.title_en if english and section.title_en else section.title
        # a user's template may be written in one language only: its own words then
        purpose = section.purpose_en if english and section.purpose_en else section.purpose
        instructions = section.instructions_en if english and section.instructions_en else section.instructions
        sections.append(
            {
                "title": title,
                "purpose": purpose or title,
                "instructions": instructions,
                "data": list(section.data) if section.data is not None else everything,
            }
        )
    return {"title": template.report_title(company, "en" if english else "ko"), "sections": sections}
