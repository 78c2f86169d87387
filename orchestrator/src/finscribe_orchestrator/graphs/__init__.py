"""One LangGraph graph per run kind; `GRAPHS` maps the kind to its compiled graph."""
