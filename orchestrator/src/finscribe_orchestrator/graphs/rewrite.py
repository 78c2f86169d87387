"""rewrite: one node (write, check the numbers survived, retry once)."""

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from finscribe_orchestrator.nodes.rewrite import rewrite
from finscribe_orchestrator.states import RewriteState


def build() -> CompiledStateGraph:
    graph = StateGraph(RewriteState)
    graph.add_node("rewrite", rewrite)
    graph.add_edge(START, "rewrite")
    graph.add_edge("rewrite", END)
    return graph.compile(name="rewrite")
