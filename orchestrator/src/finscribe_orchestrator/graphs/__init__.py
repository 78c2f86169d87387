"""One LangGraph graph per run kind; `registry.graphs()` maps the kind to its compiled graph."""

from typing import Any, TypeAlias

from langgraph.graph.state import CompiledStateGraph

from finscribe_orchestrator.context import Context

RunGraph: TypeAlias = CompiledStateGraph[Any, Context, Any, Any]
"""A compiled graph of a run kind: any state, `Context` as its runtime context."""
