"""rewrite: the given text in another form; every number of the input survives unchanged."""

import re

from langgraph.runtime import Runtime

from finscribe_common.numbers import extract_numbers, strip_citations
from finscribe_orchestrator import assembly
from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.grounding.check import judge
from finscribe_orchestrator.grounding.facts import FactIndex
from finscribe_orchestrator.llm.client import LLMUnavailable
from finscribe_orchestrator.prompts import rewrite as rewrite_prompt
from finscribe_orchestrator.schemas import RewriteOptions
from finscribe_orchestrator.states import RewriteState

_LITERAL = re.compile(r"\d[\d,]*(?:\.\d+)?")
TITLES = {
    "summarize": "요약",
    "expand": "확장",
    "polish": "다듬기",
    "formal": "공식 문체",
    "translate_ko": "한국어 번역",
    "translate_en": "영어 번역",
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


async def rewrite(state: RewriteState, runtime: Runtime[Context]) -> RewriteState:
    ctx = Scope.of(runtime)
    options = ctx.options
    assert isinstance(options, RewriteOptions)
    async with ctx.step("rewrite", start=0.05, end=0.8):
        messages = rewrite_prompt.build(text=options.text, mode=options.mode, target_chars=options.target_chars)
        try:
            text = await ctx.llm.stream(
                "rewrite", messages, lambda t: ctx.sink.emit("section.delta", section_id="rewrite", text=t)
            )
            missing, altered = number_problems(options.text, text, options.mode)
            if missing or altered:
                ctx.sink.step("verify", "started", None, "숫자 보존 확인")
                retry = await ctx.llm.text("rewrite", rewrite_prompt.build_retry(messages, text, missing + altered))
                retry_missing, retry_altered = number_problems(options.text, retry, options.mode)
                if len(retry_missing) + len(retry_altered) <= len(missing) + len(altered):
                    text, missing, altered = retry, retry_missing, retry_altered
                ctx.sink.step("verify", "done", None)
        except LLMUnavailable as exc:
            raise RunFailed("llm_unavailable", f"LLM을 사용할 수 없어 다시 쓰기를 할 수 없습니다: {exc}") from exc
    for number in missing:
        ctx.warn("number_dropped", f"원문의 숫자 '{number}'가 결과에 없습니다.", value=number)
    for number in altered:
        ctx.warn("unverified_number", f"결과의 숫자 '{number}'는 원문에 없습니다.", value=number)
    title = TITLES[options.mode]
    ctx.sink.emit("section.done", section_id="rewrite", title=title, markdown=text)
    return {
        "result": assembly.result(
            title=title,
            blocks=assembly.markdown_blocks(text),
            markdown=text.strip() + "\n",
            citations=[],
            charts=[],
        ),
        **ctx.recorded(),
    }
