import datetime as dt
from typing import Literal

from pydantic import BaseModel

from finscribe_common.contract.runs import FileStatus

FileKind = Literal["pdf", "csv"]


class FileOut(BaseModel):
    file_id: str
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


def file_out(row: dict) -> FileOut:
    return FileOut(
        file_id=row["id"],
        name=row["name"],
        kind=row["kind"],
        bytes=row["bytes"],
        pages=row["pages"],
        rows=row["rows"],
        status=row["status"],
        status_reason=row["status_reason"],
        created_at=row["created_at"],
    )
