"""ask: a tool-using answer over the data services, the session's files and history: `agent` and
`tools` alternate (a cycle in the graph, as in langchain-ai/react-agent), a bounded number of turns.

When no model of the route can call tools (the router answers `tools_unsupported`), the same
question is answered on a fixed plan instead: resolve the company, fetch its prices,
metrics, filings and the session's passages, then one answer from that data."""

import contextlib
import json
from collections.abc import Iterator
from typing import Any, Literal

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langgraph.runtime import Runtime

from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.data.company import resolve_company
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.labels import label
from finscribe_orchestrator.llm.client import LLMError, LLMUnavailable, ToolsUnsupported
from finscribe_orchestrator.messages import say
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


def _question(ctx: Scope) -> list[BaseMessage]:
    """The first messages (system, history, question); the user's words count as facts."""
    for item in ctx.request.history:
        ctx.bundle.facts.add_text(item.prompt)
    ctx.bundle.facts.add_text(ctx.request.prompt)
    options = ctx.options
    assert isinstance(options, AskOptions)
    return answer_prompt.build(
        prompt=ctx.request.prompt, company=options.company or "", history=history_text(ctx), language=options.language
    )


@contextlib.contextmanager
def _llm_required(ctx: Scope) -> Iterator[None]:
    """An ask cannot be answered without the LLM: its failures end the run (said in the run's language)."""
    try:
        yield
    except LLMUnavailable as exc:
        raise RunFailed("llm_unavailable", ctx.say("failed_llm_ask", reason=exc)) from exc
    except LLMError as exc:
        raise RunFailed("llm_error", ctx.say("failed_llm_error", reason=exc)) from exc


async def agent(state: AskState, runtime: Runtime[Context]) -> AskState:
    """One LLM turn with the tools (`ORCH_ASK_MAX_TOOL_STEPS` turns at most, then one answer
    without tools): tool calls go to `tools`, a text answer to `check`; a route whose models
    take no tools (`tools_unsupported`) goes to `plan`. Fails the run with `llm_unavailable` /
    `llm_error`."""
    ctx = Scope.of(runtime)
    started = [] if state.get("messages") else _question(ctx)
    messages = [*(state.get("messages") or []), *started]
    rounds = state.get("tool_rounds", 0)
    text = ""
    with _llm_required(ctx):
        if rounds < ctx.settings.ask_max_tool_steps:
            try:
                async with ctx.step("agent", start=0.1 + 0.15 * rounds) as info:
                    reply = await ctx.llm.with_tools("answer", messages, tool_schemas())
                    names = ", ".join(c["name"] for c in reply.tool_calls)
                    info["detail"] = say("step_tools", tools=names) if names else say("step_answer")
            except ToolsUnsupported:
                return {"messages": started, "tools_unsupported": True, **ctx.recorded()}
            if reply.tool_calls:
                return {"messages": [*started, reply], **ctx.recorded()}
            text = str(reply.content or "")
        if not text:  # the tool turns are spent (or the model said nothing): one answer without tools
            async with ctx.step("agent", detail=say("step_final_answer")):
                text = await ctx.llm.text("answer", messages)
    ctx.sink.emit("section.delta", section_id=SECTION_ID, text=text)
    return {"messages": started, "text": text, **ctx.recorded()}


def after_agent(state: AskState) -> Literal["tools", "plan", "check"]:
    """react-agent's routing: the model's tool calls are run, then the model is asked again."""
    if state.get("tools_unsupported"):
        return "plan"
    messages = state.get("messages") or []
    if "text" not in state and messages and isinstance(messages[-1], AIMessage) and messages[-1].tool_calls:
        return "tools"
    return "check"


async def tools(state: AskState, runtime: Runtime[Context]) -> AskState:
    """Run the tool calls of the model's last message (arguments validated, our own services
    only); their answers go back to the model as tool messages."""
    ctx = Scope.of(runtime)
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)
    toolbox = Toolbox(ctx, state.get("companies"))
    answers: list[BaseMessage] = []
    for call in last.tool_calls:
        args = call.get("args") or {}
        detail = say("step_text", text=json.dumps(args, ensure_ascii=False)[:120])
        async with ctx.step(f"tool:{call['name']}", detail=detail):
            result = await toolbox.call(call["name"], args)
        answers.append(ToolMessage(content=result, tool_call_id=call.get("id") or call["name"]))
    return {
        "messages": answers,
        "tool_rounds": state.get("tool_rounds", 0) + 1,
        "companies": toolbox.companies,
        **ctx.recorded(),
    }


async def plan(state: AskState, runtime: Runtime[Context]) -> AskState:
    """The ask for a model without tool calling: resolve the company, fetch its data through the
    same tools, then one answer from that data."""
    ctx = Scope.of(runtime)
    options = ctx.options
    assert isinstance(options, AskOptions)
    with _llm_required(ctx):
        text = await _fixed_plan(ctx, Toolbox(ctx, state.get("companies")), options.company)
    ctx.sink.emit("section.delta", section_id=SECTION_ID, text=text)
    return {"text": text, **ctx.recorded()}


async def _fixed_plan(ctx: Scope, toolbox: Toolbox, company_option: str | None) -> str:
    """Resolve, fetch, answer: the ask for a model without tool calling."""
    async with ctx.step("plan", detail=say("step_plan")) as info:
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
            async with ctx.step(
                f"tool:{name}", detail=say("step_text", text=json.dumps(args, ensure_ascii=False)[:120])
            ):
                await toolbox.call(name, args)
        shown = company.label if company else ctx.say("step_no_company")
        info["detail"] = say("step_plan_done", company=shown, count=len(ctx.bundle.datasets))
    messages = answer_fixed.build(
        prompt=ctx.request.prompt,
        company=company.label if company else "",
        history=history_text(ctx),
        data_block=ctx.bundle.block(),
    )
    async with ctx.step("agent", detail=say("step_final_answer")):
        return await ctx.llm.text("answer", messages)


async def check(state: AskState, runtime: Runtime[Context]) -> AskState:
    ctx = Scope.of(runtime)
    async with ctx.step("verify", start=0.85, end=0.95):
        text = flag(ctx, state["text"], ground(ctx, state["text"]), label(ctx.language, "answer"))
    return {"text": text, **ctx.recorded()}
