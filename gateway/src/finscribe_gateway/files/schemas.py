import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from finscribe_common.contract.runs import FileStatus

FileKind = Literal["pdf", "csv"]


class FileOut(BaseModel):
    """Validated from a `db.rows.FileRow` (`from_attributes`): the row's `id` is the `file_id`."""

    # the row's column is `id`; by name (`file_id=`) still validates
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    file_id: str = Field(validation_alias="id")
    name: str
    kind: FileKind
    bytes: int
    pages: int | None = None
    rows: int | None = None
    status: FileStatus
    status_reason: str | None = None
    created_at: dt.datetime


class FileList(BaseModel):
    items: list[FileOut]
