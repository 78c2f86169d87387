"""paragraph: corrective RAG. Retrieve from the session's PDFs, grade, re-query (bounded) or fall back
to the data services, write, verify every claim against what was retrieved, revise once."""

from typing import Literal

from langgraph.runtime import Runtime

from finscribe_orchestrator.clients.base import ServiceCallError
from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.data.company import resolve_company
from finscribe_orchestrator.data.gather import add_pdf_hits, gather_company
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.labels import label
from finscribe_orchestrator.llm.client import LLMError, LLMUnavailable
from finscribe_orchestrator.messages import say
from finscribe_orchestrator.nodes.section import flag, ground
from finscribe_orchestrator.prompts import grade as grade_prompt
from finscribe_orchestrator.prompts import paragraph as paragraph_prompt
from finscribe_orchestrator.prompts import verify as verify_prompt
from finscribe_orchestrator.schemas import ParagraphOptions
from finscribe_orchestrator.states import ParagraphState

SECTION_ID = "paragraph"


def _require_llm(ctx: Scope, exc: Exception) -> RunFailed:
    return RunFailed("llm_unavailable", ctx.say("failed_llm_paragraph", reason=exc))


def _pdf_keys(ctx: Scope) -> list[str]:
    return [k for k in ctx.bundle.datasets if k.startswith("pdf:")]


async def retrieve(state: ParagraphState, runtime: Runtime[Context]) -> ParagraphState:
    ctx = Scope.of(runtime)
    options = ctx.options
    assert isinstance(options, ParagraphOptions)
    attempts = int(state.get("attempts", 0)) + 1
    query = state.get("query") or ctx.request.prompt
    pdf_ids = ctx.request.pdf_ids
    if not (options.use_files and ctx.request.rag_collection and pdf_ids):
        return {"attempts": attempts, "query": query, "hits": 0, **ctx.recorded()}
    async with ctx.step("retrieve", start=0.05 + 0.1 * attempts, detail=say("step_text", text=query[:80])) as info:
        try:
            hits = await ctx.clients.rag.query(ctx.request.rag_collection, query[:1000], k=6, doc_ids=pdf_ids)
        except ServiceCallError as exc:  # rag down or failing: carry on with the data services
            ctx.bundle.failed.setdefault("rag", f"{exc.code}: {exc.message}")
            ctx.warn_failed_services()
            hits = []
        add_pdf_hits(ctx.bundle, hits)
        info["detail"] = say("step_passages", count=len(hits))
    return {"attempts": attempts, "query": query, "hits": len(hits), **ctx.recorded()}


async def grade(state: ParagraphState, runtime: Runtime[Context]) -> ParagraphState:
    ctx = Scope.of(runtime)
    keys = _pdf_keys(ctx)
    if not keys:
        return {"sufficient": False, "better_query": "", **ctx.recorded()}
    async with ctx.step("grade", start=0.3) as info:
        try:
            verdict = await ctx.llm.structured(
                "grade",
                grade_prompt.build(prompt=ctx.request.prompt, data_block=ctx.bundle.block(keys)),
                grade_prompt.Grade,
            )
        except LLMUnavailable as exc:
            raise _require_llm(ctx, exc) from exc
        except LLMError:
            verdict = None
        if verdict is None:  # no usable grade: keep what was retrieved rather than loop
            info["detail"] = say("step_grade_failed")
            relevant = [ctx.bundle.datasets[k].n for k in keys]
            return {"sufficient": True, "better_query": "", "relevant": relevant, **ctx.recorded()}
        relevant = [n for n in verdict.relevant_sources if ctx.bundle.sources.known(n)]
        info["detail"] = say("step_relevant", count=len(relevant), sufficient=verdict.sufficient)
    return {
        "sufficient": verdict.sufficient and bool(relevant),
        "better_query": verdict.better_query,
        "relevant": relevant,
        **ctx.recorded(),
    }


def after_grade(state: ParagraphState, runtime: Runtime[Context]) -> Literal["rewrite_query", "data", "write"]:
    if state.get("sufficient"):
        return "write"
    if state.get("hits") and int(state.get("attempts", 0)) < runtime.context.settings.paragraph_max_retrievals:
        return "rewrite_query"
    return "data"


