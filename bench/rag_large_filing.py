"""A 500-page annual report indexed end to end through the rag service's upload route.

The real service (`finscribe_rag.main.create_app`: PDFium, cleaning, chunking, Kiwi, the
configured embeddings -- multilingual-e5-small by default --, embedded Chroma) runs on a
loopback port; the 503-page PepsiCo 2022 10-K of the FinanceBench set (2.9 MB; where the
PDF comes from: bench/rag_eval.py) is sent as a multipart upload, as the gateway sends it.
Printed: pages, chunks, seconds per ingest step, pages/s and MB/s end to end (wall and
CPU), peak memory, and one question on the filing answered from its evidence page.

Slow (the embedding of ~2,700 chunks dominates): run by `make bench-rag-eval`, not by
`make bench`'s quick part.

    .venv/bin/python bench/rag_large_filing.py
"""

import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rag_eval import DATA, _load_pdfs

from finscribe_rag.main import create_app
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.rag import TEST_TOKEN, test_settings

BENCHMARK = "rag_large_filing"
DOCUMENT = os.environ.get("RAG_LARGE_DOC", "PEPSICO_2022_10K")
COLLECTION = "u0123456789abcdef-slarge"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run() -> list[dict]:
    rows: list[dict] = []

    def row(metric: str, value: float, unit: str, target: str = "") -> None:
        rows.append({"benchmark": BENCHMARK, "metric": metric, "value": value, "unit": unit, "target": target})

    documents = [d for d in json.loads((DATA / "documents.json").read_text())["documents"] if d["doc_name"] == DOCUMENT]
    pdfs, skipped = _load_pdfs(documents)
    if not pdfs:
        print(f"{DOCUMENT}: skipped ({', '.join(skipped)}); set FINANCEBENCH_DIR (see bench/rag_eval.py)")
        return rows
    data = pdfs[DOCUMENT]
    question = next(
        json.loads(line)
        for line in (DATA / "questions.jsonl").read_text().splitlines()
        if json.loads(line)["doc_name"] == DOCUMENT
    )
    data_dir = Path(tempfile.mkdtemp(prefix="finscribe-bench-raglarge-"))
    try:
        settings = test_settings(data_dir, EMBEDDINGS=os.environ.get("EMBEDDINGS", "e5"), RAG_MAX_PDF_MB=20)
        with serve_in_thread(create_app(settings)) as url:
            headers = {"X-Internal-Token": TEST_TOKEN}
            with httpx.Client(base_url=url, headers=headers, timeout=3600) as client:
                deadline = time.monotonic() + 300
                while client.get("/readyz").status_code != 200:  # models loaded
                    if time.monotonic() > deadline:
                        raise RuntimeError("the rag service did not become ready")
                    time.sleep(0.5)
                started, cpu = time.perf_counter(), _cpu()
                answer = client.post(
                    f"/v1/collections/{COLLECTION}/documents",
                    files={"file": (f"{DOCUMENT}.pdf", data, "application/pdf")},
                    data={"doc_id": "large-1"},
                )
                wall, cpu_s = time.perf_counter() - started, _cpu() - cpu
                answer.raise_for_status()
                body = answer.json()
                hits = client.post(
                    f"/v1/collections/{COLLECTION}/query", json={"query": question["question"], "k": 10}
                ).json()["hits"]
        pages = body["pages"]
        evidence = {p + 1 for p in question["evidence_pages"]}
        rank = next((i for i, h in enumerate(hits, start=1) if h["page"] in evidence), None)
        print(f"{DOCUMENT}: {pages} pages, {body['chunks']} chunks in {wall:.1f} s wall / {cpu_s:.1f} CPU-s")
        print(f"  steps: {body['timings']}")
        print(f"  question: {question['question'][:100]}  evidence pages {sorted(evidence)}; first hit on one: {rank}")
        row(f"indexed through the upload route: {DOCUMENT}", pages, "pages", ">= 500")
        row("chunks", body["chunks"], "chunks")
        row("upload to answer", wall, "s")
        row("ingest end to end", pages / wall, "pages/s")
        row("ingest end to end per CPU-second", pages / cpu_s, "pages/CPU-s")
        row("ingest end to end", len(data) / 1_048_576 / wall, "MB/s")
        for step, seconds in sorted(body["timings"].items()):
            row(f"ingest step {step}", seconds, "s")
        row("rank of the first hit on an evidence page (k=10)", rank or 0, "", "> 0")
        row("peak memory (process max RSS)", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB")
        row("load average (1 min) at the end", os.getloadavg()[0], f"on {os.cpu_count()} cores")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return rows


def main() -> int:
    rows = run()
    for r in rows:
        target = f"   target {r['target']}" if r["target"] else ""
        print(f"  {r['metric']:<52} {r['value']:>10,.2f} {r['unit']}{target}")
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())
