"""Draft: put the document together: title, sections in order, key figures, charts, sources."""

from typing import Any

from langchain_core.runnables import RunnableConfig

from finscribe_orchestrator import assembly
from finscribe_orchestrator.context import RunContext, get_ctx


def key_figures(ctx: RunContext) -> tuple[list[list[str]], list[int]]:
    rows: list[list[str]] = []
    cited: list[int] = []
    for dataset in sorted(ctx.bundle.datasets.values(), key=lambda d: d.n):
        for label, value in dataset.figures:
            rows.append([label, value, f"[{dataset.n}]"])
            cited.append(dataset.n)
    return rows, cited


def build_document(
    ctx: RunContext, title: str, sections: list[dict[str, Any]], charts: list[dict[str, Any]]
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [{"type": "heading", "level": 1, "text": title}]
    parts = [f"# {title}"]
    company = ctx.bundle.company
    if company is not None:
        intro = f"대상: {company.label} · 기준일 {ctx.bundle.as_of.isoformat()}"
        if ctx.bundle.report_note:
            intro += f" · {ctx.bundle.report_note}"
        blocks.append({"type": "paragraph", "text": intro, "citations": []})
        parts.append(intro)
    for section in sorted(sections, key=lambda s: s["index"]):
        blocks.append({"type": "heading", "level": 2, "text": section["title"]})
        blocks.extend(assembly.markdown_blocks(section["markdown"]))
        parts.append(f"## {section['title']}\n\n{section['markdown'].strip()}")
    rows, cited = key_figures(ctx)
    if rows:
        header = ["항목", "값", "출처"]
        blocks.append({"type": "heading", "level": 2, "text": "주요 지표"})
        blocks.append(assembly.table_block(header, rows, "주요 지표", cited))
        parts.append("## 주요 지표\n\n" + assembly.table_markdown(header, rows))
    if charts:
        blocks.append({"type": "heading", "level": 2, "text": "차트"})
        chart_lines = []
        for index, chart in enumerate(charts):
            block, line = assembly.chart_block(index, chart)
            blocks.append(block)
            chart_lines.append(line)
        parts.append("## 차트\n\n" + "\n\n".join(chart_lines))
    source_blocks, source_md = assembly.sources_section(ctx.bundle.sources.as_list())
    blocks.extend(source_blocks)
    if source_md:
        parts.append(source_md)
    return assembly.result(
        title=title,
        blocks=blocks,
        markdown="\n\n".join(parts) + "\n",
        citations=ctx.bundle.sources.as_list(),
        charts=charts,
        warnings=ctx.warnings,
        usage=ctx.usage.as_dict(),
        timings=ctx.timings,
    )


async def assemble(state: dict[str, Any], config: RunnableConfig) -> dict[str, Any]:
    ctx = get_ctx(config)
    async with ctx.step("assemble", end=0.98):
        document = build_document(
            ctx, state.get("title") or "보고서", state.get("sections", []), state.get("charts", [])
        )
    return {"result": document}
