"""Ingest, search and delete: PDF -> pages -> clean blocks -> chunks -> (vectors, BM25 terms).

Every blocking step (PDF parsing, Kiwi, the embedding model, Chroma, BM25) runs through
run_blocking in its own pool with a deadline. Writes to one collection are serialised by
an asyncio lock so Chroma and BM25 always describe the same chunks; reads take no lock.
"""

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from finscribe_common.errors import NotFound, Unprocessable
from finscribe_common.schemas import utc_now
from finscribe_common.threads import run_blocking, thread_pool
from finscribe_rag import finance_terms, tokens
from finscribe_rag.bm25_store import TERMS_KEY, Bm25Store, terms_field
from finscribe_rag.chunking import Chunk, chunk_pages, embedding_text
from finscribe_rag.cleaning import document_blocks
from finscribe_rag.config import RagSettings
from finscribe_rag.embeddings import embed
from finscribe_rag.fusion import CANDIDATES, PAGES_FIRST, fuse, pages_first
from finscribe_rag.names import check_collection, check_doc_id
from finscribe_rag.pdf import read_pdf
from finscribe_rag.schemas import Hit, HitScores, IngestResult, MetadataValue, QueryRequest, UploadSource
from finscribe_rag.vector_store import StoredChunk, VectorStore

logger = logging.getLogger("finscribe.rag")

INGEST_POOL = "rag-ingest"  # parsing, tokenising and embedding uploads: one at a time
QUERY_POOL = "rag-query"  # query embedding, Chroma and BM25 reads
STORE_POOL = "rag-store"  # Chroma and BM25 writes
EMBED_BATCH = 32  # small batches let query embeddings interleave with a long ingest
RESERVED_META = frozenset(
    {"doc_id", "page", "position", "kind", "section", "name", "dataset", "ingested_at", "statement_terms"}
)
TERMS_META = "statement_terms"  # a statement table's question vocabulary: embedded again on re-index
USER_META_PREFIX = "m_"


