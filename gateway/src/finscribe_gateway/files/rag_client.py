"""Calls to the rag service: index a PDF, drop a document, drop a session's collection."""

import hashlib
import re
from pathlib import Path
from typing import Any

import httpx

from finscribe_common.envelope import response_error
from finscribe_common.errors import ApiError, Unavailable, UpstreamError, UpstreamTimeout
from finscribe_common.threads import run_blocking


def collection_name(user_sub: str, session_id: str) -> str:
    """`u<16 hex of sha256(sub)>-s<session hex>`: the contract rag validates."""
    digest = hashlib.sha256(user_sub.encode()).hexdigest()[:16]
    return f"u{digest}-s{session_id.lower()}"


_COLLECTION_RE = re.compile(r"^u[0-9a-f]{16}-s([0-9a-f]{32})$")


def session_of_collection(name: str) -> str | None:
    """The session id inside a name `collection_name` made; None for any other name."""
    match = _COLLECTION_RE.fullmatch(name)
    return match.group(1) if match else None


class RagError(Exception):
    """Why indexing failed, in words fit for the file's `status_reason`."""


class RagIndexClient:
    def __init__(self, client: httpx.AsyncClient, *, ingest_timeout_s: float) -> None:
        self._client = client
        self._ingest_timeout = ingest_timeout_s

    async def index_pdf(self, *, collection: str, doc_id: str, name: str, path: Path) -> dict[str, Any]:
        data = await run_blocking(path.read_bytes, timeout=30, pool="files")
        try:
            response = await self._client.post(
                f"/v1/collections/{collection}/documents",
                files={"file": (name, data, "application/pdf")},
                data={"doc_id": doc_id, "name": name},
                timeout=httpx.Timeout(self._ingest_timeout, connect=3.0),
            )
        except httpx.TimeoutException as exc:
            raise RagError("the rag service did not finish indexing in time") from exc
        except httpx.HTTPError as exc:
            raise RagError(f"the rag service is unreachable ({type(exc).__name__})") from exc
        if response.status_code >= 400:
            raise RagError(f"the rag service refused the PDF: {_error_message(response)}")
        try:
            return response.json()
        except ValueError as exc:
            raise RagError("the rag service answered with invalid JSON") from exc

    async def collections(self) -> list[str]:
        """Every collection rag holds (GET /v1/collections)."""
        answer = await self._get_json("/v1/collections")
        names = answer.get("collections")
        if not isinstance(names, list):
            raise UpstreamError("rag: the collection list is malformed")
        return [n for n in names if isinstance(n, str)]

    async def chunk_counts(self, *, collection: str) -> dict[str, int]:
        """Chunks per document id in the collection (GET /v1/collections/{c}); {} when unknown."""
        answer = await self._get_json(f"/v1/collections/{collection}")
        counts: dict[str, int] = {}
        for doc in answer.get("documents") or []:
            if isinstance(doc, dict) and isinstance(doc.get("doc_id"), str) and isinstance(doc.get("chunks"), int):
                counts[doc["doc_id"]] = doc["chunks"]
        return counts

    async def _get_json(self, path: str) -> dict[str, Any]:
        response = await self._call("GET", path)
        if response.status_code >= 400:
            raise _as_api_error(response)
        try:
            body = response.json()
        except ValueError as exc:
            raise UpstreamError("rag: the answer is not JSON") from exc
        if not isinstance(body, dict):
            raise UpstreamError("rag: the answer is not a JSON object")
        return body

    async def _call(self, method: str, path: str) -> httpx.Response:
        try:
            return await self._client.request(method, path)
        except httpx.TimeoutException as exc:
            raise UpstreamTimeout("the rag service did not answer in time; try again") from exc
        except httpx.HTTPError as exc:
            raise Unavailable("the rag service is unreachable; try again later") from exc

    async def delete_document(self, *, collection: str, doc_id: str) -> None:
        await self._delete(f"/v1/collections/{collection}/documents/{doc_id}")

    async def delete_collection(self, *, collection: str) -> None:
        await self._delete(f"/v1/collections/{collection}")

    async def _delete(self, path: str) -> None:
        response = await self._call("DELETE", path)
        # already gone is what we wanted
        if response.status_code == 404 or response.status_code < 300:
            return
        raise _as_api_error(response)


def _error_message(response: httpx.Response) -> str:
    error = response_error(response)
    return error.message if error is not None else f"HTTP {response.status_code}"


def _as_api_error(response: httpx.Response) -> ApiError:
    message = f"rag: {_error_message(response)}"
    if response.status_code == 503:
        return Unavailable(message)
    if response.status_code == 504:
        return UpstreamTimeout(message)
    return UpstreamError(message)
