"""ask: agent <-> tools (the model's tool calls, a bounded cycle as in langchain-ai/react-agent)
-> check (grounding) -> finish; a route without tool calling answers through `plan`."""

from langgraph.graph import END, START, StateGraph

from finscribe_orchestrator.context import Context
from finscribe_orchestrator.graphs import RunGraph
from finscribe_orchestrator.nodes.ask import after_agent, agent, check, plan, tools
from finscribe_orchestrator.nodes.finish import finish
from finscribe_orchestrator.states import AskState


def build() -> RunGraph:
    graph = StateGraph(AskState, context_schema=Context)
    graph.add_node("agent", agent)
    graph.add_node("tools", tools)
    graph.add_node("plan", plan)
    graph.add_node("check", check)
    graph.add_node("finish", finish)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", after_agent, ["tools", "plan", "check"])
    graph.add_edge("tools", "agent")  # the cycle: tool answers go back to the model
    graph.add_edge("plan", "check")
    graph.add_edge("check", "finish")
    graph.add_edge("finish", END)
    return graph.compile(name="ask")