async def rewrite_query(state: ParagraphState, runtime: Runtime[Context]) -> ParagraphState:
    ctx = Scope.of(runtime)
    better = (state.get("better_query") or "").strip()
    company = getattr(ctx.options, "company", None)
    query = better or " ".join(p for p in (company, ctx.request.prompt) if p)
    ctx.sink.step("rewrite_query", "done", None, say("step_text", text=query[:80]))
    return {"query": query, **ctx.recorded()}


async def data(state: ParagraphState, runtime: Runtime[Context]) -> ParagraphState:
    """Files were not enough: use the data services for the company (if one can be found)."""
    ctx = Scope.of(runtime)
    async with ctx.step("data", start=0.4) as info:
        resolution = await resolve_company(ctx.clients, getattr(ctx.options, "company", None), ctx.request.prompt)
        ctx.bundle.company = resolution.company
        for warning in resolution.warnings:
            ctx.warn(**warning)
        if resolution.company is None:
            info["status"] = "skipped"
            info["detail"] = say("step_company_missing")
            return {**ctx.recorded()}
        await gather_company(
            ctx.clients,
            ctx.bundle,
            prompt=ctx.request.prompt,
            rag_collection=None,
            pdf_doc_ids=[],
            history_days=ctx.settings.price_history_days,
            with_filings=False,
        )
        ctx.warn_failed_services()
        info["detail"] = say("step_company", company=resolution.company.label)
    return {**ctx.recorded()}


def _write_keys(ctx: Scope, state: ParagraphState) -> list[str] | None:
    relevant = set(state.get("relevant") or [])
    keys = [k for k, d in ctx.bundle.datasets.items() if not k.startswith("pdf:") or not relevant or d.n in relevant]
    return keys or None


async def write(state: ParagraphState, runtime: Runtime[Context]) -> ParagraphState:
    ctx = Scope.of(runtime)
    options = ctx.options
    assert isinstance(options, ParagraphOptions)
    if not ctx.bundle.datasets:
        raise RunFailed(
            "no_sources", "근거로 쓸 문서나 데이터를 찾지 못했습니다. PDF를 올리거나 회사명을 지정해 주세요."
        )
    ctx.bundle.facts.add_text(ctx.request.prompt)
    block = ctx.bundle.block(_write_keys(ctx, state))
    messages = paragraph_prompt.build(prompt=ctx.request.prompt, language=options.language, data_block=block)
    async with ctx.step("write", start=0.5, end=0.75):
        try:
            text = await ctx.llm.stream(
                "section", messages, lambda t: ctx.sink.emit("section.delta", section_id=SECTION_ID, text=t)
            )
        except (LLMUnavailable, LLMError) as exc:
            raise _require_llm(ctx, exc) from exc
    return {"text": text, "block": block, **ctx.recorded()}


async def verify(state: ParagraphState, runtime: Runtime[Context]) -> ParagraphState:
    ctx = Scope.of(runtime)
    text, block = state["text"], state["block"]
    async with ctx.step("verify", start=0.8, end=0.95) as info:
        report = ground(ctx, text)
        claims: list[str] = []
        try:
            verdict = await ctx.llm.structured(
                "grade", verify_prompt.build(paragraph=text, data_block=block), verify_prompt.Verdict
            )
            if verdict is not None and not verdict.supported:
                claims = verdict.unsupported_claims
        except (LLMUnavailable, LLMError):
            verdict = None
        if claims or not report.ok:
            findings = claims + ([report.describe()] if not report.ok else [])
            first = paragraph_prompt.build(
                prompt=ctx.request.prompt, language=getattr(ctx.options, "language", "ko"), data_block=block
            )
            try:
                revised = await ctx.llm.text("section", verify_prompt.build_revise(first, text, findings))
            except (LLMUnavailable, LLMError):
                revised = ""
            if revised.strip():
                revised_report = ground(ctx, revised)
                if revised_report.problems() <= report.problems():
                    text, report = revised, revised_report
                    claims = []  # the revision addressed them; numbers are re-checked above
            info["detail"] = say("step_revised")
        for claim in claims:
            ctx.warn("unsupported_claim", claim=claim[:200])
        text = flag(ctx, text, report, label(ctx.language, "paragraph"))
    return {"text": text, **ctx.recorded()}
