"""BM25 over Korean tokens, one in-memory index per collection, its terms stored in Chroma.

The durable state is each chunk's token list, kept with the chunk in Chroma as the
metadata field `bm25_terms` (tokens joined by spaces; a space inside a token becomes
`_`), written in the same `add` as its vector. So the only state is Chroma's: with a
Chroma server (`CHROMA_URL`) any number of rag replicas serve the same answers.

Each replica keeps a bm25s index per collection in memory (least recently used dropped)
and rebuilds it (~0.3 s for 10,000 chunks) when the collection's `bm25_version` changes:
every write (a document replaced or deleted, by any replica) sets a new random version
in the collection's metadata *after* its chunks are written, so a reader that sees the
new version also sees the new chunks. A reader that raced ahead of a version bump built
from newer chunks under the old version and simply rebuilds once more.

Chunks indexed before the terms moved into Chroma (no `bm25_terms`) are tokenised from
their text when the index is built, as the old file-less rebuild did.
"""

import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import bm25s
import numpy as np

from finscribe_rag import tokens
from finscribe_rag.vector_store import VectorStore

TERMS_KEY = "bm25_terms"
VERSION_KEY = "bm25_version"


def terms_field(terms: Sequence[str]) -> str:
    """A chunk's tokens as stored in its Chroma metadata."""
    # bm25s treats tokens as opaque strings; a space inside one would split it when read back
    return " ".join(t.replace(" ", "_") for t in terms if t)


def _indexed_text(text: str, metadata: dict[str, Any]) -> str:
    # what ingest tokenised: the section heading travels with the chunk
    section = metadata.get("section")
    return f"{section}\n{text}" if section else text


_SUBSETS_KEPT = 16  # per collection: indexes over the documents of recent doc_ids filters
# ... holding at most this many times the collection's chunks in all: 16 subsets of nearly every
# document would be 16 copies of the index (~5 MB each at 10,000 chunks, times RAG_BM25_CACHE)
_SUBSET_CHUNKS_KEPT = 4


@dataclass
class Bm25Collection:
    """One collection's chunks and their BM25 index, as of `version`.

    A search limited to some documents (`doc_ids`) scores with BM25 statistics of those
    documents alone (a small index built on first use and kept): with the whole collection's
    IDF, a word every chunk of the searched filing repeats ("American Express" in the
    American Express 10-K, 삼성전자 in its 사업보고서) still weighs as a rare word, and the
    list of subsidiaries that names the company 60 times outranks the balance sheet.
    """

    chunk_ids_: list[str]
    doc_ids_: np.ndarray
    retriever: bm25s.BM25 | None
    version: str | None = None
    terms_: list[list[str]] = field(default_factory=list)  # match_terms of each chunk, index order
    _subsets: OrderedDict[frozenset[str], tuple[np.ndarray, bm25s.BM25]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, entries: Sequence[tuple[str, str, list[str]]], version: str | None = None) -> "Bm25Collection":
        """Blocking: index (chunk_id, doc_id, terms) entries."""
        ids = [chunk_id for chunk_id, _, _ in entries]
        docs = np.array([doc_id for _, doc_id, _ in entries], dtype=object)
        matched = [tokens.match_terms(terms) for _, _, terms in entries]
        return cls(ids, docs, _index(matched), version, matched)

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        return [cid for cid, d in zip(self.chunk_ids_, self.doc_ids_, strict=True) if doc_id is None or d == doc_id]

    def doc_ids(self) -> list[str]:
        """The document of every chunk, in index order (one item per chunk)."""
        return [str(d) for d in self.doc_ids_]

    def _subset(self, doc_ids: Sequence[str]) -> tuple[np.ndarray, bm25s.BM25 | None]:
        """(positions in the collection, their own index) of the chunks of `doc_ids`."""
        key = frozenset(doc_ids)
        with self._lock:
            found = self._subsets.get(key)
            if found is not None:
                self._subsets.move_to_end(key)
                return found
        positions = np.flatnonzero(np.isin(self.doc_ids_, list(key)))
        if len(positions) == len(self.chunk_ids_):
            return positions, self.retriever
        retriever = _index([self.terms_[i] for i in positions])
        if retriever is None:
            return positions, None
        with self._lock:
            self._subsets[key] = (positions, retriever)
            budget = _SUBSET_CHUNKS_KEPT * len(self.chunk_ids_)
            while len(self._subsets) > 1 and (
                len(self._subsets) > _SUBSETS_KEPT or sum(len(p) for p, _ in self._subsets.values()) > budget
            ):
                self._subsets.popitem(last=False)
        return positions, retriever

    def search(self, query_terms: list[str], k: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """Blocking: the best k (chunk_id, BM25 score) with a positive score, best first;
        with `doc_ids`, among those documents' chunks and with their statistics."""
        if self.retriever is None or not query_terms or k <= 0:
            return []
        matched = tokens.match_terms([t.replace(" ", "_") for t in query_terms])
        if not matched:
            return []
        if doc_ids is None:
            positions, retriever = np.arange(len(self.chunk_ids_)), self.retriever
        else:
            positions, retriever = self._subset(doc_ids)
            if retriever is None or not len(positions):
                return []
        scores = retriever.get_scores(matched)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunk_ids_[positions[i]], float(scores[i])) for i in top if scores[i] > 0]


