"""Draft: write one section (run in parallel through `Send`), streamed, grounded, regenerated once if needed."""

import asyncio
from typing import Any

from langgraph.runtime import Runtime

from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.grounding.check import (
    GroundingReport,
    add_citations,
    check_text,
    citation_list,
    correct_citations,
    drop_unknown_citations,
)
from finscribe_orchestrator.labels import label
from finscribe_orchestrator.llm.client import LLMError, LLMUnavailable
from finscribe_orchestrator.messages import say
from finscribe_orchestrator.nodes.demo_gaps import PRICE_KEYS, no_prices_text
from finscribe_orchestrator.nodes.outline import TEMPLATE_SECTIONS, section_title
from finscribe_orchestrator.nodes.peers import COMPARED_KEYS, peer_comparison_text
from finscribe_orchestrator.prompts import section as section_prompt
from finscribe_orchestrator.states import DraftState, SectionTask


def section_keys(ctx: Scope, wanted: list[str]) -> list[str] | None:
    keys = set(ctx.bundle.datasets)
    # a peer comparison's datasets are `key@ticker`: a section wanting `price` reads every company's
    chosen = {k for k in keys if k in wanted or k.split("@", 1)[0] in wanted}
    if "pdf" in wanted:
        chosen |= {k for k in keys if k.startswith("pdf:")}
    return sorted(chosen) if chosen else None


def templated_section(ctx: Scope, keys: list[str] | None) -> str:
    """Sentences in the run's language generated from the data itself (every figure and [n] comes from a summary)."""
    lines = templated_lines(ctx, keys)
    return "\n\n".join(lines) if lines else label(ctx.language, "no_section_data")


def templated_lines(ctx: Scope, keys: list[str] | None) -> list[str]:
    """The paragraphs of `templated_section`: the datasets' sentences, then up to three PDF excerpts."""
    datasets = [d for k, d in ctx.bundle.datasets.items() if keys is None or k in keys]
    # dict.fromkeys: peers sharing a source (the same index) would repeat its sentence
    sentences = list(dict.fromkeys(s for d in sorted(datasets, key=lambda d: d.n) for s in d.sentences))
    pdf = [d for d in datasets if d.key.startswith("pdf:")]
    lines = [" ".join(sentences)] if sentences else []
    for dataset in pdf[:3]:
        excerpt = " ".join(str(dataset.data[0].get("text", "")).split())[:300]
        lines.append(f"> {excerpt} [{dataset.n}]")
    return lines


def template_keys(ctx: Scope, title: str) -> list[str] | None:
    """The data of the template section with this title (so fallback sections do not all repeat everything)."""
    for name, _, wanted in TEMPLATE_SECTIONS:
        if title in (name, section_title("en", name)):
            return section_keys(ctx, wanted)
    return None


def data_only_section(ctx: Scope, section: dict[str, Any], keys: list[str] | None) -> str:
    """The data-only writer's text of one section: the sentences of the data it asked for.

    A section that named data the run does not have (a peer comparison's share-price section
    without prices) says so; it used to fall back to every dataset and repeat the other
    sections' sentences under its own title. A peer comparison's sections on scale and
    profitability compare the companies (data/peer_compare.py) instead of listing each."""
    keys = keys or template_keys(ctx, section["title"])
    wanted = section.get("data") or []
    if keys is None and wanted:
        peers = ctx.bundle.peers
        if ctx.settings.demo and peers and set(wanted) <= set(PRICE_KEYS):
            return no_prices_text(ctx.language, ", ".join(p.company.name for p in peers))
        return label(ctx.language, "no_section_data")
    compared = peer_comparison_text(ctx, wanted) if ctx.bundle.peers else ""
    if compared:
        # the comparison replaces each company's own sentences on the figures it compares
        rest = [k for k in keys or [] if k.split("@", 1)[0] not in COMPARED_KEYS]
        return "\n\n".join([compared, *(templated_lines(ctx, rest) if rest else [])])
    return templated_section(ctx, keys)


