"""The rag routes of API.md: ingest (multipart PDF or JSON text), query, delete."""

from collections.abc import AsyncGenerator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from finscribe_common.deps import service_dependency
from finscribe_common.errors import BadRequest, PayloadTooLarge, Unprocessable, UnsupportedMediaType
from finscribe_common.schemas import utc_now
from finscribe_rag.config import SettingsDep
from finscribe_rag.names import COLLECTION_RE, DOC_ID_RE, check_collection
from finscribe_rag.schemas import IngestResult, QueryRequest, QueryResponse, TextDocument
from finscribe_rag.service import RagService

router = APIRouter(prefix="/v1/collections", tags=["rag"])

FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the small text fields around the file
NAME_MAX = 255


# the name rules in the OpenAPI document (so clients and fuzzers know them); the check
# itself stays in names.py, which answers 422 `invalid_collection` / `invalid_doc_id`
Collection = Annotated[str, Path(json_schema_extra={"pattern": COLLECTION_RE.pattern, "minLength": 3, "maxLength": 63})]
DocId = Annotated[str, Path(json_schema_extra={"pattern": DOC_ID_RE.pattern, "minLength": 1, "maxLength": 128})]


ServiceDep = Annotated[RagService, Depends(service_dependency(RagService))]

_INGEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "doc_id"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "the PDF"},
                        "doc_id": {"type": "string", "description": "the gateway's file_id"},
                        "name": {"type": "string", "description": "file name shown in citations"},
                    },
                }
            },
            "application/json": {"schema": TextDocument.model_json_schema()},
        },
    }
}


async def _limited_body(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    """The request body, refused as soon as it passes `limit` (also without Content-Length)."""
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise PayloadTooLarge(f"the request body exceeds {limit / 1_048_576:.1f} MB", code="too_large")
        yield chunk


def _declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError as exc:
        raise BadRequest("invalid Content-Length header") from exc


@router.post(
    "/{collection}/documents",
    response_model=IngestResult,
    summary="Index a PDF (multipart `file`, `doc_id`, `name?`) or plain text (JSON); replaces the doc_id's chunks",
    openapi_extra=_INGEST_BODY,
)
async def ingest(collection: Collection, request: Request, service: ServiceDep, settings: SettingsDep) -> IngestResult:
    check_collection(collection)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    declared = _declared_length(request)
    if content_type == "multipart/form-data":
        limit = settings.max_pdf_bytes + FORM_OVERHEAD
        if declared is not None and declared > limit:
            raise PayloadTooLarge(
                f"the upload is {declared / 1_048_576:.1f} MB; the PDF limit is {settings.max_pdf_mb:g} MB",
                code="too_large",
            )
        return await _ingest_multipart(collection, request, service, limit)
    if content_type == "application/json":
        limit = settings.max_text_chars * 4 + FORM_OVERHEAD  # UTF-8 needs at most 4 bytes a character
        if declared is not None and declared > limit:
            raise PayloadTooLarge("the JSON body is too large", code="too_large")
        body = b"".join([chunk async for chunk in _limited_body(request, limit)])
        try:
            document = TextDocument.model_validate_json(body)
        except ValidationError as exc:
            details: list[dict[str, Any]] = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in exc.errors()]
            raise Unprocessable("invalid JSON document: " + details[0]["msg"], details=details) from exc
        return await service.ingest_text(collection, document.doc_id, document.text, document.metadata)
    raise UnsupportedMediaType(
        "send multipart/form-data with a PDF `file` and `doc_id`, or application/json {doc_id, text, metadata}"
    )


async def _ingest_multipart(collection: str, request: Request, service: RagService, limit: int) -> IngestResult:
    parser = MultiPartParser(request.headers, _limited_body(request, limit), max_files=1, max_fields=8)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise BadRequest(f"invalid multipart body: {exc.message}") from exc
    try:
        upload = form.get("file")
        doc_id = form.get("doc_id")
        name = form.get("name")
        if not isinstance(upload, UploadFile):
            raise Unprocessable("the multipart field `file` (the PDF) is missing", code="missing_file")
        if not isinstance(doc_id, str) or not doc_id.strip():
            raise Unprocessable("the multipart field `doc_id` is missing", code="missing_doc_id")
        if name is not None and not isinstance(name, str):
            raise Unprocessable("the multipart field `name` must be text", code="invalid_name")
        file_name = (name or upload.filename or "").strip()[:NAME_MAX] or None
        declared_type = (upload.content_type or "").lower()
        if declared_type and declared_type not in ("application/pdf", "application/x-pdf", "application/octet-stream"):
            raise UnsupportedMediaType(f"expected a PDF, got {declared_type}", code="not_a_pdf")
        data = await upload.read()
    finally:
        await form.close()
    return await service.ingest_pdf(collection, doc_id.strip(), data, file_name)


@router.post("/{collection}/query", response_model=QueryResponse, summary="Hybrid search, best first")
async def query(collection: Collection, body: QueryRequest, service: ServiceDep) -> QueryResponse:
    if not body.query.strip():
        raise Unprocessable("query must not be blank")
    hits = await service.query(collection, body)
    return QueryResponse(hits=hits, mode=body.mode, retrieved_at=utc_now())


@router.post(
    "/{collection}/reindex",
    summary="Embed every stored chunk again with the service's embedding model (after EMBEDDINGS changed)",
)
async def reindex(collection: Collection, service: ServiceDep) -> dict[str, Any]:
    return await service.reindex(collection)


@router.get("", summary="The names of every collection held (the gateway sweeps orphans with it)")
async def list_collections(service: ServiceDep) -> dict[str, list[str]]:
    return {"collections": await service.collections()}


@router.get("/{collection}", summary="What the collection holds, per document, in both indexes")
async def describe(collection: Collection, service: ServiceDep) -> dict:
    return await service.describe(collection)


@router.delete(
    "/{collection}/documents/{doc_id}",
    status_code=204,
    response_class=Response,
    summary="Remove a document's vectors and BM25 entries (204 also when already gone)",
)
async def delete_document(collection: Collection, doc_id: DocId, service: ServiceDep) -> Response:
    await service.delete_document(collection, doc_id)
    return Response(status_code=204)


@router.delete(
    "/{collection}",
    status_code=204,
    response_class=Response,
    summary="Remove the whole collection (204 also when already gone)",
)
async def delete_collection(collection: Collection, service: ServiceDep) -> Response:
    await service.delete_collection(collection)
    return Response(status_code=204)
