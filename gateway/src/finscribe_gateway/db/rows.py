"""Typed rows: what the repositories read from the tables in db/tables.py, validated once.

Response models are validated from these (`FileOut.model_validate(row, from_attributes=True)`),
so no hand-written mapper copies columns into them. Times are timezone-aware UTC datetimes
(db/types.UtcDateTime); JSON columns are dicts."""

import datetime as dt
from typing import Any, Self

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict


class Row(BaseModel):
    model_config = ConfigDict(frozen=True)

    @classmethod
    def of(cls, row: sa.Row[*tuple[Any, ...]]) -> Self:
        return cls.model_validate(dict(row._mapping))


class SessionRow(Row):
    id: str
    user_sub: str
    doc_id: str
    title: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class FileRow(Row):
    id: str
    session_id: str
    user_sub: str
    name: str
    kind: str
    bytes: int
    pages: int | None = None
    rows: int | None = None
    encoding: str | None = None
    sha256: str
    storage_path: str
    status: str
    status_reason: str | None = None
    chunks: int | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


class RunSummaryRow(Row):
    """The columns a run listing reads (`runs.repository.SUMMARY_COLUMNS`)."""

    id: str
    kind: str
    status: str
    prompt: str
    created_at: dt.datetime
    finished_at: dt.datetime | None = None
    usage: dict[str, Any] | None = None

    @property
    def cost_usd(self) -> float | None:
        """What the run's LLM calls cost in US dollars (`usage.cost_usd`); None before it ended."""
        cost = self.usage.get("cost_usd") if self.usage is not None else None
        return float(cost) if isinstance(cost, int | float) and not isinstance(cost, bool) else None


class RunRow(RunSummaryRow):
    session_id: str
    user_sub: str
    options: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    timings: dict[str, Any] | None = None
    owner: str | None = None
    heartbeat_at: dt.datetime | None = None
    review: dict[str, Any] | None = None
    expires_at: dt.datetime | None = None
    last_seq: int | None = None


class HistoryRow(Row):
    """A completed run handed to the next run as conversation history."""

    id: str
    kind: str
    prompt: str
    result: Any = None
    created_at: dt.datetime


class TemplateRow(Row):
    id: str
    user_sub: str
    name: str
    title: str
    content: Any = None  # a dict (description, title_en, figures_first, sections) when well-formed
    created_at: dt.datetime
    updated_at: dt.datetime
