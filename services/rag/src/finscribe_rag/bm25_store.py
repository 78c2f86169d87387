"""BM25 over Korean tokens, one index per collection, persisted in RAG_BM25_DIR.

The durable state is each chunk's token list (a JSON file per collection, replaced
atomically); the bm25s index is rebuilt in memory from it after a change (~0.3 s for
10,000 chunks), so deletes are exact and a restart keeps hybrid search. Only one process
may own the directory (see the README), like the embedded Chroma directory.
"""

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

FORMAT_VERSION = 1


@dataclass
class _Entry:
    doc_id: str
    tokens: list[str]


@dataclass
class _Index:
    retriever: bm25s.BM25 | None
    chunk_ids: list[str]
    doc_ids: np.ndarray


@dataclass
class Bm25Collection:
    path: Path
    entries: "OrderedDict[str, _Entry]" = field(default_factory=OrderedDict)
    _index: _Index | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, path: Path) -> "Bm25Collection":
        collection = cls(path=path)
        if path.exists():
            payload = json.loads(path.read_text(encoding="utf-8"))
            if payload.get("version") != FORMAT_VERSION:
                raise ValueError(f"unknown BM25 file format in {path}")
            for item in payload["chunks"]:
                terms = item["tokens"].split(" ") if item["tokens"] else []
                collection.entries[item["id"]] = _Entry(item["doc"], terms)
        return collection

    def _save(self) -> None:
        if not self.entries:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": FORMAT_VERSION,
            "chunks": [{"id": cid, "doc": e.doc_id, "tokens": " ".join(e.tokens)} for cid, e in self.entries.items()],
        }
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    def replace_document(self, doc_id: str, chunks: list[tuple[str, list[str]]]) -> None:
        """Blocking: drop the document's chunks and add the new ones, then persist."""
        with self._lock:
            for cid in [cid for cid, e in self.entries.items() if e.doc_id == doc_id]:
                del self.entries[cid]
            for chunk_id, tokens in chunks:
                # bm25s treats tokens as opaque strings; a space inside one would break the file format.
                self.entries[chunk_id] = _Entry(doc_id, [t.replace(" ", "_") for t in tokens if t])
            self._index = None
            self._save()

    def delete_document(self, doc_id: str) -> int:
        with self._lock:
            doomed = [cid for cid, e in self.entries.items() if e.doc_id == doc_id]
            for cid in doomed:
                del self.entries[cid]
            if doomed:
                self._index = None
                self._save()
            return len(doomed)

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        return [cid for cid, e in self.entries.items() if doc_id is None or e.doc_id == doc_id]

    def doc_ids(self) -> list[str]:
        """The document of every chunk, in index order (one item per chunk)."""
        return [e.doc_id for e in self.entries.values()]

    def _built(self) -> _Index:
        index = self._index
        if index is not None:
            return index
        with self._lock:
            if self._index is None:
                ids = list(self.entries)
                docs = np.array([self.entries[c].doc_id for c in ids], dtype=object)
                retriever = None
                if ids:
                    retriever = bm25s.BM25()
                    retriever.index([self.entries[c].tokens for c in ids], show_progress=False)
                self._index = _Index(retriever, ids, docs)
            return self._index

    def search(self, tokens: list[str], k: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """Blocking: the best k (chunk_id, BM25 score) with a positive score, best first."""
        index = self._built()
        if index.retriever is None or not tokens or k <= 0:
            return []
        mask = None
        if doc_ids is not None:
            mask = np.isin(index.doc_ids, list(doc_ids)).astype(np.float32)
            if not mask.any():
                return []
        scores = index.retriever.get_scores([t.replace(" ", "_") for t in tokens], weight_mask=mask)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(index.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]


class Bm25Store:
    """Collections loaded on demand; the least recently used are dropped from memory."""

    def __init__(self, directory: Path, cache_size: int = 64) -> None:
        self.directory = directory
        self.cache_size = cache_size
        self._cache: OrderedDict[str, Bm25Collection] = OrderedDict()
        self._lock = threading.Lock()

    def path_for(self, collection: str) -> Path:
        return self.directory / f"{collection}.json"

    def get(self, collection: str) -> Bm25Collection:
        with self._lock:
            found = self._cache.get(collection)
            if found is not None:
                self._cache.move_to_end(collection)
                return found
        loaded = Bm25Collection.load(self.path_for(collection))
        with self._lock:
            found = self._cache.setdefault(collection, loaded)
            self._cache.move_to_end(collection)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
            return found

    def replace_document(self, collection: str, doc_id: str, chunks: list[tuple[str, list[str]]]) -> None:
        self._mutate(collection, lambda target: target.replace_document(doc_id, chunks))

    def delete_document(self, collection: str, doc_id: str) -> None:
        self._mutate(collection, lambda target: target.delete_document(doc_id))

    def _mutate(self, collection: str, change: Callable[[Bm25Collection], object]) -> None:
        target = self.get(collection)
        change(target)
        # If the collection was evicted meanwhile and a reader reloaded the old file, the
        # changed object must win: put it back as the cached one.
        with self._lock:
            self._cache[collection] = target
            self._cache.move_to_end(collection)

    def exists(self, collection: str) -> bool:
        return collection in self._cache or self.path_for(collection).exists()

    def drop(self, collection: str) -> None:
        with self._lock:
            self._cache.pop(collection, None)
        self.path_for(collection).unlink(missing_ok=True)

    def check_writable(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        probe = self.directory / f".probe{os.getpid()}"
        probe.write_text("ok")
        probe.unlink()
