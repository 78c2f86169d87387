from fastapi import APIRouter, Request, Response

from finscribe_gateway.auth.dependencies import CurrentUser
from finscribe_gateway.files.schemas import FileList, FileOut
from finscribe_gateway.state import StateDep

router = APIRouter(tags=["files"])


@router.post(
    "/v1/sessions/{session_id}/files",
    summary="Upload a PDF (indexed in RAG) or a CSV (kept for charts): multipart field `file`",
    response_model=FileOut,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
async def upload_file(session_id: str, request: Request, user: CurrentUser, state: StateDep) -> FileOut:
    return await state.file_service.upload(request, user, session_id)


@router.get("/v1/sessions/{session_id}/files", summary="The session's files", response_model=FileList)
async def list_files(session_id: str, user: CurrentUser, state: StateDep) -> FileList:
    return FileList(items=await state.file_service.list(user, session_id))


@router.delete(
    "/v1/sessions/{session_id}/files/{file_id}",
    summary="Delete a file and its vectors",
    status_code=204,
    response_class=Response,
)
async def delete_file(session_id: str, file_id: str, user: CurrentUser, state: StateDep) -> Response:
    await state.file_service.delete(user, session_id, file_id)
    return Response(status_code=204)
