"""The rag routes over real HTTP (a loopback server), with the real paper."""

import io

import httpx
import pypdf

from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.rag import PAPER_COLLECTION, PAPER_DOC, RagServer

# Real text: pages 13-14 of the paper (hyperparameters), used as a plain-text document.
HYPERPARAMS = (
    "하이퍼파라미터 조정은 모델의 성능을 극대화하기 위해 중요한 단계이다. "
    "1) 학습률 (Learning Rate): 학습률은 모델이 가중치를 얼마나 크게 업데이트할지를 결정하는 요소이다. "
    "초기 학습률을 적절히 설정하여 수렴 속도를 조절하고, 발산이나 수렴 부족 등의 문제를 예방한다"
    "(예시: 초기 학습률을 0.0001로 설정)."
    "\f"
    "4) 드롭아웃 비율 (Dropout Rate): 드롭아웃은 훈련 중에 일부 뉴런을 랜덤하게 제외하여 모델이 특정 패턴에 "
    "과도하게 의존하는 것을 방지한다. 적절한 드롭아웃 비율을 선택하여 모델의 일반화 능력을 향상시킨다"
    "(예시: 드롭아웃 비율을 0.2로 설정)."
)


def _error(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"] and error["request_id"] == response.headers["x-request-id"]
    if code:
        assert error["code"] == code
    return error


def _query(client: httpx.Client, collection: str, query: str, **body) -> list[dict]:
    answer = client.post(f"/v1/collections/{collection}/query", json={"query": query, **body})
    assert answer.status_code == 200, answer.text
    return answer.json()["hits"]


def _text_doc(client: httpx.Client, collection: str, doc_id: str, text: str, **metadata) -> dict:
    answer = client.post(
        f"/v1/collections/{collection}/documents", json={"doc_id": doc_id, "text": text, "metadata": metadata}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _describe(client: httpx.Client, collection: str) -> dict:
    answer = client.get(f"/v1/collections/{collection}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_ingest_answer(rag_server: RagServer) -> None:
    answer = rag_server.ingest_answer
    assert answer["doc_id"] == PAPER_DOC and answer["pages"] == 28
    assert 60 < answer["chunks"] < 200
    assert answer["name"] == "ko_finance_llm_paper.pdf"
    assert set(answer["timings"]) == {"parse", "chunk", "tokenize", "embed", "store"}
    described = _describe(rag_server.client, PAPER_COLLECTION)
    assert described["chunks"] == described["bm25_chunks"] == answer["chunks"]


def test_hits_carry_text_page_score_and_source(client: httpx.Client) -> None:
    hits = _query(client, PAPER_COLLECTION, "하이퍼파라미터 조정에서 초기 학습률은 얼마로 설정하나?", k=4)
    assert len(hits) == 4
    top = hits[0]
    assert top["page"] == 13 and "0.0001" in top["text"]
    assert top["doc_id"] == PAPER_DOC and top["chunk_id"].startswith(PAPER_DOC)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    source = top["source"]
    assert source["provider"] == "upload" and source["dataset"] == "pdf" and source["url"] is None
    assert source["name"] == "ko_finance_llm_paper.pdf"
    assert len(source["as_of"]) == 10 and source["retrieved_at"]
    assert top["scores"]["dense_rank"] or top["scores"]["bm25_rank"]


def test_modes_and_k(client: httpx.Client) -> None:
    for mode in ("dense", "bm25", "hybrid"):
        hits = _query(client, PAPER_COLLECTION, "QLoRA 4비트 양자화", k=2, mode=mode)
        assert len(hits) == 2
        assert all(h["page"] >= 1 for h in hits)
    dense = _query(client, PAPER_COLLECTION, "QLoRA 4비트 양자화", k=1, mode="dense")[0]
    assert -1.0 <= dense["score"] <= 1.0 and dense["scores"]["dense"] == dense["score"]


def test_unknown_collection_has_no_hits(client: httpx.Client) -> None:
    assert _query(client, "u0000000000000000-snothing", "금융") == []


def test_doc_ids_filter_and_json_documents(client: httpx.Client) -> None:
    collection = "u0123456789abcdef-sfilter"
    answer = _text_doc(client, collection, "notes", HYPERPARAMS, name="notes.txt", page=13, author="정천수")
    timings = answer.pop("timings")
    assert answer == {"doc_id": "notes", "chunks": 2, "pages": 2, "name": "notes.txt", "empty_pages": []}
    assert set(timings) == {"tokenize", "embed", "store"} and all(v >= 0 for v in timings.values())
    _text_doc(client, collection, "other", "삼성전자는 11월에 삼성 가우스(Samsung Gauss)를 첫 공개하였다.")
    hits = _query(client, collection, "드롭아웃 비율", k=5, doc_ids=["notes"])
    assert hits and {h["doc_id"] for h in hits} == {"notes"}
    assert hits[0]["page"] == 14  # the second \f-separated page, counted from metadata.page
    assert hits[0]["source"]["dataset"] == "text" and hits[0]["source"]["name"] == "notes.txt"
    assert hits[0]["metadata"] == {"author": "정천수"}
    assert {h["doc_id"] for h in _query(client, collection, "드롭아웃 비율", k=5, doc_ids=["other"])} == {"other"}
    assert _query(client, collection, "드롭아웃 비율", doc_ids=[]) == []


def test_collections_never_mix(client: httpx.Client, short_paper: bytes) -> None:
    a, b = "u0123456789abcdef-sa", "u0123456789abcdef-sb"
    assert (
        client.post(
            f"/v1/collections/{a}/documents",
            files={"file": ("a.pdf", short_paper, "application/pdf")},
            data={"doc_id": "doc-a"},
        ).status_code
        == 200
    )
    _text_doc(client, b, "doc-b", HYPERPARAMS)
    # A question answered only by A's pages (page 3: SORA), asked in B, in every mode.
    for mode in ("hybrid", "dense", "bm25"):
        hits = _query(client, b, "OpenAI가 발표한 Text-to-Video 모델 SORA", k=10, mode=mode)
        assert all(h["doc_id"] == "doc-b" for h in hits)
        assert not any("SORA" in h["text"] for h in hits)
    hits_a = _query(client, a, "OpenAI가 발표한 Text-to-Video 모델 SORA", k=10)
    assert hits_a[0]["page"] == 3 and all(h["doc_id"] == "doc-a" for h in hits_a)
    # even naming B's doc_id in A finds nothing
    assert _query(client, a, "드롭아웃", doc_ids=["doc-b"]) == []


def test_reingest_replaces_instead_of_duplicating(client: httpx.Client, short_paper: bytes) -> None:
    collection = "u0123456789abcdef-sidem"
    files = {"file": ("p.pdf", short_paper, "application/pdf")}
    first = client.post(f"/v1/collections/{collection}/documents", files=files, data={"doc_id": "d"}).json()
    again = client.post(f"/v1/collections/{collection}/documents", files=files, data={"doc_id": "d"}).json()
    assert first["chunks"] == again["chunks"]
    described = _describe(client, collection)
    assert described["documents"] == [{"doc_id": "d", "chunks": first["chunks"], "bm25_chunks": first["chunks"]}]
    # the same doc_id with other content keeps only the new content
    _text_doc(client, collection, "d", HYPERPARAMS)
    assert _describe(client, collection)["documents"] == [{"doc_id": "d", "chunks": 2, "bm25_chunks": 2}]
    assert not any("SORA" in h["text"] for h in _query(client, collection, "SORA Text-to-Video", k=10))


def test_delete_document_removes_it_from_both_indexes(client: httpx.Client, rag_server: RagServer) -> None:
    collection = "u0123456789abcdef-sdel"
    _text_doc(client, collection, "keep", "삼성전자는 11월에 삼성 가우스(Samsung Gauss)를 첫 공개하였다.")
    _text_doc(client, collection, "gone", HYPERPARAMS)
    assert client.delete(f"/v1/collections/{collection}/documents/gone").status_code == 204
    assert _describe(client, collection)["documents"] == [{"doc_id": "keep", "chunks": 1, "bm25_chunks": 1}]
    for mode in ("dense", "bm25", "hybrid"):
        assert all(h["doc_id"] == "keep" for h in _query(client, collection, "드롭아웃 학습률", k=10, mode=mode))
    # deleting again (or an unknown document) is not an error
    assert client.delete(f"/v1/collections/{collection}/documents/gone").status_code == 204


def test_delete_collection(client: httpx.Client, rag_server: RagServer) -> None:
    collection = "u0123456789abcdef-sdrop"
    _text_doc(client, collection, "x", HYPERPARAMS)
    assert client.delete(f"/v1/collections/{collection}").status_code == 204
    assert _query(client, collection, "드롭아웃") == []
    assert _describe(client, collection)["chunks"] == 0
    assert client.delete(f"/v1/collections/{collection}").status_code == 204


def test_collections_are_listed_for_the_gateways_orphan_sweep(client: httpx.Client) -> None:
    collection = "u0123456789abcdef-slisted"
    _text_doc(client, collection, "x", HYPERPARAMS)
    listed = client.get("/v1/collections")
    assert listed.status_code == 200 and collection in listed.json()["collections"]
    assert client.delete(f"/v1/collections/{collection}").status_code == 204
    assert collection not in client.get("/v1/collections").json()["collections"]


def _upload(client: httpx.Client, data: bytes, name: str = "x.pdf", kind: str = "application/pdf") -> httpx.Response:
    return client.post(
        "/v1/collections/u0123456789abcdef-sbad/documents", files={"file": (name, data, kind)}, data={"doc_id": "bad"}
    )


def test_bad_pdfs_get_clear_4xx(
    client: httpx.Client, encrypted_pdf: bytes, image_only_pdf: bytes, corrupt_pdf: bytes
) -> None:
    assert "encrypted" in _error(_upload(client, encrypted_pdf), 422, "pdf_encrypted")["message"]
    assert "no text layer" in _error(_upload(client, image_only_pdf), 422, "pdf_no_text")["message"]
    _error(_upload(client, corrupt_pdf), 422)
    csv = fixture_path("yahoo_005930.KS_close_2024.csv").read_bytes()
    _error(_upload(client, csv, "prices.csv", "text/csv"), 415, "not_a_pdf")
    _error(_upload(client, csv, "prices.pdf"), 415, "not_a_pdf")
    assert _describe(client, "u0123456789abcdef-sbad")["chunks"] == 0


def test_limits_are_file_size_and_text_not_pages(client: httpx.Client, paper_bytes: bytes) -> None:
    _error(_upload(client, paper_bytes * 4), 413, "too_large")  # 13 MB > RAG_MAX_PDF_MB=10
    reader = pypdf.PdfReader(io.BytesIO(paper_bytes))
    writer = pypdf.PdfWriter()
    for _ in range(3):
        for page in reader.pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    # 84 pages, ~142,000 characters > RAG_MAX_TEXT_CHARS=120,000 of the test server
    error = _error(_upload(client, out.getvalue()), 413, "too_large")
    assert "characters of text" in error["message"]
    assert _describe(client, "u0123456789abcdef-sbad")["chunks"] == 0


def test_bad_requests(client: httpx.Client, short_paper: bytes) -> None:
    base = "/v1/collections"
    _error(client.post(f"{base}/Bad.Name/query", json={"query": "금융"}), 422, "invalid_collection")
    _error(client.post(f"{base}/ab/documents", json={"doc_id": "x", "text": "금융"}), 422, "invalid_collection")
    good = f"{base}/u0123456789abcdef-sreq"
    _error(client.post(f"{good}/documents", data={"doc_id": "x"}, files={}), 415)
    _error(client.post(f"{good}/documents", files={"file": ("a.pdf", short_paper, "application/pdf")}), 422)
    _error(
        client.post(f"{good}/documents", files={"file": ("a.pdf", short_paper)}, data={"doc_id": "../x"}),
        422,
        "invalid_doc_id",
    )
    _error(client.post(f"{good}/documents", data={"doc_id": "x", "name": "n"}, files={"other": ("a", b"1")}), 422)
    _error(client.post(f"{good}/documents", content=b"{not json", headers={"content-type": "application/json"}), 422)
    _error(client.post(f"{good}/documents", json={"doc_id": "x"}), 422)
    _error(client.post(f"{good}/documents", content=b"text", headers={"content-type": "text/plain"}), 415)
    _error(client.post(f"{good}/documents", json={"doc_id": "x", "text": "금융", "metadata": {"page": 0}}), 422)
    _error(client.post(f"{good}/query", json={"query": "금융", "k": 51}), 422)
    _error(client.post(f"{good}/query", json={"query": "  "}), 422)
    _error(client.post(f"{good}/query", json={"k": 3}), 422)
    _error(client.post(f"{good}/query", json={"query": "금융", "mode": "magic"}), 422)


def test_internal_token_is_required(rag_server: RagServer) -> None:
    with httpx.Client(base_url=rag_server.url) as anonymous:
        _error(anonymous.post(f"/v1/collections/{PAPER_COLLECTION}/query", json={"query": "금융"}), 401)
        wrong = anonymous.post(
            f"/v1/collections/{PAPER_COLLECTION}/query", json={"query": "금융"}, headers={"X-Internal-Token": "no"}
        )
        _error(wrong, 401)
        ready = anonymous.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"models": "ok", "chroma": "ok"}
