"""Markdown and blocks of a result (API.md): headings, paragraphs, bullets, tables, charts, sources."""

import re
from typing import Any

from finscribe_orchestrator.grounding.check import citation_numbers
from finscribe_orchestrator.labels import label

_BULLET = re.compile(r"^\s*[-*•]\s+")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def markdown_blocks(markdown: str) -> list[dict[str, Any]]:
    """Blocks of a section's markdown: paragraphs, bullet lists, sub-headings; each with its [n]."""
    blocks: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        lines = [line for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading and len(lines) == 1:
            blocks.append({"type": "heading", "level": min(6, len(heading.group(1)) + 1), "text": heading.group(2)})
            continue
        if all(_BULLET.match(line) for line in lines):
            items = [_BULLET.sub("", line).strip() for line in lines]
            blocks.append({"type": "bullets", "items": items, "citations": _cites(" ".join(items))})
            continue
        if lines[0].startswith(">"):
            text = " ".join(line.lstrip("> ").strip() for line in lines)
            blocks.append({"type": "quote", "text": text, "citations": _cites(text)})
            continue
        text = " ".join(line.strip() for line in lines)
        blocks.append({"type": "paragraph", "text": text, "citations": _cites(text)})
    return blocks


def _cites(text: str) -> list[int]:
    return sorted(set(citation_numbers(text)))


def table_block(
    header: list[str], rows: list[list[str]], caption: str, citations: list[int], align: list[str] | None = None
) -> dict[str, Any]:
    """A table block; `align` (`left`/`right` per column, optional) right-aligns number columns."""
    block = {"type": "table", "header": header, "rows": rows, "caption": caption, "citations": sorted(set(citations))}
    if align is not None:
        block["align"] = align
    return block


def table_markdown(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    rule = "|" + "".join("---:|" if a == "right" else "---|" for a in align) if align else "|" + "---|" * len(header)
    lines = ["| " + " | ".join(header) + " |", rule]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def sources_section(citations: list[dict[str, Any]], language: str = "ko") -> tuple[list[dict[str, Any]], str]:
    items = []
    for c in citations:
        text = f"[{c['n']}] {c['provider']} · {c['title']}"
        if c.get("as_of"):
            text += f" ({label(language, 'as_of', as_of=c['as_of'])})"
        if c.get("url"):
            text += f" {c['url']}"
        items.append(text)
    if not items:
        return [], ""
    heading = label(language, "sources")
    blocks: list[dict[str, Any]] = [
        {"type": "heading", "level": 2, "text": heading},
        {"type": "bullets", "items": items, "citations": []},
    ]
    markdown = f"## {heading}\n\n" + "\n".join(f"- {item}" for item in items)
    return blocks, markdown


def chart_block(index: int, chart: dict[str, Any], language: str = "ko") -> tuple[dict[str, Any], str]:
    """Blocks refer to charts by their index in `result.charts` (the gateway swaps the PNG for a URL there)."""
    block = {
        "type": "chart",
        "chart_index": index,
        "title": chart["title"],
        "alt": chart["alt"],
        "citations": chart.get("citations", []),
    }
    return block, f"*[{label(language, 'chart', n=index + 1)}: {chart['title']}]*"


def result(
    *,
    title: str,
    blocks: list[dict[str, Any]],
    markdown: str,
    citations: list[dict[str, Any]],
    charts: list[dict[str, Any]],
) -> dict[str, Any]:
    """The document part of a run's result; the service adds `warnings`, `usage`, `timings` and
    `demo` from the graph's final state."""
    return {
        "title": title,
        "markdown": markdown,
        "blocks": blocks,
        "citations": citations,
        "charts": charts,
    }
