from finscribe_rag.fusion import CANDIDATES, RRF_K, fuse, pages_first, reciprocal_rank_fusion


def test_documents_in_both_lists_rise() -> None:
    fused = reciprocal_rank_fusion({"dense": ["a", "b", "c"], "bm25": ["c", "d", "a"]})
    assert [f.chunk_id for f in fused][:2] == ["a", "c"]
    a = fused[0]
    assert a.ranks == {"dense": 1, "bm25": 3}
    assert a.score == 1 / (RRF_K + 1) + 1 / (RRF_K + 3)


def test_single_list_keeps_its_order() -> None:
    assert [f.chunk_id for f in reciprocal_rank_fusion({"bm25": ["x", "y", "z"], "dense": []})] == ["x", "y", "z"]
    assert [f.chunk_id for f in fuse({"bm25": ["x", "y", "z"], "dense": []})] == ["x", "y", "z"]


def test_ties_are_stable() -> None:
    fused = reciprocal_rank_fusion({"dense": ["a", "b"], "bm25": ["b", "a"]})
    assert [f.chunk_id for f in fused] == ["a", "b"]


def test_plain_rrf_buries_a_single_list_winner_and_keep_top_does_not() -> None:
    # "w" is BM25's first hit and absent from the dense list; "s1".."s5" both lists found at ranks 20-30.
    shared = [f"s{i}" for i in range(1, 6)]
    dense = [f"d{i}" for i in range(19)] + shared
    bm25 = ["w"] + [f"b{i}" for i in range(18)] + shared
    plain = [f.chunk_id for f in reciprocal_rank_fusion({"dense": dense, "bm25": bm25})]
    assert plain.index("w") > 3  # 2/(60+20) > 1/(60+1): chunks found twice, lower, win
    kept = [f.chunk_id for f in reciprocal_rank_fusion({"dense": dense, "bm25": bm25}, keep_top=1)]
    assert kept[:2] == ["d0", "w"] or kept[:2] == ["w", "d0"]


def test_the_top_does_not_depend_on_how_many_hits_are_asked_for() -> None:
    dense = [f"c{(i * 7) % 97}" for i in range(120)]
    bm25 = [f"c{(i * 11) % 89}" for i in range(120)]
    top = [f.chunk_id for f in fuse({"dense": dense, "bm25": bm25})][:10]
    # the service always hands fuse() CANDIDATES per list; longer lists are cut to that depth
    again = [f.chunk_id for f in fuse({"dense": dense[:CANDIDATES], "bm25": bm25[:CANDIDATES]})][:10]
    assert top == again


def test_pages_first_shows_every_page_once_before_any_page_twice() -> None:
    page_of = {"a1": ("d", 3), "a2": ("d", 3), "a3": ("d", 3), "b1": ("d", 7), "c1": ("e", 3)}
    order = pages_first(["a1", "a2", "a3", "b1", "c1", "z"], page_of)
    # page 3 of d once, then page 7, page 3 of another document, an unknown chunk, then the rest
    assert order == ["a1", "b1", "c1", "z", "a2", "a3"]
    assert pages_first([], {}) == []
