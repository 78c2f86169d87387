import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from fastapi.responses import FileResponse

from finscribe_common.errors import NotFound, Unauthorized
from finscribe_common.middleware import INTERNAL_TOKEN_HEADER
from finscribe_gateway.files import repository as files_repository
from finscribe_gateway.state import StateDep

_MEDIA_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


async def require_internal_token(
    state: StateDep,
    token: Annotated[str | None, Header(alias=INTERNAL_TOKEN_HEADER)] = None,
) -> None:
    if token is None:
        raise Unauthorized("missing internal token")
    if not hmac.compare_digest(token.encode(), state.internal_token.encode()):
        raise Unauthorized("invalid internal token")


router = APIRouter(
    prefix="/internal/v1",
    tags=["internal"],
    dependencies=[Depends(require_internal_token)],
    include_in_schema=False,  # not part of the public API; nginx blocks /internal/
)


@router.get("/files/{file_id}/content", summary="An uploaded file's bytes (CSV as UTF-8), for the orchestrator")
async def file_content(file_id: str, state: StateDep) -> FileResponse:
    async with state.engine.connect() as conn:
        row = await files_repository.get_any(conn, file_id=file_id)
    if row is None:
        raise NotFound("file not found")
    path = state.file_storage.absolute(row.storage_path)
    if not path.exists():
        raise NotFound("the file's bytes are gone")
    return FileResponse(
        path,
        media_type=_MEDIA_TYPES.get(row.kind, "application/octet-stream"),
        filename=row.name,
        content_disposition_type="inline",
    )
