"""Response shapes of the runs API; the request (`RunCreate`) is the kit's run contract."""

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from finscribe_common.contract.runs import RunCreate, RunKind, RunResume

__all__ = ["RunCreate", "RunKind", "RunOut", "RunPage", "RunResume", "RunStatus", "RunSummary"]

RunStatus = Literal["running", "waiting", "completed", "failed", "cancelled"]


class RunSummary(BaseModel):
    """Validated from a `db.rows.RunSummaryRow` or `RunRow` (`from_attributes`): the row's `id`
    is the `run_id`."""

    # the row's column is `id`; by name (`run_id=`) still validates
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    run_id: str = Field(validation_alias="id")
    kind: RunKind
    status: RunStatus
    prompt: str
    created_at: dt.datetime
    finished_at: dt.datetime | None = None
    cost_usd: float | None = None
    """what the run's LLM calls cost (usage.cost_usd), for History; None before it ended
    (read from the row's `cost_usd` property)"""


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

    @field_validator("options", mode="before")
    @classmethod
    def _no_options(cls, value: object) -> object:
        return {} if value is None else value

    @model_validator(mode="after")
    def _review_only_while_waiting(self) -> "RunOut":
        # a row keeps its last review after the wait ends; the API shows it only while waiting
        if self.status != "waiting":
            self.review = None
            self.expires_at = None
        return self


class RunPage(BaseModel):
    items: list[RunSummary]
    next_offset: int | None
