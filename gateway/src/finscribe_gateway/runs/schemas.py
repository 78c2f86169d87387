"""Response shapes of the runs API; the request (`RunCreate`) is the kit's run contract."""

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel

from finscribe_common.contract.runs import RunCreate, RunKind, RunResume

__all__ = ["RunCreate", "RunKind", "RunOut", "RunPage", "RunResume", "RunStatus", "RunSummary"]

RunStatus = Literal["running", "waiting", "completed", "failed", "cancelled"]


class RunSummary(BaseModel):
    run_id: str
    kind: RunKind
    status: RunStatus
    prompt: str
    created_at: dt.datetime
    finished_at: dt.datetime | None = None
    cost_usd: float | None = None
    """what the run's LLM calls cost (usage.cost_usd), for History; None before it ended"""


def _cost(usage: Any) -> float | None:
    cost = usage.get("cost_usd") if isinstance(usage, dict) else None
    return float(cost) if isinstance(cost, int | float) and not isinstance(cost, bool) else None


class RunOut(RunSummary):
    session_id: str
    options: dict[str, Any]
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    usage: dict[str, Any] | None = None
    timings: dict[str, Any] | None = None
    review: dict[str, Any] | None = None
    """while `waiting`: the outline awaiting review (the `outline.review` event's data)"""
    expires_at: dt.datetime | None = None
    """while `waiting`: when the wait ends (the run then fails with `review_expired`)"""


class RunPage(BaseModel):
    items: list[RunSummary]
    next_offset: int | None


def run_summary(row: dict[str, Any]) -> RunSummary:
    return RunSummary(
        run_id=row["id"],
        kind=row["kind"],
        status=row["status"],
        prompt=row["prompt"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        cost_usd=_cost(row.get("usage")),
    )


def run_out(row: dict[str, Any]) -> RunOut:
    return RunOut(
        run_id=row["id"],
        session_id=row["session_id"],
        kind=row["kind"],
        status=row["status"],
        prompt=row["prompt"],
        options=row["options"] or {},
        result=row["result"],
        error=row["error"],
        usage=row["usage"],
        cost_usd=_cost(row["usage"]),
        timings=row["timings"],
        review=row.get("review") if row["status"] == "waiting" else None,
        expires_at=row.get("expires_at") if row["status"] == "waiting" else None,
        created_at=row["created_at"],
        finished_at=row["finished_at"],
    )
