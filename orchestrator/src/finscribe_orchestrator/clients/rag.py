"""The rag service: hybrid search over the session's PDFs (one collection per user and session)."""

from typing import Any
from urllib.parse import quote

from finscribe_orchestrator.clients.base import ServiceCallError, ServiceClient


class RagClient(ServiceClient):
    async def query(self, collection: str, query: str, k: int = 6, doc_ids: list[str] | None = None) -> list[dict]:
        body: dict[str, Any] = {"query": query, "k": k}
        if doc_ids:
            body["doc_ids"] = doc_ids
        answer = await self.request_json("POST", f"/v1/collections/{quote(collection, safe='')}/query", json=body)
        hits = answer.get("hits") if isinstance(answer, dict) else None
        if not isinstance(hits, list):
            raise ServiceCallError(self.name, "bad_response", "answer lacks hits")
        return [h for h in hits if isinstance(h, dict) and isinstance(h.get("text"), str)]
