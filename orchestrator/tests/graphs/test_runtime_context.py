"""The graphs are written the LangGraph way: every node is typed with its graph's state and
takes the run's services as `runtime: Runtime[Context]` (the graphs' `context_schema`); no code
reaches a side object through the run config."""

import inspect
import re
import typing
from pathlib import Path

from langgraph.runtime import Runtime

import finscribe_orchestrator
from finscribe_orchestrator.context import Context
from finscribe_orchestrator.graphs.registry import graphs
from finscribe_orchestrator.states import RunState

PACKAGE = Path(finscribe_orchestrator.__file__).parent


def test_no_code_reads_a_context_from_the_run_config() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"""configurable["']\]?\)?\s*(?:or \{\}\)?)?\s*(?:\.get\(|\[)\s*["']ctx""", text) or re.search(
            r"\bget_ctx\b", text
        ):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_a_planted_config_read_is_caught() -> None:
    # the pattern above finds the forms the old code used
    pattern = r"""configurable["']\]?\)?\s*(?:or \{\}\)?)?\s*(?:\.get\(|\[)\s*["']ctx"""
    assert re.search(pattern, 'config["configurable"]["ctx"]')
    assert re.search(pattern, '(config.get("configurable") or {}).get("ctx")')


def test_every_node_takes_its_graph_state_and_the_runtime_context() -> None:
    for kind, compiled in graphs().items():
        assert compiled.builder.context_schema is Context, kind
        for name, spec in compiled.builder.nodes.items():
            func = getattr(spec.runnable, "afunc", None) or spec.runnable.func  # type: ignore[attr-defined]
            hints = typing.get_type_hints(func)
            first = next(iter(inspect.signature(func).parameters))
            state_type = hints[first]
            assert typing.is_typeddict(state_type) and issubclass(state_type, dict), (kind, name)
            assert set(RunState.__annotations__) <= set(typing.get_type_hints(state_type)), (kind, name, state_type)
            assert hints.get("runtime") == Runtime[Context], (kind, name)
