"""ask: answer (LLM with tools, bounded loop) -> check (grounding) -> finish."""

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from finscribe_orchestrator.nodes.ask import answer, check, finish
from finscribe_orchestrator.states import AskState


def build() -> CompiledStateGraph:
    graph = StateGraph(AskState)
    graph.add_node("answer", answer)
    graph.add_node("check", check)
    graph.add_node("finish", finish)
    graph.add_edge(START, "answer")
    graph.add_edge("answer", "check")
    graph.add_edge("check", "finish")
    graph.add_edge("finish", END)
    return graph.compile(name="ask")
