"""The compiled graphs, built once per process, and their description for `GET /v1/graphs`."""

from functools import lru_cache
from typing import Any

from finscribe_common.contract.runs import CHECKPOINTED_KINDS
from finscribe_orchestrator.graphs import RunGraph, ask, chart, draft, paragraph, rewrite


@lru_cache(maxsize=1)
def graphs() -> dict[str, RunGraph]:
    return {
        "draft": draft.build(),
        "paragraph": paragraph.build(),
        "rewrite": rewrite.build(),
        "chart": chart.build(),
        "ask": ask.build(),
    }


def describe() -> list[dict[str, Any]]:
    """`GET /v1/graphs`: per kind `{kind, state, context, checkpointed, nodes, edges: [{source,
    target, conditional}], mermaid}`, read off the compiled graphs the service runs (a
    checkpointed kind runs the same builder compiled with the checkpointer)."""
    described = []
    for kind, compiled in graphs().items():
        drawable = compiled.get_graph()
        nodes = [n for n in drawable.nodes if n not in ("__start__", "__end__")]
        edges = [{"source": e.source, "target": e.target, "conditional": bool(e.conditional)} for e in drawable.edges]
        described.append(
            {
                "kind": kind,
                "state": compiled.builder.state_schema.__name__,
                "context": getattr(compiled.builder.context_schema, "__name__", None),
                "checkpointed": kind in CHECKPOINTED_KINDS,
                "nodes": nodes,
                "edges": edges,
                "mermaid": drawable.draw_mermaid(),
            }
        )
    return described
