"""All Chroma access: one Chroma collection per gateway collection name.

Blocking calls (the embedded client is Rust behind a Python API); the service runs them
through run_blocking. The embedded client must have a single owning process: run one
worker, or point CHROMA_URL at a Chroma server (see the README).
"""

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from finscribe_common.errors import Conflict
from finscribe_rag.names import chroma_name, collection_from_chroma

logger = logging.getLogger("finscribe.rag.chroma")

EMBEDDING_KEY = "finscribe_embedding"
REINDEX_SUFFIX = ".reindex"  # the new copy while a collection is re-indexed (never a gateway name)


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

    def _conflict(self, stored: str) -> Conflict:
        return Conflict(
            f"this collection was indexed with embeddings '{stored}' but the service now uses "
            f"'{self.embedding_label}'; re-index it (POST /v1/collections/{{c}}/reindex embeds its stored "
            "chunks again) or delete it and upload the files again",
            code="embedding_mismatch",
            details={"indexed_with": stored, "service_uses": self.embedding_label},
        )

    def _checked(self, collection: Collection) -> Collection:
        stored = (collection.metadata or {}).get(EMBEDDING_KEY)
        if stored and stored != self.embedding_label:
            raise self._conflict(str(stored))
        return collection

    def _mismatch(self, exc: ValueError, collection: str) -> Conflict | None:
        """Chroma's own refusal (the stored function is another one) as our 409."""
        if "embedding function conflict" not in str(exc).lower():
            return None
        found = self.snapshot_label(collection)
        return self._conflict(found or "another model")

    def snapshot_label(self, collection: str) -> str | None:
        """The embedding label a collection records (read without our embedding function)."""
        try:
            found = self.client.get_collection(chroma_name(collection))
        except (NotFoundError, ValueError):
            return None
        label = (found.metadata or {}).get(EMBEDDING_KEY)
        return str(label) if label is not None else None

    def open(self, collection: str) -> Collection | None:
        try:
            found = self.client.get_collection(
                chroma_name(collection),
                # chromadb types the parameter EmbeddingFunction[Documents | Images] with a
                # contravariant parameter, so no text-only function (its own included) fits
                embedding_function=self.embedding_function,  # type: ignore[arg-type]
            )
        except (NotFoundError, ValueError) as exc:
            if isinstance(exc, NotFoundError) or "does not exist" in str(exc):
                return None
            conflict = self._mismatch(exc, collection)
            if conflict is not None:
                raise conflict from exc
            raise
        return self._checked(found)

    def open_or_create(self, collection: str) -> Collection:
        try:
            created = self.client.get_or_create_collection(
                chroma_name(collection),
                embedding_function=self.embedding_function,  # type: ignore[arg-type]  # as in open()
                metadata={EMBEDDING_KEY: self.embedding_label},
                configuration={"hnsw": {"space": "cosine"}},
            )
        except ValueError as exc:
            conflict = self._mismatch(exc, collection)
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
            vectors: Embeddings = [np.asarray(v, dtype=np.float32) for v in embeddings[start:end]]
            target.add(
                ids=ids[start:end],
                documents=texts[start:end],
                embeddings=vectors,
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
        query: Embeddings = [np.asarray(embedding, dtype=np.float32)]
        answer = target.query(
            query_embeddings=query,
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

    def snapshot(self, collection: str) -> tuple[str | None, list[StoredChunk]] | None:
        """(recorded embedding label, every chunk) whatever model indexed it; None if absent.

        Opened without our embedding function, so a collection of another model can be read
        (only read: Chroma's default function it then carries is never called).
        """
        try:
            found = self.client.get_collection(chroma_name(collection))
        except (NotFoundError, ValueError) as exc:
            if isinstance(exc, NotFoundError) or "does not exist" in str(exc):
                return None
            raise
        answer = found.get(include=["documents", "metadatas"])
        documents = answer.get("documents") or []
        metadatas = answer.get("metadatas") or []
        chunks = [StoredChunk(cid, documents[i] or "", dict(metadatas[i] or {})) for i, cid in enumerate(answer["ids"])]
        label = (found.metadata or {}).get(EMBEDDING_KEY)
        return (str(label) if label is not None else None), chunks

    def replace_collection(
        self, collection: str, chunks: Sequence[StoredChunk], embeddings: Sequence[np.ndarray]
    ) -> None:
        """Swap the collection for a copy of `chunks` with new vectors, under this store's model.

        The copy is written in full under a temporary name first, so a failure leaves the old
        collection whole; then the old one is deleted and the copy takes its name.
        """
        name = chroma_name(collection)
        temporary = name + REINDEX_SUFFIX
        old = self.client.get_collection(name)
        metadata = {**(old.metadata or {}), EMBEDDING_KEY: self.embedding_label}
        with contextlib.suppress(NotFoundError, ValueError):  # a copy left by an interrupted re-index
            self.client.delete_collection(temporary)
        copy = self.client.create_collection(
            temporary,
            embedding_function=self.embedding_function,  # type: ignore[arg-type]  # as in open()
            metadata=metadata,
            configuration={"hnsw": {"space": "cosine"}},
        )
        step = max(1, min(5000, self.client.get_max_batch_size()))
        for start in range(0, len(chunks), step):
            part = chunks[start : start + step]
            vectors: Embeddings = [np.asarray(v, dtype=np.float32) for v in embeddings[start : start + step]]
            copy.add(
                ids=[c.chunk_id for c in part],
                documents=[c.text for c in part],
                embeddings=vectors,
                metadatas=[c.metadata for c in part],
            )
        self.client.delete_collection(name)
        copy.modify(name=name)

    def heartbeat(self) -> None:
        self.client.heartbeat()


def _doc_filter(doc_ids: list[str] | None) -> dict[str, Any] | None:
    if doc_ids is None:
        return None
    if len(doc_ids) == 1:
        return {"doc_id": doc_ids[0]}
    return {"doc_id": {"$in": list(doc_ids)}}
