"""Hybrid query latency on a collection of a few thousand chunks: what `pages_first` (the
Chroma read of BM25-only candidates' pages) and a `doc_ids` search (BM25 statistics of the
searched documents: an index built on first use, then cached) cost, and the memory of the
cached subset indexes. Real service on a loopback port (USE, Kiwi, Chroma, BM25); prints only.

    .venv/bin/python bench/rag_subset_latency.py        # RAG_SUBSET_COPIES=6 (x500 chunks)
"""

import asyncio
import importlib.util
import itertools
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import httpx

from finscribe_rag import bm25_store, service, tokens
from finscribe_rag.embeddings import build_embedding_function, embedding_label
from finscribe_rag.main import create_app
from finscribe_rag.vector_store import VectorStore, build_client
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.rag import TEST_TOKEN, test_settings

_spec = importlib.util.spec_from_file_location("bench_rag", Path(__file__).with_name("rag.py"))
assert _spec and _spec.loader
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)
base.COPIES = int(os.environ.get("RAG_SUBSET_COPIES", "6"))
ROUNDS = 40


def _ms(client: httpx.Client, body: dict) -> float:
    started = time.perf_counter()
    answer = client.post(f"/v1/collections/{base.BIG}/query", json=body)
    elapsed = (time.perf_counter() - started) * 1000
    answer.raise_for_status()
    return elapsed


def _p50(client: httpx.Client, rounds: int = ROUNDS, **extra: object) -> float:
    times = [_ms(client, {"query": base.QUESTIONS[i % len(base.QUESTIONS)], "k": 5, **extra}) for i in range(rounds)]
    return statistics.median(times)


def main() -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="finscribe-bench-subset-"))
    tokens.load()
    pdf = fixture_path(base.PAPER).read_bytes()
    _, filled, total = asyncio.run(base._fill(data_dir, pdf))
    docs = [f"copy-{i}" for i in range(base.COPIES)]
    print(f"collection: {total} chunks in {len(docs)} documents (fill {filled:.1f} s); load {os.getloadavg()[0]:.1f}")
    settings = test_settings(data_dir)
    with (
        serve_in_thread(create_app(settings)) as url,
        httpx.Client(base_url=url, headers={"X-Internal-Token": TEST_TOKEN}, timeout=300) as client,
    ):
        while client.get("/readyz").status_code != 200:
            time.sleep(0.2)
        first = _ms(client, {"query": base.QUESTIONS[0], "k": 5})
        print(f"first hybrid query (whole-collection BM25 build): {first:.1f} ms")
        _p50(client, 10)
        for flag in (False, True, False, True):
            service.PAGES_FIRST = flag
            hybrid, dense, bm25 = _p50(client, 20), _p50(client, 20, mode="dense"), _p50(client, mode="bm25")
            print(f"pages_first={flag}: hybrid p50 {hybrid:.1f} ms, dense p50 {dense:.1f} ms, bm25 p50 {bm25:.1f} ms")
        service.PAGES_FIRST = True
        subsets = [list(c) for size in (1, 3, 5) for c in itertools.combinations(docs, size)]
        for label, subset in (("1 document", subsets[0]), ("half", subsets[6]), ("all but one", subsets[-1])):
            for mode in ("bm25", "hybrid"):
                body = {"query": base.QUESTIONS[1], "k": 5, "doc_ids": subset, "mode": mode}
                cold = f"first query (subset build) {_ms(client, body):.1f} ms, then " if mode == "bm25" else ""
                warm = _p50(client, 20, doc_ids=subset, mode=mode)
                print(f"doc_ids={label}, {mode}: {cold}p50 {warm:.1f} ms")
        print(f"doc_ids=all documents, bm25: p50 {_p50(client, doc_ids=docs, mode='bm25'):.1f} ms")
    # memory of 16 cached subset indexes of 3 or 5 of the 6 documents
    store = VectorStore(
        build_client(str(settings.resolved_chroma_path), None),
        build_embedding_function(settings),
        embedding_label(settings),
    )
    collection = bm25_store.Bm25Store(store).get(base.BIG)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    chosen = [s for s in subsets if len(s) > 1][-16:]
    for subset in chosen:
        collection.search(["금융"], 5, subset)
    built = time.perf_counter() - started
    after = tracemalloc.get_traced_memory()[0]
    whole = sum(len(s) for s in chosen) * total // len(docs)
    print(
        f"16 subset indexes ({whole} chunks in all): built in {built:.2f} s, cached {len(collection._subsets)},"
        f" {(after - before) / 1e6:.1f} MB (Python-traced), {(after - before) / whole:.0f} bytes per chunk"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