async def _write_with_llm(ctx: Scope, section: dict[str, Any], keys: list[str] | None) -> str:
    sid = section["section_id"]
    messages = section_prompt.build(
        report_title=section.get("report_title", ""),
        company=ctx.bundle.company.label if ctx.bundle.company else "(미확인)",
        section_title=section["title"],
        purpose=section.get("purpose", ""),
        target_chars=int(section.get("target_chars", 1000)),
        prompt=ctx.request.prompt,
        data_block=ctx.bundle.block(keys),
        language=getattr(ctx.options, "language", "ko"),
        instructions=str(section.get("instructions") or ""),
    )

    def on_delta(text: str) -> None:
        ctx.sink.emit("section.delta", section_id=sid, text=text)

    text = await ctx.llm.stream("section", messages, on_delta)
    report = ground(ctx, text)
    if report.ok:
        return add_citations(text, report.citation_fixes)
    # one regeneration with the findings; whatever still fails is flagged, not hidden
    ctx.sink.step(f"verify:{sid}", "started", None, say("step_findings", findings=report.describe(ctx.language)))
    try:
        retry = await ctx.llm.text("section", section_prompt.build_regenerate(messages, text, report.describe()))
    except (LLMUnavailable, LLMError):
        retry = ""
    if retry:
        retry_report = ground(ctx, retry)
        if retry_report.problems() <= report.problems():
            text, report = retry, retry_report
    described = report.describe(ctx.language)
    ctx.sink.step(
        f"verify:{sid}", "done", None, say("step_findings", findings=described) if described else say("step_verified")
    )
    return flag(ctx, text, report, section["title"])


def ground(ctx: Scope, text: str) -> GroundingReport:
    return check_text(text, ctx.bundle.facts, ctx.bundle.sources.known, ctx.bundle.source_number)


# warning code (and message key, messages.py) for what is still wrong after the one regeneration
FLAGS = {
    "unsupported": "unverified_number",
    "wrong_sign": "number_wrong_sign",
    "wrong_direction": "number_wrong_direction",
    "percent_unit": "number_percent_unit",
    "wrong_unit": "number_wrong_unit",
}


def flag(ctx: Scope, text: str, report: GroundingReport, where: str) -> str:
    """Warn about every finding left, fix the citations that can be fixed, drop unknown `[n]`."""
    for finding in report.findings:
        raw = finding.mention.raw
        # `detail`, what the data says instead, is a nested message: the panel says it in its language
        detail: dict[str, Any] = {"detail": finding.detail} if finding.detail is not None else {}
        if finding.verdict == "wrong_citation":
            ctx.warn("citation_corrected", section=where, value=raw, cite=finding.cite, **detail)
            continue
        ctx.warn(FLAGS[finding.verdict], section=where, value=raw, **detail)
    text = correct_citations(text, report.findings)
    if report.citation_fixes:
        text = add_citations(text, check_text(text, ctx.bundle.facts, None, ctx.bundle.source_number).citation_fixes)
    if report.unknown_citations:
        # `numbers` as the text writes them, '[3], [4]': the panel shows a list param joined by ', ' and
        # the server's sentence would show a Python list; `citations` keeps the numbers themselves
        ctx.warn(
            "unknown_citation",
            section=where,
            numbers=citation_list(report.unknown_citations),
            citations=report.unknown_citations,
        )
        text = drop_unknown_citations(text, report.unknown_citations)
    return text


async def write_section(state: SectionTask, runtime: Runtime[Context]) -> DraftState:
    ctx = Scope.of(runtime)
    section = state["section"]
    sid = section["section_id"]
    keys = section_keys(ctx, section.get("data") or [])
    total = max(1, int(section.get("total", 1)))
    async with ctx.step(f"section:{sid}", detail=say("step_section", title=section["title"])) as info:
        mode = "llm"
        markdown = ""
        if section.get("demo_no_prices") and ctx.bundle.company is not None:
            mode = "template"  # nothing for an LLM to write from; say so in fixed words
            markdown = no_prices_text(ctx.language, ctx.bundle.company.name)
        elif ctx.llm_available:
            try:
                markdown = await asyncio.wait_for(
                    _write_with_llm(ctx, section, keys), timeout=ctx.settings.section_timeout_s
                )
            except LLMUnavailable as exc:
                ctx.llm_down(str(exc))
            except (LLMError, TimeoutError) as exc:
                reason = (
                    say("reason_timeout") if isinstance(exc, TimeoutError) else say("reason_llm_error", error=str(exc))
                )
                ctx.warn("section_fallback", section=section["title"], reason=reason)
        if not markdown.strip():
            mode = "template"
            markdown = data_only_section(ctx, section, keys)
        ctx.sink.emit("section.done", section_id=sid, title=section["title"], markdown=markdown)
        info["progress"] = 0.35 + 0.5 * ctx.sink.finished("sections") / total
        info["detail"] = say("step_section", title=section["title"])
    return {
        "sections": [
            {
                "index": section["index"],
                "section_id": sid,
                "title": section["title"],
                "markdown": markdown,
                "mode": mode,
            }
        ],
        **ctx.recorded(),
    }
