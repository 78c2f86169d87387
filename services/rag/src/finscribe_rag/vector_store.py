"""All Chroma access: one Chroma collection per gateway collection name.

Blocking calls (the embedded client is Rust behind a Python API); the service runs them
through run_blocking. The embedded client must have a single owning process: run one
worker, or point CHROMA_URL at a Chroma server (see the README).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from finscribe_common.errors import Conflict
from finscribe_rag.names import chroma_name, collection_from_chroma

logger = logging.getLogger("finscribe.rag.chroma")

EMBEDDING_KEY = "finscribe_embedding"


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    text: str
    metadata: dict[str, Any]
    similarity: float | None = None  # cosine similarity for dense hits


def build_client(chroma_path: str, chroma_url: str | None) -> ClientAPI:
    # Telemetry off: an internal service must not phone home, and it needs no network.
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        parts = urlsplit(chroma_url)
        ssl = parts.scheme == "https"
        return chromadb.HttpClient(
            host=parts.hostname or "localhost", port=parts.port or (443 if ssl else 8000), ssl=ssl, settings=settings
        )
    return chromadb.PersistentClient(path=chroma_path, settings=settings)


class VectorStore:
    def __init__(
        self, client: ClientAPI, embedding_function: EmbeddingFunction[Documents], embedding_label: str
    ) -> None:
        self.client = client
        self.embedding_function = embedding_function
        self.embedding_label = embedding_label

    def _checked(self, collection: Collection) -> Collection:
        stored = (collection.metadata or {}).get(EMBEDDING_KEY)
        if stored and stored != self.embedding_label:
            raise Conflict(
                f"this collection was indexed with embeddings '{stored}' but the service now uses "
                f"'{self.embedding_label}'; delete it and upload the files again",
                code="embedding_mismatch",
            )
        return collection

    def _mismatch(self, exc: ValueError) -> Conflict | None:
        if "embedding function conflict" not in str(exc).lower():
            return None
        return Conflict(
            f"this collection was indexed with another embedding model than the service's "
            f"'{self.embedding_label}'; delete it and upload the files again",
            code="embedding_mismatch",
        )

    def open(self, collection: str) -> Collection | None:
        try:
            found = self.client.get_collection(chroma_name(collection), embedding_function=self.embedding_function)
        except (NotFoundError, ValueError) as exc:
            if isinstance(exc, NotFoundError) or "does not exist" in str(exc):
                return None
            conflict = self._mismatch(exc)
            if conflict is not None:
                raise conflict from exc
            raise
        return self._checked(found)

    def open_or_create(self, collection: str) -> Collection:
        try:
            created = self.client.get_or_create_collection(
                chroma_name(collection),
                embedding_function=self.embedding_function,
                metadata={EMBEDDING_KEY: self.embedding_label},
                configuration={"hnsw": {"space": "cosine"}},
            )
        except ValueError as exc:
            conflict = self._mismatch(exc)
            if conflict is not None:
                raise conflict from exc
            raise
        return self._checked(created)

    def replace_document(
        self,
        collection: str,
        doc_id: str,
        ids: list[str],
        texts: list[str],
        embeddings: Sequence[np.ndarray],
        metadatas: list[dict[str, Any]],
    ) -> None:
        target = self.open_or_create(collection)
        target.delete(where={"doc_id": doc_id})
        # Chroma caps one call's batch size; large documents go in slices.
        step = max(1, min(5000, self.client.get_max_batch_size()))
        for start in range(0, len(ids), step):
            end = start + step
            target.add(
                ids=ids[start:end],
                documents=texts[start:end],
                embeddings=[np.asarray(v, dtype=np.float32) for v in embeddings[start:end]],
                metadatas=metadatas[start:end],  # type: ignore[arg-type]
            )

    def delete_document(self, collection: str, doc_id: str) -> None:
        target = self.open(collection)
        if target is not None:
            target.delete(where={"doc_id": doc_id})

    def delete_collection(self, collection: str) -> None:
        try:
            self.client.delete_collection(chroma_name(collection))
        except (NotFoundError, ValueError) as exc:
            if isinstance(exc, NotFoundError) or "does not exist" in str(exc):
                return
            raise

    def collections(self) -> list[str]:
        """The gateway names of every collection held (for the gateway's orphan sweep)."""
        names = (collection_from_chroma(c.name) for c in self.client.list_collections())
        return sorted(n for n in names if n is not None)

    def chunk_counts(self, collection: str) -> dict[str, int]:
        target = self.open(collection)
        if target is None:
            return {}
        counts: dict[str, int] = {}
        for meta in target.get(include=["metadatas"]).get("metadatas") or []:
            doc_id = str((meta or {}).get("doc_id", ""))
            counts[doc_id] = counts.get(doc_id, 0) + 1
        return counts

    def query(
        self, collection: str, embedding: np.ndarray, n: int, doc_ids: list[str] | None = None
    ) -> list[StoredChunk]:
        target = self.open(collection)
        if target is None or n <= 0:
            return []
        where = _doc_filter(doc_ids)
        answer = target.query(
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=n,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        ids = answer["ids"][0]
        documents = (answer.get("documents") or [[]])[0] or []
        metadatas = (answer.get("metadatas") or [[]])[0] or []
        distances = (answer.get("distances") or [[]])[0] or []
        return [
            StoredChunk(cid, documents[i] or "", dict(metadatas[i] or {}), 1.0 - float(distances[i]))
            for i, cid in enumerate(ids)
        ]

    def get(self, collection: str, ids: list[str]) -> dict[str, StoredChunk]:
        target = self.open(collection)
        if target is None or not ids:
            return {}
        answer = target.get(ids=ids, include=["documents", "metadatas"])
        documents = answer.get("documents") or []
        metadatas = answer.get("metadatas") or []
        return {
            cid: StoredChunk(cid, documents[i] or "", dict(metadatas[i] or {})) for i, cid in enumerate(answer["ids"])
        }

    def all_chunks(self, collection: str) -> list[StoredChunk]:
        """Every chunk with its text (to rebuild a lost BM25 file from Chroma)."""
        target = self.open(collection)
        if target is None:
            return []
        answer = target.get(include=["documents", "metadatas"])
        documents = answer.get("documents") or []
        metadatas = answer.get("metadatas") or []
        return [StoredChunk(cid, documents[i] or "", dict(metadatas[i] or {})) for i, cid in enumerate(answer["ids"])]

    def heartbeat(self) -> None:
        self.client.heartbeat()


def _doc_filter(doc_ids: list[str] | None) -> dict[str, Any] | None:
    if doc_ids is None:
        return None
    if len(doc_ids) == 1:
        return {"doc_id": doc_ids[0]}
    return {"doc_id": {"$in": list(doc_ids)}}
