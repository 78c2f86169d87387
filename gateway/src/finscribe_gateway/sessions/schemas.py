import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from finscribe_gateway.files.schemas import FileOut
from finscribe_gateway.runs.schemas import RunSummary


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9_-]+$", description="the Google Doc id")
    title: str | None = Field(default=None, max_length=500)


class SessionOut(BaseModel):
    """Validated from a `db.rows.SessionRow` (`from_attributes`): the row's `id` is the `session_id`."""

    # the row's column is `id`; by name (`session_id=`) still validates
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    session_id: str = Field(validation_alias="id")
    doc_id: str
    title: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class SessionList(BaseModel):
    items: list[SessionOut]


class SessionDetail(SessionOut):
    files: list[FileOut]
    runs: list[RunSummary]
