from pathlib import Path

from finscribe_rag.bm25_store import Bm25Collection, Bm25Store
from finscribe_rag.tokens import tokenize

# Sentences from the real paper (pages 13 and 14).
LEARNING_RATE = "초기 학습률을 적절히 설정하여 수렴 속도를 조절하고, 발산이나 수렴 부족 등의 문제를 예방한다"
DROPOUT = "드롭아웃은 훈련 중에 일부 뉴런을 랜덤하게 제외하여 모델이 특정 패턴에 과도하게 의존하는 것을 방지한다"
BATCH = "배치 크기는 한 번에 모델이 처리하는 데이터의 양을 결정한다"


def _filled(path: Path) -> Bm25Collection:
    collection = Bm25Collection.load(path)
    collection.replace_document("d1", [("d1#0", tokenize(LEARNING_RATE)), ("d1#1", tokenize(DROPOUT))])
    collection.replace_document("d2", [("d2#0", tokenize(BATCH))])
    return collection


def test_search_ranks_the_matching_chunk_first(tmp_path: Path) -> None:
    collection = _filled(tmp_path / "c.json")
    hits = collection.search(tokenize("드롭아웃으로 뉴런을 제외하는 이유"), k=3)
    assert hits[0][0] == "d1#1"
    assert all(score > 0 for _, score in hits)


def test_doc_filter(tmp_path: Path) -> None:
    collection = _filled(tmp_path / "c.json")
    hits = collection.search(tokenize("모델이 처리하는 데이터의 양"), k=3, doc_ids=["d1"])
    assert {cid for cid, _ in hits} <= {"d1#0", "d1#1"}
    assert collection.search(tokenize("모델"), k=3, doc_ids=["nope"]) == []


def test_state_survives_a_restart(tmp_path: Path) -> None:
    _filled(tmp_path / "c.json")
    reloaded = Bm25Collection.load(tmp_path / "c.json")
    assert reloaded.chunk_ids() == ["d1#0", "d1#1", "d2#0"]
    assert reloaded.search(tokenize("배치 크기"), k=1)[0][0] == "d2#0"


def test_replace_and_delete_are_exact(tmp_path: Path) -> None:
    collection = _filled(tmp_path / "c.json")
    collection.replace_document("d1", [("d1#0", tokenize(BATCH))])
    assert collection.chunk_ids("d1") == ["d1#0"]
    assert collection.delete_document("d2") == 1
    reloaded = Bm25Collection.load(tmp_path / "c.json")
    assert reloaded.chunk_ids() == ["d1#0"]
    assert reloaded.search(tokenize("드롭아웃"), k=5) == []


def test_store_drops_a_collection_file(tmp_path: Path) -> None:
    store = Bm25Store(tmp_path)
    store.get("abc").replace_document("d", [("d#0", tokenize(BATCH))])
    assert store.exists("abc") and (tmp_path / "abc.json").exists()
    store.drop("abc")
    assert not store.exists("abc") and not (tmp_path / "abc.json").exists()


def test_empty_query_or_collection(tmp_path: Path) -> None:
    assert Bm25Collection.load(tmp_path / "none.json").search(["모델"], k=3) == []
    assert _filled(tmp_path / "c.json").search([], k=3) == []


def test_a_change_wins_over_a_copy_reloaded_after_eviction(tmp_path: Path) -> None:
    store = Bm25Store(tmp_path, cache_size=1)
    store.replace_document("a", "d", [("d#0", tokenize(BATCH))])
    stale = store.get("a")
    store.get("b")  # evicts "a"
    store.replace_document("a", "e", [("e#0", tokenize(DROPOUT))])
    assert store.get("a").chunk_ids() == ["d#0", "e#0"]
    assert stale.chunk_ids() == ["d#0"]  # an old reader's copy is left alone
