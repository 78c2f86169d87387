"""`langgraph.json` names every graph the service runs, so LangGraph Studio (`langgraph dev`)
loads exactly them, and `GET /v1/graphs` describes the same compiled graphs."""

import importlib
import json
from pathlib import Path

from finscribe_orchestrator.graphs.registry import describe, graphs

ROOT = Path(__file__).resolve().parents[1]  # orchestrator/


def _config() -> dict:
    return json.loads((ROOT / "langgraph.json").read_text(encoding="utf-8"))


def test_every_graph_named_in_langgraph_json_loads_and_is_the_one_the_service_runs() -> None:
    config = _config()
    assert set(config["graphs"]) == set(graphs())
    for name, ref in config["graphs"].items():
        path, _, attribute = ref.partition(":")
        file = (ROOT / path).resolve()
        assert file.is_file(), ref
        module = ".".join(file.relative_to(ROOT / "src").with_suffix("").parts)
        loaded = getattr(importlib.import_module(module), attribute)
        assert loaded is graphs()[name], name
        assert loaded.get_graph().nodes  # drawable, as Studio draws it


def test_langgraph_json_dependencies_install_the_orchestrator() -> None:
    for dependency in _config()["dependencies"]:
        assert (ROOT / dependency / "pyproject.toml").is_file()


def test_graphs_endpoint_shows_the_cycles_that_run() -> None:
    described = {g["kind"]: g for g in describe()}
    edges = {kind: {(e["source"], e["target"]) for e in g["edges"]} for kind, g in described.items()}
    assert {("agent", "tools"), ("tools", "agent")} <= edges["ask"]
    assert {("write", "verify"), ("verify", "write"), ("verify", "finish")} <= edges["rewrite"]
    assert {("grade", "rewrite_query"), ("rewrite_query", "retrieve")} <= edges["paragraph"]
    assert described["draft"]["checkpointed"] is True and described["ask"]["checkpointed"] is False
    assert all(g["context"] == "Context" for g in described.values())
