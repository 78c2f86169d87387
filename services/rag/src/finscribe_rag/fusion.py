"""Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009).

RRF uses ranks only, so BM25 scores (unbounded) and cosine similarities need no
calibration against each other; k=60 is the paper's constant.
"""

from collections.abc import Sequence
from dataclasses import dataclass

RRF_K = 60


@dataclass(frozen=True)
class Fused:
    chunk_id: str
    score: float
    ranks: dict[str, int]  # list name -> 1-based rank in that list


def reciprocal_rank_fusion(rankings: dict[str, Sequence[str]], k: int = RRF_K) -> list[Fused]:
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    first_seen: dict[str, int] = {}
    order = 0
    for name, ids in rankings.items():
        for rank, chunk_id in enumerate(ids, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (k + rank)
            ranks.setdefault(chunk_id, {})[name] = rank
            if chunk_id not in first_seen:
                first_seen[chunk_id] = order
                order += 1
    # Ties (same ranks in swapped lists) keep the order of the first list, so results are stable.
    ordered = sorted(scores, key=lambda cid: (-scores[cid], first_seen[cid]))
    return [Fused(cid, scores[cid], ranks[cid]) for cid in ordered]
