"""ask: answer (LLM with tools, bounded loop) -> check (grounding) -> finish."""

from langgraph.graph import END, START, StateGraph

from finscribe_orchestrator.context import Context
from finscribe_orchestrator.graphs import RunGraph
from finscribe_orchestrator.nodes.ask import answer, check, finish
from finscribe_orchestrator.states import AskState


def build() -> RunGraph:
    graph = StateGraph(AskState, context_schema=Context)
    graph.add_node("answer", answer)
    graph.add_node("check", check)
    graph.add_node("finish", finish)
    graph.add_edge(START, "answer")
    graph.add_edge("answer", "check")
    graph.add_edge("check", "finish")
    graph.add_edge("finish", END)
    return graph.compile(name="ask")
