"""The state of each graph, one TypedDict per graph, typed once for the graphs and their nodes.

LangGraph reads a node's first parameter annotation as that node's input schema: a node typed
with its graph's state reads every channel of it, a node typed with a narrower state (the shared
company nodes, a section task sent by `Send`) reads only that.
"""

import operator
from typing import Annotated, Any, TypedDict


class CompanyState(TypedDict, total=False):
    """What the shared company nodes (`resolve`, `gather`) write, in draft and chart."""

    company: dict[str, Any] | None
    datasets: list[str]


class DraftState(CompanyState, total=False):
    title: str
    outline: list[dict[str, Any]]
    sections: Annotated[list[dict[str, Any]], operator.add]
    charts: list[dict[str, Any]]
    result: dict[str, Any]
    # warnings and LLM usage of finished nodes, kept in the checkpoint for a resumed run (durable/carry.py)
    carried: Annotated[list[dict[str, Any]], operator.add]


class SectionTask(TypedDict):
    """What draft's fan-out sends to each `write_section`: one outline section (with `total` and
    `report_title` added)."""

    section: dict[str, Any]


class ChartState(CompanyState, total=False):
    profile: str
    columns: list[dict[str, Any]]
    spec: dict[str, Any]
    result: dict[str, Any]


class ParagraphState(TypedDict, total=False):
    query: str
    attempts: int
    hits: int
    sufficient: bool
    better_query: str
    relevant: list[int]
    text: str
    block: str
    result: dict[str, Any]


class RewriteState(TypedDict, total=False):
    result: dict[str, Any]


class AskState(TypedDict, total=False):
    text: str
    result: dict[str, Any]
