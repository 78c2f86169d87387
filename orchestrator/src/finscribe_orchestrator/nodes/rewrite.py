"""rewrite: the given text in another form; every number of the input survives unchanged.

`write` and `verify` form a bounded cycle in the graph: a text that lost or changed a number is
written once more with the findings, the better attempt is kept, what remains is warned."""

import re
from typing import Literal

from langchain_core.messages import BaseMessage
from langgraph.runtime import Runtime

from finscribe_common.numbers import extract_numbers, strip_citations
from finscribe_orchestrator import assembly
from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.grounding.check import judge
from finscribe_orchestrator.grounding.facts import FactIndex
from finscribe_orchestrator.llm.client import LLMUnavailable
from finscribe_orchestrator.messages import say
from finscribe_orchestrator.prompts import rewrite as rewrite_prompt
from finscribe_orchestrator.schemas import RewriteOptions
from finscribe_orchestrator.states import RewriteState

_LITERAL = re.compile(r"\d[\d,]*(?:\.\d+)?")
TITLES = {
    "ko": {
        "summarize": "요약",
        "expand": "확장",
        "polish": "다듬기",
        "formal": "공식 문체",
        "translate_ko": "한국어 번역",
        "translate_en": "영어 번역",
    },
    "en": {
        "summarize": "Summary",
        "expand": "Expanded",
        "polish": "Polished",
        "formal": "Formal style",
        "translate_ko": "Korean translation",
        "translate_en": "English translation",
    },
}


def numeric_literals(text: str) -> list[str]:
    return [m.group(0).rstrip(",") for m in _LITERAL.finditer(strip_citations(text))]


def number_problems(source: str, output: str, mode: str) -> tuple[list[str], list[str]]:
    """(missing, altered): input numbers absent from the output; output numbers that are not the input's."""
    out_literals = set(numeric_literals(output))
    missing = (
        [] if mode == "summarize" else [n for n in dict.fromkeys(numeric_literals(source)) if n not in out_literals]
    )
    facts = FactIndex()
    facts.add_text(source)
    for literal in numeric_literals(source):
        facts.add_number(float(literal.replace(",", "")), signed=False)
    altered = [m.raw for m in extract_numbers(output) if judge(output, m, facts)[0] != "supported"]
    return missing, altered


MAX_ATTEMPTS = 2  # the first text and one retry with the findings


def _messages(options: RewriteOptions) -> list[BaseMessage]:
    return rewrite_prompt.build(text=options.text, mode=options.mode, target_chars=options.target_chars)


def _options(ctx: Context) -> RewriteOptions:
    assert isinstance(ctx.options, RewriteOptions)
    return ctx.options


async def write(state: RewriteState, runtime: Runtime[Context]) -> RewriteState:
    """The rewritten text: streamed the first time; after `verify` found numbers lost or
    changed, written again with those findings. Fails the run with `llm_unavailable`."""
    ctx = Scope.of(runtime)
    options = _options(ctx.context)
    messages = _messages(options)
    attempts = state.get("attempts", 0)
    try:
        if attempts == 0:
            async with ctx.step("rewrite", start=0.05, end=0.8):
                draft = await ctx.llm.stream(
                    "rewrite", messages, lambda t: ctx.sink.emit("section.delta", section_id="rewrite", text=t)
                )
        else:
            problems = [*state.get("missing", []), *state.get("altered", [])]
            async with ctx.step("rewrite", detail=say("step_rewrite_retry")):
                draft = await ctx.llm.text("rewrite", rewrite_prompt.build_retry(messages, state["text"], problems))
    except LLMUnavailable as exc:
        raise RunFailed("llm_unavailable", ctx.say("failed_llm_rewrite", reason=exc)) from exc
    return {"draft": draft, "attempts": attempts + 1, **ctx.recorded()}


async def verify(state: RewriteState, runtime: Runtime[Context]) -> RewriteState:
    """Every number of the input must survive unchanged and none be invented; the attempt with
    the fewest problems is kept (a retry wins ties)."""
    ctx = Scope.of(runtime)
    options = _options(ctx.context)
    async with ctx.step("verify", detail=say("step_numbers_check")) as info:
        missing, altered = number_problems(options.text, state["draft"], options.mode)
        best = len(state.get("missing", [])) + len(state.get("altered", []))
        info["detail"] = say("step_numbers_found", missing=len(missing), altered=len(altered))
    if "text" in state and len(missing) + len(altered) > best:
        return {**ctx.recorded()}
    return {"text": state["draft"], "missing": missing, "altered": altered, **ctx.recorded()}


def after_verify(state: RewriteState) -> Literal["write", "finish"]:
    """Write again (bounded: `MAX_ATTEMPTS`) while numbers are lost or changed."""
    if (state.get("missing") or state.get("altered")) and state.get("attempts", 0) < MAX_ATTEMPTS:
        return "write"
    return "finish"


async def finish(state: RewriteState, runtime: Runtime[Context]) -> RewriteState:
    """Warnings for what is still wrong (`number_dropped`, `unverified_number`), `section.done`
    and the result."""
    ctx = Scope.of(runtime)
    options = _options(ctx.context)
    text = state["text"]
    for number in state.get("missing", []):
        ctx.warn("number_dropped", value=number)
    for number in state.get("altered", []):
        ctx.warn("unverified_number", key="unverified_number_rewrite", value=number)
    title = TITLES[ctx.language][options.mode]
    ctx.sink.emit("section.done", section_id="rewrite", title=title, markdown=text)
    result = assembly.result(
        title=title, blocks=assembly.markdown_blocks(text), markdown=text.strip() + "\n", citations=[], charts=[]
    )
    return {"result": result, **ctx.recorded()}
