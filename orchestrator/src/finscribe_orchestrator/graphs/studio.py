"""The compiled graphs as module variables, the form `langgraph.json` names for LangGraph Studio
and `langgraph dev` (one graph per run kind; the same objects the service runs and
`GET /v1/graphs` describes). Studio draws them; running one there needs a `Context` (the
run's clients and LLM), which only the service builds."""

from finscribe_orchestrator.graphs.registry import graphs

_compiled = graphs()
draft = _compiled["draft"]
paragraph = _compiled["paragraph"]
rewrite = _compiled["rewrite"]
chart = _compiled["chart"]
ask = _compiled["ask"]