@contextlib.contextmanager
def _lap(timings: dict[str, float], step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = round(timings.get(step, 0.0) + time.perf_counter() - started, 4)


class RagService:
    def __init__(self, settings: RagSettings, vectors: VectorStore, bm25: Bm25Store) -> None:
        self.settings = settings
        self.vectors = vectors
        self.bm25 = bm25
        self._locks: dict[str, asyncio.Lock] = {}
        thread_pool(INGEST_POOL, max_workers=1)
        thread_pool(QUERY_POOL, max_workers=4)
        thread_pool(STORE_POOL, max_workers=2)

    def _lock(self, collection: str) -> asyncio.Lock:
        return self._locks.setdefault(collection, asyncio.Lock())

    # ---- ingest -------------------------------------------------------------------------

    async def ingest_pdf(self, collection: str, doc_id: str, data: bytes, name: str | None) -> IngestResult:
        check_collection(collection)
        check_doc_id(doc_id)
        timings: dict[str, float] = {}
        with _lap(timings, "parse"):
            parsed = await run_blocking(
                read_pdf,
                data,
                max_bytes=self.settings.max_pdf_bytes,
                max_text_chars=self.settings.max_text_chars,
                parse_timeout_s=self.settings.pdf_parse_timeout_s,
                timeout=self.settings.ingest_timeout_s,
                pool=INGEST_POOL,
                what="reading the PDF",
            )
        with _lap(timings, "chunk"):
            blocks = await run_blocking(
                document_blocks, parsed.pages, timeout=self.settings.ingest_timeout_s, pool=INGEST_POOL
            )
            chunks = chunk_pages(blocks, target=self.settings.chunk_chars, overlap=self.settings.chunk_overlap)
        empty = [i + 1 for i, page in enumerate(blocks) if not page]
        await self.index_chunks(collection, doc_id, chunks, name=name or parsed.title, dataset="pdf", timings=timings)
        return IngestResult(
            doc_id=doc_id, chunks=len(chunks), pages=len(parsed.pages), name=name, empty_pages=empty, timings=timings
        )

    async def ingest_text(
        self, collection: str, doc_id: str, text: str, metadata: dict[str, MetadataValue]
    ) -> IngestResult:
        check_collection(collection)
        check_doc_id(doc_id)
        if len(text) > self.settings.max_text_chars:
            raise Unprocessable(
                f"text is {len(text):,} characters; the limit is {self.settings.max_text_chars:,}", code="too_large"
            )
        first_page = metadata.get("page", 1)
        if not isinstance(first_page, int) or isinstance(first_page, bool) or first_page < 1:
            raise Unprocessable("metadata.page must be a positive integer", code="invalid_metadata")
        name = metadata.get("name")
        pages = text.split("\f")
        blocks = [document_blocks([page], markdown=True)[0] for page in pages]
        chunks = chunk_pages(
            blocks, target=self.settings.chunk_chars, overlap=self.settings.chunk_overlap, first_page=first_page
        )
        if not chunks:
            raise Unprocessable("the text has no words to index", code="empty_text")
        extra = {f"{USER_META_PREFIX}{k}": v for k, v in metadata.items() if k not in RESERVED_META}
        timings: dict[str, float] = {}
        await self.index_chunks(
            collection,
            doc_id,
            chunks,
            name=str(name) if name is not None else None,
            dataset="text",
            extra=extra,
            timings=timings,
        )
        empty = [first_page + i for i, page in enumerate(blocks) if not page]
        return IngestResult(
            doc_id=doc_id,
            chunks=len(chunks),
            pages=len(pages),
            name=str(name) if name is not None else None,
            empty_pages=empty,
            timings=timings,
        )

    async def analyse(
        self, chunks: Sequence[Chunk], timings: dict[str, float]
    ) -> tuple[list[list[str]], list[np.ndarray]]:
        """The BM25 terms (Kiwi, of `chunk.indexed`) and the vector (the embedding model, of
        `chunk.embedded`: a table's short rendering) of each chunk, in order.

        Runs in the ingest pool with the ingest deadline; `timings` gains `tokenize` and
        `embed` (seconds)."""
        timeout = self.settings.ingest_timeout_s
        with _lap(timings, "tokenize"):
            terms = await run_blocking(
                tokens.tokenize_many, [c.indexed for c in chunks], timeout=timeout, pool=INGEST_POOL, what="tokenising"
            )
        return terms, await self.embed_passages([c.embedded for c in chunks], timings)

    async def embed_passages(self, texts: Sequence[str], timings: dict[str, float]) -> list[np.ndarray]:
        """Vectors of `texts` as passages, in batches of EMBED_BATCH on the ingest pool (so query
        embeddings interleave); `timings` gains `embed` (seconds)."""
        timeout = self.settings.ingest_timeout_s
        vectors: list[np.ndarray] = []
        for start in range(0, len(texts), EMBED_BATCH):
            with _lap(timings, "embed"):
                vectors += await run_blocking(
                    embed,
                    self.vectors.embedding_function,
                    list(texts[start : start + EMBED_BATCH]),
                    timeout=timeout,
                    pool=INGEST_POOL,
                    what="embedding",
                )
        return vectors

    async def index_chunks(
        self,
        collection: str,
        doc_id: str,
        chunks: Sequence[Chunk],
        *,
        name: str | None,
        dataset: str,
        extra: dict[str, MetadataValue] | None = None,
        timings: dict[str, float] | None = None,
    ) -> None:
        """Replace the document's chunks in both indexes (ingest is idempotent per doc_id)."""
        if not chunks:
            raise Unprocessable("the document has no text to index", code="pdf_no_text")
        timeout = self.settings.ingest_timeout_s
        timings = timings if timings is not None else {}
        # Headings are metadata: prepended to every chunk under them they outweighed the
        # text on filings, where one heading covers pages (see the README's evaluation).
        terms, vectors = await self.analyse(chunks, timings)
        ingested_at = utc_now().isoformat()
        ids = [f"{doc_id}#{c.position:05d}" for c in chunks]
        metadatas: list[dict[str, Any]] = []
        for chunk, chunk_terms in zip(chunks, terms, strict=True):
            meta: dict[str, Any] = {
                TERMS_KEY: terms_field(chunk_terms),  # BM25 lives with the chunk in Chroma
                "doc_id": doc_id,
                "page": chunk.page,
                "position": chunk.position,
                "kind": chunk.kind,
                "dataset": dataset,
                "ingested_at": ingested_at,
                **(extra or {}),
            }
            if chunk.section:
                meta["section"] = chunk.section
            if chunk.terms:
                meta[TERMS_META] = chunk.terms
            if name:
                meta["name"] = name
            metadatas.append(meta)

        async with self._lock(collection):
            with _lap(timings, "store"):
                await run_blocking(
                    self.vectors.replace_document,
                    collection,
                    doc_id,
                    ids,
                    [c.text for c in chunks],
                    vectors,
                    metadatas,
                    timeout=timeout,
                    pool=STORE_POOL,
                    what="writing to Chroma",
                )
                try:
                    # every replica's BM25 index rebuilds from Chroma when it sees the new version
                    await run_blocking(
                        self.bm25.mark_changed,
                        collection,
                        timeout=timeout,
                        pool=STORE_POOL,
                        what="publishing the BM25 change",
                    )
                except Exception:
                    # Keep both indexes in step: a document other replicas cannot see in BM25 is removed.
                    await run_blocking(
                        self.vectors.delete_document, collection, doc_id, timeout=timeout, pool=STORE_POOL
                    )
                    raise
        logger.info("indexed %s/%s: %d chunks", collection, doc_id, len(chunks), extra={"timings": timings})

    async def reindex(self, collection: str) -> dict[str, Any]:
        """Embed every stored chunk again with the service's model (after EMBEDDINGS changed).

        Reads the chunks (text, metadata, BM25 terms) whatever model indexed them, embeds the
        same indexed text as at ingest, and swaps the collection for the new copy; BM25 terms
        are kept. Answer: {collection, chunks, embedding, previous, timings}. 404 `not_found`
        when the collection does not exist.
        """
        check_collection(collection)
        timeout = self.settings.ingest_timeout_s
        timings: dict[str, float] = {}
        async with self._lock(collection):
            with _lap(timings, "read"):
                found = await run_blocking(
                    self.vectors.snapshot, collection, timeout=timeout, pool=STORE_POOL, what="reading Chroma"
                )
            if found is None:
                raise NotFound(f"collection {collection} does not exist", code="not_found")
            previous, chunks = found
            vectors = await self.embed_passages([_embedded_text(c) for c in chunks], timings)
            with _lap(timings, "store"):
                await run_blocking(
                    self.vectors.replace_collection,
                    collection,
                    chunks,
                    vectors,
                    timeout=timeout,
                    pool=STORE_POOL,
                    what="writing to Chroma",
                )
                await run_blocking(self.bm25.mark_changed, collection, timeout=timeout, pool=STORE_POOL)
        logger.info(
            "re-indexed %s: %d chunks, %s -> %s", collection, len(chunks), previous, self.vectors.embedding_label
        )
        return {
            "collection": collection,
            "chunks": len(chunks),
            "embedding": self.vectors.embedding_label,
            "previous": previous,
            "timings": timings,
        }

    # ---- delete -------------------------------------------------------------------------

    async def delete_document(self, collection: str, doc_id: str) -> None:
        check_collection(collection)
        check_doc_id(doc_id)
        timeout = self.settings.ingest_timeout_s
        async with self._lock(collection):
            await run_blocking(self.vectors.delete_document, collection, doc_id, timeout=timeout, pool=STORE_POOL)
            await run_blocking(self.bm25.mark_changed, collection, timeout=timeout, pool=STORE_POOL)

    async def delete_collection(self, collection: str) -> None:
        check_collection(collection)
        timeout = self.settings.ingest_timeout_s
        async with self._lock(collection):
            await run_blocking(self.vectors.delete_collection, collection, timeout=timeout, pool=STORE_POOL)
            await run_blocking(self.bm25.drop, collection, timeout=timeout, pool=STORE_POOL)
        self._locks.pop(collection, None)

    async def collections(self) -> list[str]:
        return await run_blocking(
            self.vectors.collections, timeout=self.settings.query_timeout_s, pool=QUERY_POOL, what="Chroma"
        )

    async def describe(self, collection: str) -> dict[str, Any]:
        """Chunk counts per document in Chroma and in BM25 (they must agree)."""
        check_collection(collection)
        timeout = self.settings.query_timeout_s
        stored = await run_blocking(self.vectors.chunk_counts, collection, timeout=timeout, pool=QUERY_POOL)
        bm25 = await run_blocking(self.bm25.get, collection, timeout=timeout, pool=QUERY_POOL)
        sparse: dict[str, int] = {}
        for doc_id in bm25.doc_ids():
            sparse[doc_id] = sparse.get(doc_id, 0) + 1
        documents = sorted(set(stored) | set(sparse))
        return {
            "collection": collection,
            "documents": [
                {"doc_id": d, "chunks": stored.get(d, 0), "bm25_chunks": sparse.get(d, 0)} for d in documents
            ],
            "chunks": sum(stored.values()),
            "bm25_chunks": sum(sparse.values()),
        }

    # ---- search -------------------------------------------------------------------------

    async def dense_candidates(
        self, collection: str, query: str, n: int, doc_ids: list[str] | None
    ) -> list[StoredChunk]:
        """The `n` chunks nearest to `query`'s embedding, nearest first (the query text as given)."""
        timeout = self.settings.query_timeout_s
        vector = await run_blocking(
            embed,
            self.vectors.embedding_function,
            [query],
            query=True,
            timeout=timeout,
            pool=QUERY_POOL,
            what="embedding",
        )
        return await run_blocking(
            self.vectors.query, collection, vector[0], n, doc_ids, timeout=timeout, pool=QUERY_POOL, what="Chroma"
        )

    async def bm25_candidates(
        self, collection: str, query: str, n: int, doc_ids: list[str] | None
    ) -> list[tuple[str, float]]:
        """(chunk_id, BM25 score) of the `n` best chunks for `query`'s Kiwi tokens, best first."""
        timeout = self.settings.query_timeout_s
        terms = await run_blocking(tokens.tokenize, query, timeout=timeout, pool=QUERY_POOL, what="tokenising")
        bm25 = await run_blocking(self.bm25.get, collection, timeout=timeout, pool=QUERY_POOL, what="BM25 index")
        return await run_blocking(bm25.search, terms, n, doc_ids, timeout=timeout, pool=QUERY_POOL, what="BM25")

    async def query(self, collection: str, request: QueryRequest) -> list[Hit]:
        check_collection(collection)
        if request.k > self.settings.max_k:
            raise Unprocessable(f"k must be at most {self.settings.max_k}", code="validation_error")
        doc_ids = [check_doc_id(d) for d in request.doc_ids] if request.doc_ids is not None else None
        if doc_ids is not None and not doc_ids:
            return []
        # A fixed depth, not one that grows with k: the top of the list must not depend on k.
        n = max(CANDIDATES, request.k)
        dense: list[StoredChunk] = []
        sparse: list[tuple[str, float]] = []
        # A ratio the question names brings the line items it is computed from (finance_terms).
        dense_query = finance_terms.expand(request.query, finance_terms.EXPAND_DENSE)
        bm25_query = finance_terms.expand(request.query, finance_terms.EXPAND_BM25)
        if request.mode == "hybrid":
            dense, sparse = await asyncio.gather(
                self.dense_candidates(collection, dense_query, n, doc_ids),
                self.bm25_candidates(collection, bm25_query, n, doc_ids),
            )
        elif request.mode == "dense":
            dense = await self.dense_candidates(collection, dense_query, n, doc_ids)
        else:
            sparse = await self.bm25_candidates(collection, bm25_query, n, doc_ids)

        known = {c.chunk_id: c for c in dense}
        bm25_scores = dict(sparse)
        fused = fuse({"dense": [c.chunk_id for c in dense], "bm25": [cid for cid, _ in sparse]})
        # Pages of every candidate (BM25's are not in hand), for one passage per page first;
        # the order depends on the candidate lists only, never on k.
        wanted = fused if PAGES_FIRST else fused[: request.k]
        missing = [f.chunk_id for f in wanted if f.chunk_id not in known]
        if missing:
            known.update(
                await run_blocking(
                    self.vectors.get, collection, missing, timeout=self.settings.query_timeout_s, pool=QUERY_POOL
                )
            )
        if PAGES_FIRST:
            # a chunk deleted between the two reads is left out before the cut, so k hits still come back
            fused = [f for f in fused if f.chunk_id in known]
            by_id = {f.chunk_id: f for f in fused}
            page_of = {cid: (c.metadata.get("doc_id"), c.metadata.get("page")) for cid, c in known.items()}
            fused = [by_id[cid] for cid in pages_first([f.chunk_id for f in fused], page_of)]
        top = fused[: request.k]
        retrieved_at = utc_now()
        hits: list[Hit] = []
        for item in top:
            stored = known.get(item.chunk_id)
            if stored is None:  # deleted between the two reads
                continue
            if request.mode == "dense":
                score = stored.similarity or 0.0
            elif request.mode == "bm25":
                score = bm25_scores.get(item.chunk_id, 0.0)
            else:
                score = item.score
            hits.append(_hit(stored, score, item.ranks, bm25_scores.get(item.chunk_id), retrieved_at))
        return hits


def _embedded_text(stored: StoredChunk) -> str:
    """What ingest embedded for a stored chunk (`chunking.embedding_text`)."""
    meta = stored.metadata
    return embedding_text(stored.text, str(meta.get("kind", "text")), str(meta.get(TERMS_META) or ""))


def _hit(
    stored: StoredChunk, score: float, ranks: dict[str, int], bm25: float | None, retrieved_at: dt.datetime
) -> Hit:
    meta = stored.metadata
    ingested = str(meta.get("ingested_at") or retrieved_at.isoformat())
    try:
        as_of = dt.datetime.fromisoformat(ingested).date()
    except ValueError:
        as_of = retrieved_at.date()
    name = meta.get("name")
    return Hit(
        doc_id=str(meta.get("doc_id", "")),
        chunk_id=stored.chunk_id,
        text=stored.text,
        page=int(meta.get("page", 1)),
        score=round(float(score), 6),
        source=UploadSource(
            provider="upload",
            dataset=str(meta.get("dataset", "pdf")),
            url=None,
            as_of=as_of,
            retrieved_at=retrieved_at,
            name=str(name) if name is not None else None,
        ),
        section=str(meta["section"]) if meta.get("section") else None,
        position=int(meta.get("position", 0)),
        scores=HitScores(
            dense=round(stored.similarity, 6) if stored.similarity is not None else None,
            bm25=round(bm25, 6) if bm25 is not None else None,
            dense_rank=ranks.get("dense"),
            bm25_rank=ranks.get("bm25"),
        ),
        metadata={k[len(USER_META_PREFIX) :]: v for k, v in meta.items() if k.startswith(USER_META_PREFIX)},
    )
