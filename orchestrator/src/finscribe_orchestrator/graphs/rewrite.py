"""rewrite: write -> verify (numbers kept?) -> write again once with the findings | finish."""

from langgraph.graph import END, START, StateGraph

from finscribe_orchestrator.context import Context
from finscribe_orchestrator.graphs import RunGraph
from finscribe_orchestrator.nodes.rewrite import after_verify, finish, verify, write
from finscribe_orchestrator.states import RewriteState


def build() -> RunGraph:
    graph = StateGraph(RewriteState, context_schema=Context)
    graph.add_node("write", write)
    graph.add_node("verify", verify)
    graph.add_node("finish", finish)
    graph.add_edge(START, "write")
    graph.add_edge("write", "verify")
    graph.add_conditional_edges("verify", after_verify, ["write", "finish"])  # the retry cycle
    graph.add_edge("finish", END)
    return graph.compile(name="rewrite")
