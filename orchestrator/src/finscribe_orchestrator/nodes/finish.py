"""The last node of the one-text graphs (paragraph, ask): the text becomes the run's result.

One node for both kinds (they differed only in their labels): the text's `section.done`
event, and the result with the sources the text cites."""

from dataclasses import dataclass

from langgraph.runtime import Runtime

from finscribe_orchestrator import assembly
from finscribe_orchestrator.context import Context
from finscribe_orchestrator.grounding.check import citation_numbers
from finscribe_orchestrator.labels import label
from finscribe_orchestrator.states import TextState


@dataclass(frozen=True)
class TextKind:
    section_id: str
    heading: str  # labels.py key: the section.done title, and the result's title unless `titled_by_prompt`
    titled_by_prompt: bool  # an answer is titled by its question
    all_sources_if_uncited: bool  # a paragraph citing nothing still lists what it was written from


KINDS = {
    "paragraph": TextKind("paragraph", "paragraph", titled_by_prompt=False, all_sources_if_uncited=True),
    "ask": TextKind("answer", "answer", titled_by_prompt=True, all_sources_if_uncited=False),
}


async def finish(state: TextState, runtime: Runtime[Context]) -> TextState:
    """`section.done` with the text, and `result` `{title, markdown, blocks, citations, charts: []}`:
    the text's blocks then a sources section of the cited `[n]`."""
    ctx = runtime.context
    kind = KINDS[ctx.request.kind]
    text = state["text"]
    heading = label(ctx.language, kind.heading)
    ctx.sink.emit("section.done", section_id=kind.section_id, title=heading, markdown=text)
    used = set(citation_numbers(text))
    citations = ctx.bundle.sources.as_list()
    cited = [c for c in citations if c["n"] in used or (kind.all_sources_if_uncited and not used)]
    source_blocks, source_md = assembly.sources_section(cited, ctx.language)
    title = (ctx.request.prompt[:60] or heading) if kind.titled_by_prompt else heading
    return {
        "result": assembly.result(
            title=title,
            blocks=[*assembly.markdown_blocks(text), *source_blocks],
            markdown=text.strip() + ("\n\n" + source_md if source_md else "") + "\n",
            citations=citations,
            charts=[],
        )
    }
