"""Draft: the outline (structured output), or a data-only outline when no LLM can answer."""

from typing import Any

from langgraph.runtime import Runtime

from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.labels import label
from finscribe_orchestrator.llm.client import LLMError, LLMUnavailable
from finscribe_orchestrator.messages import Say, say
from finscribe_orchestrator.nodes.demo_gaps import with_price_gap
from finscribe_orchestrator.nodes.templated import template_plan
from finscribe_orchestrator.prompts import outline as outline_prompt
from finscribe_orchestrator.schemas import DraftOptions
from finscribe_orchestrator.states import DraftState

SECTION_COUNT = {"short": 3, "standard": 5, "long": 8}
TOTAL_CHARS = {"short": 3000, "standard": 7500, "long": 15000}  # ~1,500 Korean characters to a page

# data-only sections: (title, purpose, dataset keys); a section with none of its data is left out
TEMPLATE_SECTIONS: list[tuple[str, str, list[str]]] = [
    ("개요", "회사 개황(DART 기업개황)과 규모(시가총액)", ["profile", "market_cap", "quote"]),
    ("주가 동향", "기간 주가 흐름과 지수 대비 성과", ["price", "index"]),
    ("밸류에이션", "투자지표", ["fundamentals"]),
    ("실적 및 재무", "최근 보고서의 실적과 재무 상태", ["metrics_interim", "metrics_annual"]),
    ("최근 공시", "최근 주요 공시", ["filings"]),
    ("거시 환경", "환율", ["fx"]),
    ("참고 문서", "업로드한 문서의 관련 내용", ["pdf"]),
]
# the same sections' titles in an English document
ENGLISH_TITLES = {
    "개요": "Overview",
    "주가 동향": "Share price",
    "밸류에이션": "Valuation",
    "실적 및 재무": "Results and financial position",
    "최근 공시": "Recent filings",
    "거시 환경": "Macro environment",
    "참고 문서": "Reference documents",
    "요약": "Summary",
}


def section_title(language: str, title: str) -> str:
    """A data-only section's title in the run's language."""
    return ENGLISH_TITLES.get(title, title) if language == "en" else title


def template_outline(ctx: Scope, titles: list[str] | None) -> dict[str, Any]:
    keys = set(ctx.bundle.datasets)

    def available(wanted: str) -> bool:
        return wanted in keys or (wanted == "pdf" and any(k.startswith("pdf:") for k in keys))

    if titles:
        sections = [{"title": t, "purpose": t, "data": sorted(keys)} for t in titles]
    else:
        sections = [
            {"title": section_title(ctx.language, t), "purpose": p, "data": d}
            for t, p, d in TEMPLATE_SECTIONS
            if any(map(available, d))
        ]
    if not sections:
        sections = [
            {"title": section_title(ctx.language, "요약"), "purpose": "가져온 데이터 요약", "data": sorted(keys)}
        ]
    return {"title": _default_title(ctx), "sections": sections}


def _default_title(ctx: Scope) -> str:
    company = ctx.bundle.company
    language = ctx.language
    return label(language, "report", company=company.name) if company else label(language, "report_untitled")


async def outline(state: DraftState, runtime: Runtime[Context]) -> DraftState:
    ctx = Scope.of(runtime)
    options = ctx.options
    assert isinstance(options, DraftOptions)
    count = len(options.sections) if options.sections else SECTION_COUNT[options.length]
    template = getattr(ctx.request, "template", None)
    async with ctx.step("outline", start=0.3, end=0.35) as info:
        if template is not None:  # the user's chosen structure: no model outline
            plan = template_plan(ctx, template)
        elif not ctx.llm_available:
            plan = template_outline(ctx, options.sections)
            info["status"] = "skipped"
        else:
            messages = outline_prompt.build(
                prompt=ctx.request.prompt,
                company=ctx.bundle.company.label if ctx.bundle.company else "(미확인)",
                length=options.length,
                section_count=count,
                required_sections=options.sections,
                catalog=ctx.bundle.catalog(),
                data_block=ctx.bundle.block(),
                language=str(options.language),
            )
            reason: Say | str = ""  # a sentence of messages.py: the panel says it in its own language
            try:
                parsed = await ctx.llm.structured("outline", messages, outline_prompt.Outline)
                if parsed is None:
                    found = "; ".join(ctx.llm.last_structured_problems.get("outline", []))[:300]
                    reason = say("reason_outline_json", found=found)
            except LLMUnavailable as exc:
                ctx.llm_down(str(exc))  # the router says no model can answer at all
                parsed = None
            except LLMError as exc:
                reason = say("reason_llm_error", error=str(exc))
                parsed = None
            if parsed is None:
                if ctx.llm_available:
                    # only this step falls back: the sections are still written by the LLM
                    ctx.warn("outline_fallback", reason=reason, step="outline")
                    info["fallback"] = True
                plan = template_outline(ctx, options.sections)
            else:
                plan = parsed.model_dump()
                if options.sections:  # the user's section titles win over the model's
                    plan["sections"] = [
                        {
                            **(plan["sections"][i] if i < len(plan["sections"]) else {"purpose": t, "data": []}),
                            "title": t,
                        }
                        for i, t in enumerate(options.sections)
                    ]
                plan["sections"] = plan["sections"][: max(count, 1)]
        fallback = info.pop("fallback", False)
        info["detail"] = say("step_sections_fallback" if fallback else "step_sections", count=len(plan["sections"]))
    if template is None:  # the user's own structure stays as chosen
        plan["sections"] = with_price_gap(ctx, plan["sections"])
    per_section = max(300, TOTAL_CHARS[options.length] // max(1, len(plan["sections"])))
    sections = [
        {"index": i, "section_id": f"s{i + 1}", "target_chars": per_section, **section}
        for i, section in enumerate(plan["sections"])
    ]
    return {"title": plan["title"] or _default_title(ctx), "outline": sections, **ctx.recorded()}
