"""An on-disk cache of embedding vectors for evaluation runs (opt-in: RAG_EVAL_EMBED_CACHE).

Evaluating on ~12,000 filing chunks with multilingual-e5-small costs ~40 CPU-minutes; while
chunking or fusion is being tuned most chunks do not change, so their vectors are read
back instead of recomputed. The key is the model label, the role (query or passage) and
the exact text, so a changed chunk is always embedded again. Ingest rates measured with the
cache on are not embedding rates: the evaluation says how many chunks it embedded.
"""

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings


class EmbeddingCache:
    def __init__(self, path: Path, label: str) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.label = label
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path / "vectors.sqlite", check_same_thread=False)
        self._db.execute("create table if not exists v (k text primary key, vec blob)")
        self.hits = 0
        self.misses = 0

    def _key(self, text: str, query: bool) -> str:
        return hashlib.sha256(f"{self.label}\0{int(query)}\0{text}".encode()).hexdigest()

    def through(self, compute: "EmbeddingFunction[Documents]", texts: list[str], query: bool) -> Embeddings:
        keys = [self._key(t, query) for t in texts]
        with self._lock:
            found: dict[str, np.ndarray] = {}
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                for key, blob in self._db.execute(f"select k, vec from v where k in ({marks})", part):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        todo = [i for i, key in enumerate(keys) if key not in found]
        if todo:
            batch = [texts[i] for i in todo]
            vectors = compute.embed_query(batch) if query else compute(batch)
            with self._lock:
                for i, vector in zip(todo, vectors, strict=True):
                    found[keys[i]] = np.asarray(vector, dtype=np.float32)
                    self._db.execute("insert or replace into v values (?, ?)", (keys[i], found[keys[i]].tobytes()))
                self._db.commit()
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        return [found[key] for key in keys]


def cached(function: "EmbeddingFunction[Documents]", cache: EmbeddingCache) -> "EmbeddingFunction[Documents]":
    """`function` with its vectors read from / written to `cache` (same Chroma name and config)."""
    base = type(function)

    class Cached(base):  # type: ignore[valid-type,misc]
        def __call__(self, input: Documents) -> Embeddings:
            return cache.through(function, list(input), query=False)

        def embed_query(self, input: Documents) -> Embeddings:
            return cache.through(function, list(input), query=True)

    wrapped = Cached.__new__(Cached)
    wrapped.__dict__.update(function.__dict__)
    return wrapped
