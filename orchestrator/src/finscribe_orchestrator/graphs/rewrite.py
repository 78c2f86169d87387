"""rewrite: one node (write, check the numbers survived, retry once)."""

from langgraph.graph import END, START, StateGraph

from finscribe_orchestrator.context import Context
from finscribe_orchestrator.graphs import RunGraph
from finscribe_orchestrator.nodes.rewrite import rewrite
from finscribe_orchestrator.states import RewriteState


def build() -> RunGraph:
    graph = StateGraph(RewriteState, context_schema=Context)
    graph.add_node("rewrite", rewrite)
    graph.add_edge(START, "rewrite")
    graph.add_edge("rewrite", END)
    return graph.compile(name="rewrite")
