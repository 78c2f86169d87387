"""The state of each graph, one TypedDict per graph, typed once for the graphs and their nodes.

LangGraph reads a node's first parameter annotation as that node's input schema: a node typed
with its graph's state reads every channel of it, a node typed with a narrower state (the shared
company nodes, a section task sent by `Send`) reads only that.

What every run computes besides its document (as in open_deep_research's `state.py`, lists
and counters are reduced, not overwritten, so parallel nodes and a resumed run add up):
`warnings` (the `result.warnings` entries, once each), `usage` (LLM calls, tokens, USD, summed)
and `timings` (seconds per step, summed).
"""

import operator
from typing import Annotated, Any, TypedDict

from langchain_core.messages import BaseMessage

from finscribe_orchestrator.charts.spec import SeriesData
from finscribe_orchestrator.data.company import Company
from finscribe_orchestrator.usage import add_usage


def add_warnings(left: list[dict[str, Any]] | None, right: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Warnings in the order raised, a repeated (code, message) kept once (a resumed run re-raises
    what its first part already recorded)."""
    merged = list(left or [])
    seen = {(w.get("code"), w.get("message")) for w in merged}
    for warning in right or []:
        key = (warning.get("code"), warning.get("message"))
        if key not in seen:
            seen.add(key)
            merged.append(warning)
    return merged


def add_timings(left: dict[str, float] | None, right: dict[str, float] | None) -> dict[str, float]:
    """Seconds per step name, summed (a step run by parallel sections or twice adds up)."""
    merged = dict(left or {})
    for name, seconds in (right or {}).items():
        merged[name] = round(merged.get(name, 0.0) + seconds, 4)
    return merged


class RunState(TypedDict, total=False):
    """What every graph records besides its result."""

    warnings: Annotated[list[dict[str, Any]], add_warnings]
    usage: Annotated[dict[str, Any], add_usage]
    timings: Annotated[dict[str, float], add_timings]


class CompanyState(RunState, total=False):
    """What the shared company nodes (`resolve`, `gather`) write, in draft and chart."""

    company: dict[str, Any] | None
    datasets: list[str]


class DraftState(CompanyState, total=False):
    title: str
    outline: list[dict[str, Any]]
    sections: Annotated[list[dict[str, Any]], operator.add]
    charts: list[dict[str, Any]]
    result: dict[str, Any]


class SectionTask(RunState, total=False):
    """What draft's fan-out sends to each `write_section`: one outline section (with `total` and
    `report_title` added)."""

    section: dict[str, Any]


class ChartState(CompanyState, total=False):
    profile: str
    columns: list[dict[str, Any]]
    catalog: dict[str, SeriesData]  # the series the run may chart, by id (`price.close`, `csv.<column>`)
    spec: dict[str, Any]
    result: dict[str, Any]


class TextState(RunState, total=False):
    """What the one-text graphs (paragraph, ask) hand their shared `finish` node."""

    text: str
    result: dict[str, Any]


class ParagraphState(TextState, total=False):
    query: str
    attempts: int
    hits: int
    sufficient: bool
    better_query: str
    relevant: list[int]
    block: str


class RewriteState(RunState, total=False):
    draft: str  # the latest attempt
    attempts: int
    text: str  # the best attempt so far (fewest number problems)
    missing: list[str]  # input numbers the best attempt lacks
    altered: list[str]  # numbers of the best attempt that are not the input's
    result: dict[str, Any]


class AskState(TextState, total=False):
    messages: Annotated[list[BaseMessage], operator.add]  # the conversation with the model, tools included
    tool_rounds: int
    tools_unsupported: bool  # no model of the route takes tools: the fixed plan answers
    companies: dict[str, Company | None]  # names the tools resolved so far
