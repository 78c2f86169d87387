"""chart: (load_csv | resolve -> gather -> company_series) -> spec -> render."""

from typing import Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from finscribe_orchestrator.context import Context
from finscribe_orchestrator.graphs import RunGraph
from finscribe_orchestrator.nodes.chart import company_series, load_csv, render, spec
from finscribe_orchestrator.nodes.company import gather, resolve
from finscribe_orchestrator.states import ChartState


def source_of_series(state: ChartState, runtime: Runtime[Context]) -> Literal["load_csv", "resolve"]:
    """An uploaded CSV (`options.file_id`) or the company's own data."""
    return "load_csv" if getattr(runtime.context.options, "file_id", None) else "resolve"


def build() -> RunGraph:
    graph = StateGraph(ChartState, context_schema=Context)
    graph.add_node("load_csv", load_csv)
    graph.add_node("resolve", resolve)
    graph.add_node("gather", gather)
    graph.add_node("company_series", company_series)
    graph.add_node("spec", spec)
    graph.add_node("render", render)
    graph.add_conditional_edges(START, source_of_series, ["load_csv", "resolve"])
    graph.add_edge("resolve", "gather")
    graph.add_edge("gather", "company_series")
    graph.add_edge("company_series", "spec")
    graph.add_edge("load_csv", "spec")
    graph.add_edge("spec", "render")
    graph.add_edge("render", END)
    return graph.compile(name="chart")
