"""State across restarts, and the embeddings setting, with the app in-process (ASGI)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from finscribe_rag.config import RagSettings
from finscribe_rag.embeddings import UseEmbeddingFunction
from finscribe_rag.main import create_app
from finscribe_rag.ownership import DirectoryBusy
from finscribe_rag.vector_store import VectorStore, build_client
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.rag import TEST_TOKEN, test_settings
from finscribe_testkit.rag.fake_embeddings import FakeOpenAIEmbeddings

COLLECTION = "u0123456789abcdef-srestart"
# Real text from the paper, page 13.
TEXT = (
    "하이퍼파라미터 조정은 모델의 성능을 극대화하기 위해 중요한 단계이다. 초기 학습률을 적절히 설정하여 "
    "수렴 속도를 조절하고, 발산이나 수렴 부족 등의 문제를 예방한다(예시: 초기 학습률을 0.0001로 설정)."
)


@asynccontextmanager
async def running(settings: RagSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://rag",
            headers={"X-Internal-Token": TEST_TOKEN},
            timeout=120,
        ) as client,
    ):
        yield client


async def _bm25_hits(client: httpx.AsyncClient) -> list[dict]:
    answer = await client.post(f"/v1/collections/{COLLECTION}/query", json={"query": "초기 학습률", "mode": "bm25"})
    assert answer.status_code == 200, answer.text
    return answer.json()["hits"]


async def test_a_restart_keeps_both_indexes(tmp_path: Path) -> None:
    settings = test_settings(tmp_path)
    async with running(settings) as client:
        ingest = await client.post(f"/v1/collections/{COLLECTION}/documents", json={"doc_id": "d1", "text": TEXT})
        assert ingest.status_code == 200, ingest.text
    async with running(test_settings(tmp_path)) as client:
        hits = await _bm25_hits(client)
        assert [h["doc_id"] for h in hits] == ["d1"]
        dense = await client.post(f"/v1/collections/{COLLECTION}/query", json={"query": "학습률", "mode": "dense"})
        assert [h["doc_id"] for h in dense.json()["hits"]] == ["d1"]


async def test_a_collection_refuses_a_different_embedding_model(tmp_path: Path) -> None:
    async with running(test_settings(tmp_path)) as client:
        await client.post(f"/v1/collections/{COLLECTION}/documents", json={"doc_id": "d1", "text": TEXT})
    fake = FakeOpenAIEmbeddings(api_key="sk-test")
    with serve_in_thread(fake.app) as url:
        other = test_settings(
            tmp_path,
            EMBEDDINGS="openai:text-embedding-3-small",
            EMBEDDINGS_BASE_URL=f"{url}/v1",
            EMBEDDINGS_API_KEY="sk-test",
        )
        async with running(other) as client:
            answer = await client.post(f"/v1/collections/{COLLECTION}/query", json={"query": "학습률"})
            assert answer.status_code == 409
            error = answer.json()["error"]
            assert error["code"] == "embedding_mismatch"
            assert "/reindex" in error["message"]  # the way out is named


# A balance sheet page of a real filing (Amcor 2023 10-K, page 52), as PDFium extracts it:
# its chunks carry the statement vocabulary, which a re-index must embed again too.
STATEMENT = (
    "Consolidated Balance Sheets\n($ in millions)\nAs of June 30, 2023 2022\n"
    "Cash and cash equivalents $ 689 $ 775\nTrade receivables, net 1,875 1,935\n"
    "Total current assets 5,308 5,853\nTotal current liabilities 4,476 5,103\n"
)


async def test_a_model_change_is_reindexed_from_the_stored_chunks(tmp_path: Path) -> None:
    async with running(test_settings(tmp_path, EMBEDDINGS="use")) as client:
        for doc_id, text in (("d1", TEXT), ("d2", STATEMENT)):
            ingest = await client.post(f"/v1/collections/{COLLECTION}/documents", json={"doc_id": doc_id, "text": text})
            assert ingest.status_code == 200, ingest.text
        before = (await client.get(f"/v1/collections/{COLLECTION}")).json()
        bm25_before = await _bm25_hits(client)
    async with running(test_settings(tmp_path, EMBEDDINGS="e5")) as client:
        refused = await client.post(f"/v1/collections/{COLLECTION}/query", json={"query": "학습률"})
        assert refused.status_code == 409
        assert refused.json()["error"]["details"] == {
            "indexed_with": "use-multilingual-v3",
            "service_uses": "multilingual-e5-small-q4",
        }
        answer = await client.post(f"/v1/collections/{COLLECTION}/reindex")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["chunks"] == before["chunks"] == 2
        assert (body["previous"], body["embedding"]) == ("use-multilingual-v3", "multilingual-e5-small-q4")
        assert (await client.get(f"/v1/collections/{COLLECTION}")).json() == before
        # BM25 terms are kept as they were: the same chunks, same scores
        assert [(h["chunk_id"], h["score"]) for h in await _bm25_hits(client)] == [
            (h["chunk_id"], h["score"]) for h in bm25_before
        ]
        dense = await client.post(
            f"/v1/collections/{COLLECTION}/query", json={"query": "초기 학습률은 얼마로 설정했나?", "mode": "dense"}
        )
        assert dense.status_code == 200, dense.text
        assert dense.json()["hits"][0]["doc_id"] == "d1"
        # the statement's vocabulary ("quick ratio", never in its text) was embedded again with it
        ratio = await client.post(
            f"/v1/collections/{COLLECTION}/query", json={"query": "quick ratio", "mode": "dense", "k": 1}
        )
        assert ratio.json()["hits"][0]["doc_id"] == "d2"
        assert "quick ratio" not in ratio.json()["hits"][0]["text"]
        missing = await client.post("/v1/collections/u0123456789abcdef-snone/reindex")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "not_found"


async def test_openai_embeddings_end_to_end(tmp_path: Path) -> None:
    fake = FakeOpenAIEmbeddings(api_key="sk-test")
    with serve_in_thread(fake.app) as url:
        settings = test_settings(
            tmp_path,
            EMBEDDINGS="openai:text-embedding-3-small",
            EMBEDDINGS_BASE_URL=f"{url}/v1",
            EMBEDDINGS_API_KEY="sk-test",
        )
        async with running(settings) as client:
            ingest = await client.post(f"/v1/collections/{COLLECTION}/documents", json={"doc_id": "d1", "text": TEXT})
            assert ingest.status_code == 200, ingest.text
            answer = await client.post(
                f"/v1/collections/{COLLECTION}/query", json={"query": "학습률 설정", "mode": "dense"}
            )
            assert [h["doc_id"] for h in answer.json()["hits"]] == ["d1"]
            ready = await client.get("/readyz")
            assert ready.status_code == 200
    assert len(fake.requests) == 2  # one batch for the document, one for the query


async def test_openai_embeddings_without_a_key_answer_503(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("EMBEDDINGS_API_KEY", raising=False)
    settings = test_settings(tmp_path, EMBEDDINGS="openai:text-embedding-3-small")
    async with running(settings) as client:
        answer = await client.post(f"/v1/collections/{COLLECTION}/documents", json={"doc_id": "d1", "text": TEXT})
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "not_configured"


async def test_a_second_process_cannot_own_the_same_directories(tmp_path: Path) -> None:
    async with running(test_settings(tmp_path)):
        second = create_app(test_settings(tmp_path))
        with pytest.raises(DirectoryBusy, match="single worker"):
            async with second.router.lifespan_context(second):
                pass
    # released on shutdown: the next owner starts
    async with running(test_settings(tmp_path)) as client:
        assert (await client.get("/healthz")).status_code == 200


async def test_chroma_always_holds_our_embedding_function(tmp_path: Path) -> None:
    settings = test_settings(tmp_path)
    async with running(settings) as client:
        await client.post(f"/v1/collections/{COLLECTION}/documents", json={"doc_id": "d1", "text": TEXT})
    # The collection's stored configuration names our function (so tools that rebuild it
    # from the configuration get ours), and every handle the service opens carries ours:
    # Chroma's default ONNX model, which it would download on first use, is never in play.
    store = VectorStore(
        build_client(str(settings.resolved_chroma_path), None), UseEmbeddingFunction(), "use-multilingual-v3"
    )
    handle = store.open(COLLECTION)
    assert handle is not None
    assert isinstance(handle._embedding_function, UseEmbeddingFunction)
    assert handle.configuration_json["embedding_function"]["name"] == UseEmbeddingFunction.name()


async def test_concurrent_writes_leave_both_indexes_in_step(tmp_path: Path) -> None:
    async with running(test_settings(tmp_path)) as client:
        url = f"/v1/collections/{COLLECTION}/documents"
        answers = await asyncio.gather(
            client.post(url, json={"doc_id": "a", "text": TEXT}),
            client.post(url, json={"doc_id": "b", "text": TEXT}),
            client.post(url, json={"doc_id": "a", "text": TEXT}),  # the same doc_id twice at once
            client.post(url, json={"doc_id": "c", "text": TEXT}),
            client.delete(f"{url}/c"),
        )
        assert [a.status_code for a in answers] == [200, 200, 200, 200, 204]
        described = (await client.get(f"/v1/collections/{COLLECTION}")).json()
        counts = {d["doc_id"]: (d["chunks"], d["bm25_chunks"]) for d in described["documents"]}
        assert counts["a"] == counts["b"] == (1, 1)
        assert counts.get("c", (0, 0)) in ((0, 0), (1, 1))  # the delete ran before or after, never half
