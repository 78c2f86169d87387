"""Draft: the outline of a report template (`RunRequest.template`, resolved by the gateway)."""

from functools import cache
from typing import TYPE_CHECKING, Any

from finscribe_common.contract.templates import ReportTemplate, builtin_templates

if TYPE_CHECKING:
    from finscribe_orchestrator.context import Scope


@cache
def _our_titles() -> dict[str, dict[str, str]]:
    """The built-in templates' report and section titles, each to its other language:
    `{"en": {ko: en}, "ko": {en: ko}}` (the first template that uses a title wins)."""
    pairs: list[tuple[str, str]] = []
    for template in builtin_templates().values():
        if template.title_en:
            pairs.append((template.title, template.title_en))
        pairs += [(s.title, s.title_en) for s in template.sections if s.title_en]
    english: dict[str, str] = {}
    korean: dict[str, str] = {}
    for ko, en in pairs:
        english.setdefault(ko, en)
        korean.setdefault(en, ko)
    return {"en": english, "ko": korean}


def own_words(text: str, language: str) -> str:
    """A saved template's title in a run's language. A user's template is written in the user's
    words and they are used as written in either language, except a title the user kept from a
    built-in template (an edited outline saved as a template): that one is ours, in the run's
    language ('주가 동향' in an English run is 'Share price')."""
    return _our_titles()["en" if language == "en" else "ko"].get(text, text)


def template_plan(ctx: "Scope", template: ReportTemplate) -> dict[str, Any]:
    """`{title, sections: [{title, purpose, instructions, data}]}` in the run's language; a
    section without `data` uses all the run's data. A saved template's words without their
    English (`title_en`, ...) are the user's, kept as written (`own_words`)."""
    english = ctx.language == "en"
    language = "en" if english else "ko"
    company = ctx.bundle.company.name if ctx.bundle.company else ""
    everything = sorted(ctx.bundle.datasets)
    sections = []
    for section in template.sections:
        title = section.title_en if english and section.title_en else own_words(section.title, language)
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
    pattern = template.title_en if english and template.title_en else own_words(template.title, language)
    return {"title": pattern.replace("{company}", company).strip(), "sections": sections}
