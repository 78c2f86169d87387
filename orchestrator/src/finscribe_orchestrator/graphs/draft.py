"""draft: resolve -> gather -> (outline -> review -> sections in parallel via Send) || charts -> assemble.

`review` interrupts the run (LangGraph `interrupt`) when the user asked to approve the outline."""

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from finscribe_orchestrator.context import Context
from finscribe_orchestrator.graphs import RunGraph
from finscribe_orchestrator.nodes.assemble import assemble
from finscribe_orchestrator.nodes.charts import charts
from finscribe_orchestrator.nodes.company import gather, resolve
from finscribe_orchestrator.nodes.outline import outline
from finscribe_orchestrator.nodes.review import review
from finscribe_orchestrator.nodes.section import write_section
from finscribe_orchestrator.states import DraftState


def fan_out(state: DraftState) -> list[Send]:
    """Every section at once; the run config's max_concurrency caps how many run together."""
    sections = state.get("outline") or []
    total = len(sections)
    return [
        Send("write_section", {"section": {**s, "total": total, "report_title": state.get("title", "")}})
        for s in sections
    ]


def builder() -> StateGraph[DraftState, Context, DraftState, DraftState]:
    """The uncompiled graph (compiled as-is for `GET /v1/graphs`, with a checkpointer for runs)."""
    graph = StateGraph(DraftState, context_schema=Context)
    graph.add_node("resolve", resolve)
    graph.add_node("gather", gather)
    graph.add_node("outline", outline)
    graph.add_node("review", review)
    graph.add_node("write_section", write_section)
    graph.add_node("charts", charts)
    graph.add_node("assemble", assemble)
    graph.add_edge(START, "resolve")
    graph.add_edge("resolve", "gather")
    graph.add_edge("gather", "outline")
    graph.add_edge("gather", "charts")  # charts render while the outline and the sections are written
    graph.add_edge("outline", "review")
    graph.add_conditional_edges("review", fan_out, ["write_section"])
    graph.add_edge(["write_section", "charts"], "assemble")
    graph.add_edge("assemble", END)
    return graph


def build() -> RunGraph:
    return builder().compile(name="draft")
