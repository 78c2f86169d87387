"""rewrite: one node (write, check the numbers survived, retry once)."""

from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from finscribe_orchestrator.nodes.rewrite import rewrite


class RewriteState(TypedDict, total=False):
    result: dict[str, Any]


def build() -> CompiledStateGraph:
    graph = StateGraph(RewriteState)
    graph.add_node("rewrite", rewrite)
    graph.add_edge(START, "rewrite")
    graph.add_edge("rewrite", END)
    return graph.compile(name="rewrite")
