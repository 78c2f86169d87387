from finscribe_rag.fusion import RRF_K, reciprocal_rank_fusion


def test_documents_in_both_lists_rise() -> None:
    fused = reciprocal_rank_fusion({"dense": ["a", "b", "c"], "bm25": ["c", "d", "a"]})
    assert [f.chunk_id for f in fused][:2] == ["a", "c"]
    a = fused[0]
    assert a.ranks == {"dense": 1, "bm25": 3}
    assert a.score == 1 / (RRF_K + 1) + 1 / (RRF_K + 3)


def test_single_list_keeps_its_order() -> None:
    assert [f.chunk_id for f in reciprocal_rank_fusion({"bm25": ["x", "y", "z"], "dense": []})] == ["x", "y", "z"]


def test_ties_are_stable() -> None:
    fused = reciprocal_rank_fusion({"dense": ["a", "b"], "bm25": ["b", "a"]})
    assert [f.chunk_id for f in fused] == ["a", "b"]
