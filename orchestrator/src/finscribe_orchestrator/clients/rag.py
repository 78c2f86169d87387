"""The rag service: hybrid search over the session's PDFs (one collection per user and session)."""

from typing import Any
from urllib.parse import quote

from finscribe_orchestrator.clients.base import ServiceCallError, ServiceClient


class RagClient(ServiceClient):
    async def query(self, collection: str, query: str, *, doc_ids: list[str], k: int = 6) -> list[dict]:
        """Hits from the given documents only (the session's PDFs); none asked, none searched.

        The filter is never optional: without it, rag searches the whole collection, which
        may still hold the vectors of a file deleted a moment ago."""
        if not doc_ids:
            return []
        body: dict[str, Any] = {"query": query, "k": k, "doc_ids": doc_ids}
        answer = await self.request_json("POST", f"/v1/collections/{quote(collection, safe='')}/query", json=body)
        hits = answer.get("hits") if isinstance(answer, dict) else None
        if not isinstance(hits, list):
            raise ServiceCallError(self.name, "bad_response", "answer lacks hits")
        return [h for h in hits if isinstance(h, dict) and isinstance(h.get("text"), str)]