def _index(corpus: list[list[str]]) -> bm25s.BM25 | None:
    if not corpus:
        return None
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return retriever


EMPTY = Bm25Collection([], np.array([], dtype=object), None, None)


class Bm25Store:
    """In-memory BM25 indexes rebuilt from Chroma; every method is blocking (run it in a pool)."""

    def __init__(self, vectors: VectorStore, cache_size: int = 64) -> None:
        self.vectors = vectors
        self.cache_size = cache_size
        self._cache: OrderedDict[str, Bm25Collection] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0  # how many times an index was (re)built: tests and /status read it

    def get(self, collection: str) -> Bm25Collection:
        """The collection's index as of Chroma's current version (rebuilt when it changed)."""
        target = self.vectors.open(collection)
        if target is None:
            with self._lock:
                self._cache.pop(collection, None)
            return EMPTY
        version = (target.metadata or {}).get(VERSION_KEY)
        with self._lock:
            found = self._cache.get(collection)
            if found is not None and found.version == version:
                self._cache.move_to_end(collection)
                return found
        built = self._build(target, version)
        with self._lock:
            self.builds += 1
            self._cache[collection] = built
            self._cache.move_to_end(collection)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return built

    def _build(self, target: Any, version: str | None) -> Bm25Collection:
        answer = target.get(include=["metadatas"])
        ids: list[str] = list(answer["ids"])
        metadatas = [dict(m or {}) for m in (answer.get("metadatas") or [])]
        legacy = [i for i, meta in enumerate(metadatas) if not isinstance(meta.get(TERMS_KEY), str)]
        legacy_terms: dict[int, list[str]] = {}
        if legacy:
            texts = target.get(ids=[ids[i] for i in legacy], include=["documents", "metadatas"])
            by_id = {
                cid: _indexed_text(doc or "", dict(meta or {}))
                for cid, doc, meta in zip(texts["ids"], texts["documents"], texts["metadatas"], strict=True)
            }
            tokenised = tokens.tokenize_many([by_id.get(ids[i], "") for i in legacy])
            legacy_terms = dict(zip(legacy, tokenised, strict=True))
        entries: list[tuple[str, str, list[str]]] = []
        for i, (chunk_id, meta) in enumerate(zip(ids, metadatas, strict=True)):
            raw = meta.get(TERMS_KEY)
            terms = raw.split(" ") if isinstance(raw, str) and raw else legacy_terms.get(i, [])
            entries.append((chunk_id, str(meta.get("doc_id", "")), [t.replace(" ", "_") for t in terms if t]))
        # Chroma returns ids in its own order; sort so every replica builds the same index
        entries.sort(key=lambda e: e[0])
        return Bm25Collection.build(entries, version)

    def mark_changed(self, collection: str) -> None:
        """After a write to the collection's chunks: a new version, so every replica rebuilds."""
        target = self.vectors.open(collection)
        if target is None:
            self.drop(collection)
            return
        metadata = dict(target.metadata or {})
        metadata[VERSION_KEY] = uuid.uuid4().hex
        target.modify(metadata=metadata)

    def drop(self, collection: str) -> None:
        """Forget the in-memory index (the collection itself is deleted in Chroma)."""
        with self._lock:
            self._cache.pop(collection, None)
