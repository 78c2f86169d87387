"""Draft: put the document together: title, sections in order, key figures, charts, sources."""

from typing import Any

from langgraph.runtime import Runtime

from finscribe_orchestrator import assembly
from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.data.quarter_summary import quarter_table
from finscribe_orchestrator.labels import label
from finscribe_orchestrator.nodes.peers import comparison_blocks
from finscribe_orchestrator.states import DraftState


def key_figures(ctx: Scope) -> tuple[list[list[str]], list[int]]:
    rows: list[list[str]] = []
    cited: list[int] = []
    for dataset in sorted(ctx.bundle.datasets.values(), key=lambda d: d.n):
        for name, value in dataset.figures:
            rows.append([name, value, f"[{dataset.n}]"])
            cited.append(dataset.n)
    return rows, cited


def build_document(
    ctx: Scope, title: str, sections: list[dict[str, Any]], charts: list[dict[str, Any]]
) -> dict[str, Any]:
    language = ctx.language
    blocks: list[dict[str, Any]] = [{"type": "heading", "level": 1, "text": title}]
    parts = [f"# {title}"]
    company = ctx.bundle.company
    if company is not None:
        intro = label(language, "intro", company=company.label, as_of=ctx.bundle.as_of.isoformat())
        if ctx.bundle.report_note:
            intro += f" · {ctx.bundle.report_note}"
        blocks.append({"type": "paragraph", "text": intro, "citations": []})
        parts.append(intro)
    template = getattr(ctx.request, "template", None)
    figures_first = bool(template is not None and template.figures_first)  # e.g. an earnings review
    quarters = _quarters_table(ctx, blocks, parts, language) if figures_first else False
    if figures_first and not quarters:
        _key_figures_table(ctx, blocks, parts, language)
    for section in sorted(sections, key=lambda s: s["index"]):
        blocks.append({"type": "heading", "level": 2, "text": section["title"]})
        blocks.extend(assembly.markdown_blocks(section["markdown"]))
        parts.append(f"## {section['title']}\n\n{section['markdown'].strip()}")
    if not figures_first or quarters:
        _key_figures_table(ctx, blocks, parts, language)
    if charts:
        heading = label(language, "charts")
        blocks.append({"type": "heading", "level": 2, "text": heading})
        chart_lines = []
        for index, chart in enumerate(charts):
            block, line = assembly.chart_block(index, chart, language)
            blocks.append(block)
            chart_lines.append(line)
        parts.append(f"## {heading}\n\n" + "\n\n".join(chart_lines))
    source_blocks, source_md = assembly.sources_section(ctx.bundle.sources.as_list(), language)
    blocks.extend(source_blocks)
    if source_md:
        parts.append(source_md)
    return assembly.result(
        title=title,
        blocks=blocks,
        markdown="\n\n".join(parts) + "\n",
        citations=ctx.bundle.sources.as_list(),
        charts=charts,
    )


def _key_figures_table(ctx: Scope, blocks: list[dict[str, Any]], parts: list[str], language: str) -> None:
    if ctx.bundle.peers:  # a peer comparison: one column per company, each cell its own source
        comparison_blocks(ctx, blocks, parts)
        return
    rows, cited = key_figures(ctx)
    if rows:
        header = [label(language, "item"), label(language, "value"), label(language, "source")]
        heading = label(language, "key_figures")
        blocks.append({"type": "heading", "level": 2, "text": heading})
        blocks.append(assembly.table_block(header, rows, heading, cited))
        parts.append(f"## {heading}\n\n" + assembly.table_markdown(header, rows))


def _quarters_table(ctx: Scope, blocks: list[dict[str, Any]], parts: list[str], language: str) -> bool:
    """The earnings review's comparison (newest quarter, prior quarter, QoQ, a year earlier, YoY)
    when the run gathered it; True when added."""
    dataset = ctx.bundle.get("quarters")
    table = quarter_table(dataset, language) if dataset is not None else None
    if dataset is None or table is None:
        return False
    header, rows, align = table
    heading = label(language, "quarters_table")
    blocks.append({"type": "heading", "level": 2, "text": heading})
    blocks.append(assembly.table_block(header, rows, dataset.title, [dataset.n], align))
    parts.append(f"## {heading}\n\n" + assembly.table_markdown(header, rows, align))
    return True


async def assemble(state: DraftState, runtime: Runtime[Context]) -> DraftState:
    ctx = Scope.of(runtime)
    async with ctx.step("assemble", end=0.98):
        document = build_document(
            ctx,
            state.get("title") or label(ctx.language, "untitled"),
            state.get("sections", []),
            state.get("charts", []),
        )
    return {"result": document, **ctx.recorded()}
