"""ask: a tool-using answer (bounded tool loop) over the data services, the session's files and history.

When no model of the route can call tools (the router answers `tools_unsupported`), the same
question is answered on a fixed plan instead: resolve the company, fetch its prices,
metrics, filings and the session's passages, then one answer from that data."""

import json
from typing import Any

from langchain_core.messages import BaseMessage, ToolMessage
from langgraph.runtime import Runtime

from finscribe_orchestrator import assembly
from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.data.company import resolve_company
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.grounding.check import citation_numbers
from finscribe_orchestrator.llm.client import LLMError, LLMUnavailable, ToolsUnsupported
from finscribe_orchestrator.nodes.ask_tools import Toolbox, tool_schemas
from finscribe_orchestrator.nodes.section import flag, ground
from finscribe_orchestrator.prompts import answer as answer_prompt
from finscribe_orchestrator.prompts import answer_fixed
from finscribe_orchestrator.schemas import AskOptions
from finscribe_orchestrator.states import AskState

SECTION_ID = "answer"
HISTORY_CHARS = 1500


def history_text(ctx: Scope) -> str:
    lines = []
    for item in ctx.request.history[-6:]:
        lines.append(f"[{item.kind}] 사용자: {item.prompt}\n답: {item.markdown[:HISTORY_CHARS]}")
    return "\n\n".join(lines)


async def answer(state: AskState, runtime: Runtime[Context]) -> AskState:
    ctx = Scope.of(runtime)
    options = ctx.options
    assert isinstance(options, AskOptions)
    for item in ctx.request.history:
        ctx.bundle.facts.add_text(item.prompt)
    ctx.bundle.facts.add_text(ctx.request.prompt)
    toolbox = Toolbox(ctx)
    messages: list[BaseMessage] = answer_prompt.build(
        prompt=ctx.request.prompt, company=options.company or "", history=history_text(ctx), language=options.language
    )
    tools = tool_schemas()
    text = ""
    try:
        try:
            text = await _with_tools(ctx, toolbox, messages, tools)
        except ToolsUnsupported:
            text = await _fixed_plan(ctx, toolbox, options.company)
    except LLMUnavailable as exc:
        raise RunFailed("llm_unavailable", f"LLM을 사용할 수 없어 답할 수 없습니다: {exc}") from exc
    except LLMError as exc:
        raise RunFailed("llm_error", f"LLM 응답 오류: {exc}") from exc
    ctx.sink.emit("section.delta", section_id=SECTION_ID, text=text)
    return {"text": text, **ctx.recorded()}


async def _with_tools(ctx: Scope, toolbox: Toolbox, messages: list[BaseMessage], tools: list[dict]) -> str:
    text = ""
    for step in range(ctx.settings.ask_max_tool_steps):
        async with ctx.step("agent", start=0.1 + 0.15 * step) as info:
            reply = await ctx.llm.with_tools("answer", messages, tools)
            calls = reply.tool_calls or []
            info["detail"] = ", ".join(c["name"] for c in calls) or "답변"
        if not calls:
            text = str(reply.content or "")
            break
        messages.append(reply)
        for call in calls:
            async with ctx.step(
                f"tool:{call['name']}", detail=json.dumps(call.get("args") or {}, ensure_ascii=False)[:120]
            ):
                result = await toolbox.call(call["name"], call.get("args") or {})
            messages.append(ToolMessage(content=result, tool_call_id=call.get("id") or call["name"]))
    if not text:
        async with ctx.step("agent", detail="최종 답변"):
            final = await ctx.llm.text("answer", messages)
        text = final
    return text


async def _fixed_plan(ctx: Scope, toolbox: Toolbox, company_option: str | None) -> str:
    """Resolve, fetch, answer: the ask for a model without tool calling."""
    async with ctx.step("plan", detail="도구 호출 없이: 회사 확인 → 데이터 → 답변") as info:
        resolution = await resolve_company(ctx.clients, company_option or None, ctx.request.prompt)
        for warning in resolution.warnings:
            ctx.warn(**warning)
        company = resolution.company
        calls: list[tuple[str, dict[str, Any]]] = []
        if company is not None:
            name = company.ticker or company.name
            calls += [("stock_prices", {"company": name}), ("financial_metrics", {"company": name})]
            calls.append(("recent_filings", {"company": name}))
        if ctx.request.rag_collection:
            calls.append(("search_files", {"query": ctx.request.prompt[:500] or "요약"}))
        for name, args in calls:
            async with ctx.step(f"tool:{name}", detail=json.dumps(args, ensure_ascii=False)[:120]):
                await toolbox.call(name, args)
        info["detail"] = f"{company.label if company else '회사 미확인'}, 데이터 {len(ctx.bundle.datasets)}건"
    messages = answer_fixed.build(
        prompt=ctx.request.prompt,
        company=company.label if company else "",
        history=history_text(ctx),
        data_block=ctx.bundle.block(),
    )
    async with ctx.step("agent", detail="최종 답변"):
        return await ctx.llm.text("answer", messages)


async def check(state: AskState, runtime: Runtime[Context]) -> AskState:
    ctx = Scope.of(runtime)
    async with ctx.step("verify", start=0.85, end=0.95):
        text = flag(ctx, state["text"], ground(ctx, state["text"]), "답변")
    return {"text": text, **ctx.recorded()}


async def finish(state: AskState, runtime: Runtime[Context]) -> AskState:
    ctx = Scope.of(runtime)
    text = state["text"]
    ctx.sink.emit("section.done", section_id=SECTION_ID, title="답변", markdown=text)
    used = set(citation_numbers(text))
    citations = ctx.bundle.sources.as_list()
    source_blocks, source_md = assembly.sources_section([c for c in citations if c["n"] in used])
    return {
        "result": assembly.result(
            title=ctx.request.prompt[:60] or "답변",
            blocks=[*assembly.markdown_blocks(text), *source_blocks],
            markdown=text.strip() + ("\n\n" + source_md if source_md else "") + "\n",
            citations=citations,
            charts=[],
        ),
        **ctx.recorded(),
    }
