"""Rank fusion of the dense and BM25 lists: weighted reciprocal rank fusion (Cormack, Clarke
& Büttcher, SIGIR 2009) over a fixed candidate depth, with each list's winners kept on top.

- Ranks only: BM25 scores (unbounded) and cosine similarities need no calibration.
- Fixed depth (`CANDIDATES` per list, whatever `k` the caller asks for): the fused order is
  a function of the two lists alone, so the top 3 are the same for k=5 and k=50.
- Plain RRF (k=60) lets any chunk that both lists found at ranks ~20-40 outrank a chunk one
  list put first (2/(60+30) > 1/(60+1)). `keep_top` = m places the first m chunks of every
  list ahead of all others (in fused order among themselves), so a single-list winner is
  never lost.

The constants below were chosen on the development half of bench/data/financebench and
checked on the Korean set (the ablation is printed by `bench/rag_eval.py`; README
"Fusion"), among the variants that keep each list's winner on top (keep_top >= 1, the
rule the issue sets); with multilingual-e5-small embeddings, k=60, BM25 at half the dense
weight and keep_top=1 was best on dev there and never below the best single retriever.
Half weight alone would bury BM25's winner under every dense candidate (0.5/61 < 1/120);
keep_top=1 is what keeps it.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

RRF_K = 60
CANDIDATES = 50  # per list, independent of k
KEEP_TOP = 1  # each list's winner first: a chunk one retriever ranks first is never buried
WEIGHTS: dict[str, float] = {"dense": 1.0, "bm25": 0.5}  # e5's list is the stronger one
PAGES_FIRST = True  # one passage per page before a second one from any page (pages_first)


@dataclass(frozen=True)
class Fused:
    chunk_id: str
    score: float
    ranks: dict[str, int]  # list name -> 1-based rank in that list


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[str]],
    k: float = RRF_K,
    *,
    weights: Mapping[str, float] | None = None,
    keep_top: int = 0,
) -> list[Fused]:
    """Fused list, best first. `rankings`: list name -> chunk ids best first.

    score = sum over lists of weight / (k + rank); ties keep the order of first appearance
    (the first list first), so results are stable. With `keep_top` = m > 0 the union of every
    list's first m chunks comes first.
    """
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    first_seen: dict[str, int] = {}
    for name, ids in rankings.items():
        weight = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, chunk_id in enumerate(ids, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (k + rank)
            ranks.setdefault(chunk_id, {})[name] = rank
            first_seen.setdefault(chunk_id, len(first_seen))
    pinned = {cid for ids in rankings.values() for cid in list(ids)[:keep_top]}
    ordered = sorted(scores, key=lambda cid: (cid not in pinned, -scores[cid], first_seen[cid]))
    return [Fused(cid, scores[cid], ranks[cid]) for cid in ordered]


def fuse(rankings: Mapping[str, Sequence[str]]) -> list[Fused]:
    """The service's fusion: the chosen constants, each list cut to CANDIDATES."""
    return reciprocal_rank_fusion(
        {name: list(ids)[:CANDIDATES] for name, ids in rankings.items()}, RRF_K, weights=WEIGHTS, keep_top=KEEP_TOP
    )


def pages_first(chunk_ids: Sequence[str], page_of: Mapping[str, Hashable]) -> list[str]:
    """`chunk_ids` reordered so that each page's first chunk comes before any page's second:
    the best passage of every page first, in the given order, then the others in order.

    A filing page holds ~7 chunks; without this, three neighbours from one wrong page can fill
    the top 5 and push out the page that answers (every hit is cited by its page, so five
    hits from five pages are five chances). `page_of`: chunk id -> its (document, page);
    a chunk it does not know counts as a page of its own.
    """
    seen: set[Hashable] = set()
    first: list[str] = []
    rest: list[str] = []
    for chunk_id in chunk_ids:
        page = page_of.get(chunk_id, ("chunk", chunk_id))
        (rest if page in seen else first).append(chunk_id)
        seen.add(page)
    return first + rest
