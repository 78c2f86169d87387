"""BM25 terms stored with their chunks in real Chroma; two stores (two replicas) over one
Chroma rebuild their in-memory index when the other writes."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from finscribe_rag.bm25_store import TERMS_KEY, VERSION_KEY, Bm25Collection, Bm25Store, terms_field
from finscribe_rag.embeddings import UseEmbeddingFunction, embed
from finscribe_rag.tokens import tokenize
from finscribe_rag.vector_store import VectorStore, build_client

# Sentences from the real paper (pages 13 and 14).
LEARNING_RATE = "초기 학습률을 적절히 설정하여 수렴 속도를 조절하고, 발산이나 수렴 부족 등의 문제를 예방한다"
DROPOUT = "드롭아웃은 훈련 중에 일부 뉴런을 랜덤하게 제외하여 모델이 특정 패턴에 과도하게 의존하는 것을 방지한다"
BATCH = "배치 크기는 한 번에 모델이 처리하는 데이터의 양을 결정한다"
COLLECTION = "u0123456789abcdef-sbm25"


def _built() -> Bm25Collection:
    return Bm25Collection.build(
        [
            ("d1#0", "d1", tokenize(LEARNING_RATE)),
            ("d1#1", "d1", tokenize(DROPOUT)),
            ("d2#0", "d2", tokenize(BATCH)),
        ]
    )


def test_search_ranks_the_matching_chunk_first() -> None:
    hits = _built().search(tokenize("드롭아웃으로 뉴런을 제외하는 이유"), k=3)
    assert hits[0][0] == "d1#1"
    assert all(score > 0 for _, score in hits)


def test_doc_filter() -> None:
    collection = _built()
    hits = collection.search(tokenize("모델이 처리하는 데이터의 양"), k=3, doc_ids=["d1"])
    assert {cid for cid, _ in hits} <= {"d1#0", "d1#1"}
    assert collection.search(tokenize("모델"), k=3, doc_ids=["nope"]) == []


def test_empty_query_or_collection() -> None:
    assert Bm25Collection.build([]).search(["모델"], k=3) == []
    assert _built().search([], k=3) == []


def test_terms_field_keeps_tokens_whole() -> None:
    assert terms_field(["삼성 전자", "", "영업이익"]) == "삼성_전자 영업이익"


@pytest.fixture
def vectors(tmp_path: Path) -> VectorStore:
    return VectorStore(build_client(str(tmp_path / "chroma"), None), UseEmbeddingFunction(), "use-multilingual-v3")


def _write(vectors: VectorStore, doc_id: str, texts: list[str], *, with_terms: bool = True) -> None:
    ids = [f"{doc_id}#{i:05d}" for i in range(len(texts))]
    metadatas = [{"doc_id": doc_id, "page": 1, "position": i} for i in range(len(texts))]
    if with_terms:
        for meta, text in zip(metadatas, texts, strict=True):
            meta[TERMS_KEY] = terms_field(tokenize(text))
    vectors.replace_document(COLLECTION, doc_id, ids, texts, embed(vectors.embedding_function, texts), metadatas)


def test_two_replicas_see_each_others_writes(vectors: VectorStore) -> None:
    writer, reader = Bm25Store(vectors), Bm25Store(vectors)
    assert reader.get(COLLECTION).search(tokenize("배치 크기"), k=1) == []
    _write(vectors, "d1", [LEARNING_RATE, DROPOUT])
    writer.mark_changed(COLLECTION)
    assert reader.get(COLLECTION).chunk_ids() == ["d1#00000", "d1#00001"]
    builds = reader.builds
    reader.get(COLLECTION)
    assert reader.builds == builds  # unchanged version: no rebuild
    _write(vectors, "d2", [BATCH])
    writer.mark_changed(COLLECTION)
    assert reader.get(COLLECTION).search(tokenize("배치 크기"), k=1)[0][0] == "d2#00000"
    vectors.delete_document(COLLECTION, "d1")
    writer.mark_changed(COLLECTION)
    assert reader.get(COLLECTION).doc_ids() == ["d2"]
    # the version lives in the collection's metadata next to the embedding label it must keep
    meta = vectors.open(COLLECTION).metadata  # type: ignore[union-attr]
    assert meta["finscribe_embedding"] == "use-multilingual-v3" and len(meta[VERSION_KEY]) == 32


def test_chunks_without_stored_terms_are_tokenised_from_their_text(vectors: VectorStore) -> None:
    _write(vectors, "old", [LEARNING_RATE, BATCH], with_terms=False)  # as indexed before terms moved to Chroma
    hits = Bm25Store(vectors).get(COLLECTION).search(tokenize("초기 학습률"), k=2)
    assert hits[0][0] == "old#00000" and hits[0][1] > 0


def test_a_dropped_collection_is_empty(vectors: VectorStore) -> None:
    store = Bm25Store(vectors)
    _write(vectors, "d", [BATCH])
    store.mark_changed(COLLECTION)
    assert store.get(COLLECTION).chunk_ids() == ["d#00000"]
    vectors.delete_collection(COLLECTION)
    store.drop(COLLECTION)
    assert store.get(COLLECTION).chunk_ids() == [] and isinstance(store.get(COLLECTION).doc_ids_, np.ndarray)


def test_a_search_within_documents_uses_their_statistics() -> None:
    # The company's name is in every chunk of its own filing and rare in the collection; its
    # subsidiaries list repeats it. Within that filing the name says nothing, and the balance
    # sheet must win for "acme balance sheet" (with the collection's statistics the list wins).
    other = [(f"b#{i}", "b", tokenize(f"balance sheet review item {i} of another filer")) for i in range(30)]
    acme = [
        ("a#0", "a", tokenize("Acme Holdings Acme Europe Acme Japan Acme Brazil Acme Canada subsidiaries")),
        ("a#1", "a", tokenize("Acme consolidated balance sheet total liabilities 203,643")),
        ("a#2", "a", tokenize("Acme annual report risk factors")),
        ("a#3", "a", tokenize("Acme revenue grew in every segment")),
    ]
    collection = Bm25Collection.build(other + acme)
    query = tokenize("Acme balance sheet")
    assert collection.search(query, k=4, doc_ids=["a"])[0][0] == "a#1"
    assert collection.search(query, k=4, doc_ids=["a"]) == collection.search(query, k=4, doc_ids=["a"])  # kept
    # the whole collection (no filter) still scores with every chunk's statistics
    assert {cid for cid, _ in collection.search(query, k=40)} >= {"a#0", "a#1"}
    assert collection.search(query, k=4, doc_ids=["missing"]) == []


def test_a_cached_subset_follows_another_replicas_write(vectors: VectorStore) -> None:
    writer, reader = Bm25Store(vectors), Bm25Store(vectors)
    _write(vectors, "d1", [LEARNING_RATE, DROPOUT])
    _write(vectors, "d2", [BATCH])
    writer.mark_changed(COLLECTION)
    assert reader.get(COLLECTION).search(tokenize("드롭아웃"), k=2, doc_ids=["d1"])[0][0] == "d1#00001"
    _write(vectors, "d1", [BATCH, LEARNING_RATE])  # d1 replaced by the other replica
    writer.mark_changed(COLLECTION)
    assert reader.get(COLLECTION).search(tokenize("드롭아웃"), k=2, doc_ids=["d1"]) == []
    assert reader.get(COLLECTION).search(tokenize("배치 크기"), k=2, doc_ids=["d1"])[0][0] == "d1#00000"


def test_doc_ids_unknown_duplicated_or_all() -> None:
    collection = _built()
    query = tokenize("모델이 처리하는 데이터의 양과 뉴런")
    whole = collection.search(query, k=3)
    assert collection.search(query, k=3, doc_ids=["d1", "d2"]) == whole  # all documents: the whole index
    assert collection.search(query, k=3, doc_ids=["d2", "d1", "nope"]) == whole
    assert collection.search(query, k=3, doc_ids=["d1", "nope"]) == collection.search(query, k=3, doc_ids=["d1"])
    assert collection.search(query, k=3, doc_ids=["d1", "d1"]) == collection.search(query, k=3, doc_ids=["d1"])
    assert collection.search(query, k=50, doc_ids=["d1"]) and collection.search(query, k=3, doc_ids=[]) == []
    assert len(collection._subsets) == 2  # {d1}, {d1, nope}; the whole index is never copied


def test_concurrent_searches_over_many_subsets_agree_with_one_at_a_time() -> None:
    words = [LEARNING_RATE, DROPOUT, BATCH, "Total liabilities and shareholders' equity of 3M"]
    entries = [(f"d{d}#{i}", f"d{d}", tokenize(words[(d + i) % 4])) for d in range(6) for i in range(4)]
    subsets = [[f"d{a}", f"d{b}"] for a in range(6) for b in range(a + 1, 6)]  # 15, past the cache of 16 with 3s
    subsets += [[f"d{a}", f"d{a + 1}", f"d{a + 2}"] for a in range(4)]
    query = tokenize("학습률 드롭아웃 liabilities")
    expected = [Bm25Collection.build(entries).search(query, 5, s) for s in subsets]
    shared = Bm25Collection.build(entries)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: shared.search(query, 5, subsets[i % len(subsets)]), range(400)))
    assert answers == [expected[i % len(subsets)] for i in range(400)]
    assert len(shared._subsets) <= 16


def test_cached_subsets_hold_at_most_four_times_the_collection() -> None:
    entries = [(f"d{d:02d}#{i}", f"d{d:02d}", tokenize(DROPOUT if i else BATCH)) for d in range(20) for i in range(3)]
    collection = Bm25Collection.build(entries)
    documents = sorted({doc for _, doc, _ in entries})
    for left_out in range(16):  # 16 searches, each in 19 of the 20 documents
        subset = [d for d in documents if d != documents[left_out]]
        assert len(collection.search(tokenize("배치 크기"), k=60, doc_ids=subset)) == 19
    assert sum(len(positions) for positions, _ in collection._subsets.values()) <= 4 * len(entries)
    assert 1 <= len(collection._subsets) <= 4
    # small subsets (one document each, as the evaluation searches) are all kept
    for d in documents[:16]:
        collection.search(tokenize("배치 크기"), k=3, doc_ids=[d])
    assert len(collection._subsets) == 16
