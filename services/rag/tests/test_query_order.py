"""The order of a query's hits (one passage per page first, in every mode) and what comes
back when chunks vanish between the service's reads or the question has no BM25 terms; the
real service in-process (USE, Kiwi, Chroma, BM25) on the real paper's text."""

from pathlib import Path

import pytest

from finscribe_rag.bm25_store import Bm25Store
from finscribe_rag.embeddings import build_embedding_function, embedding_label
from finscribe_rag.schemas import QueryRequest
from finscribe_rag.service import RagService
from finscribe_rag.vector_store import StoredChunk, VectorStore, build_client
from finscribe_testkit.rag import test_settings

COLLECTION = "u0123456789abcdef-sorder"


class DeletedMeanwhile(VectorStore):
    """Chroma as another replica leaves it: `doc_id` deleted after this replica's BM25 read
    and before its read of the candidates' chunks."""

    doc_id = ""

    def get(self, collection: str, ids: list[str]) -> dict[str, StoredChunk]:
        if self.doc_id:
            self.delete_document(collection, self.doc_id)
            self.doc_id = ""
        return super().get(collection, ids)


@pytest.fixture
def service(tmp_path: Path) -> RagService:
    settings = test_settings(tmp_path)
    vectors = DeletedMeanwhile(
        build_client(str(settings.resolved_chroma_path), None),
        build_embedding_function(settings),
        embedding_label(settings),
    )
    return RagService(settings, vectors, Bm25Store(vectors))


async def _ingest(service: RagService, paper_pages: list[str]) -> None:
    text = "\f".join(paper_pages[11:16])  # pages 12-16: hyperparameters, several chunks a page
    for doc_id in ("kept", "gone"):
        await service.ingest_text(COLLECTION, doc_id, text, {"page": 12})


async def test_a_document_deleted_between_the_reads_still_leaves_k_hits(
    service: RagService, paper_pages: list[str]
) -> None:
    await _ingest(service, paper_pages)
    assert isinstance(service.vectors, DeletedMeanwhile)
    service.vectors.doc_id = "gone"
    hits = await service.query(COLLECTION, QueryRequest(query="학습률 드롭아웃 배치 크기 모델", k=6, mode="bm25"))
    assert len(hits) == 6 and {h.doc_id for h in hits} == {"kept"}


async def test_one_passage_per_page_first_in_every_mode(service: RagService, paper_pages: list[str]) -> None:
    await _ingest(service, paper_pages)
    for mode in ("hybrid", "dense", "bm25"):
        hits = await service.query(COLLECTION, QueryRequest(query="학습률을 어떻게 설정하나", k=12, mode=mode))
        pages = [(h.doc_id, h.page) for h in hits]
        distinct = len(set(pages))
        assert len(set(pages[:distinct])) == distinct, mode  # every page once before any twice
        # the retriever's own order is in `scores` (the API docs: score is not monotone)
        rank = "dense_rank" if mode == "dense" else "bm25_rank"
        if mode != "hybrid":
            firsts = [getattr(h.scores, rank) for h in hits[:distinct]]
            assert firsts == sorted(firsts), mode


async def test_a_question_of_stop_words_only(service: RagService, paper_pages: list[str]) -> None:
    await _ingest(service, paper_pages)
    # no BM25 terms: BM25 finds nothing, hybrid answers from the dense list alone (never a 500)
    assert await service.query(COLLECTION, QueryRequest(query="what is it?", k=3, mode="bm25")) == []
    hits = await service.query(COLLECTION, QueryRequest(query="what is it?", k=3))
    assert len(hits) == 3 and all(h.scores.bm25 is None and h.scores.dense_rank for h in hits)
