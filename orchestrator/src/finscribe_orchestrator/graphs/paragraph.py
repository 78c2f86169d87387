"""paragraph (corrective RAG): retrieve -> grade -> (rewrite_query -> retrieve | data | write) -> verify -> finish."""

from langgraph.graph import END, START, StateGraph

from finscribe_orchestrator.context import Context
from finscribe_orchestrator.graphs import RunGraph
from finscribe_orchestrator.nodes.finish import finish
from finscribe_orchestrator.nodes.paragraph import (
    after_grade,
    data,
    grade,
    retrieve,
    rewrite_query,
    verify,
    write,
)
from finscribe_orchestrator.states import ParagraphState


def build() -> RunGraph:
    graph = StateGraph(ParagraphState, context_schema=Context)
    for name, node in (
        ("retrieve", retrieve),
        ("grade", grade),
        ("rewrite_query", rewrite_query),
        ("data", data),
        ("write", write),
        ("verify", verify),
        ("finish", finish),
    ):
        graph.add_node(name, node)
    graph.add_edge(START, "retrieve")
    graph.add_edge("retrieve", "grade")
    graph.add_conditional_edges("grade", after_grade, ["rewrite_query", "data", "write"])
    graph.add_edge("rewrite_query", "retrieve")
    graph.add_edge("data", "write")
    graph.add_edge("write", "verify")
    graph.add_edge("verify", "finish")
    graph.add_edge("finish", END)
    return graph.compile(name="paragraph")
