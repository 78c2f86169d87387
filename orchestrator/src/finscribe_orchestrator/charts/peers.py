"""The charts of a peer comparison, built from each company's own data (no LLM choice):
grouped bars of 매출액/영업이익 and of 영업이익률 (or 당기순이익 when a financial company is in
the set), and the share prices rebased to 100 on the first date every company has a close.

Each chart cites every company's source it draws on; a company without the figure is left
out of that chart (never drawn as zero) and `omitted` names it.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from finscribe_orchestrator.charts.spec import ChartSpec, ChartType, SeriesData, SeriesSpec, Unit
from finscribe_orchestrator.data.bundle import Peer
from finscribe_orchestrator.data.peers import METRIC_KEYS

REBASE = 100.0


@dataclass
class PeerChart:
    spec: ChartSpec
    catalog: dict[str, SeriesData]
    citations: list[int]
    omitted: list[str] = field(default_factory=list)  # companies without the chart's figures


def _metrics(peer: Peer) -> tuple[dict[str, Any], int, str] | None:
    """(key-metrics data, its [n] in the merged bundle, its dataset key) of the report compared."""
    for key in METRIC_KEYS:
        dataset = peer.bundle.get(key)
        if dataset is not None and isinstance(dataset.data, dict):
            return dataset.data, dataset.n, key
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _spec(kind: ChartType, title: str, series: list[SeriesSpec], unit: Unit) -> ChartSpec:
    # built by code, not chosen by the LLM: the 4-series cap of LLM specs does not apply to
    # five companies' price lines, so the spec is constructed without re-validating it
    return ChartSpec.model_construct(
        type=kind,
        title=title,
        series=series,
        x_ref=None,
        period_start=None,
        period_end=None,
        unit_left=unit,
        unit_right=None,
    )


def metric_bars(
    peers: list[Peer], numbers: dict[str, int], fields: tuple[str, ...], labels: dict[str, str], unit: Unit, title: str
) -> PeerChart | None:
    """Bars of `fields` (one series each) with one group per company that reports all of them;
    None when fewer than two do. `numbers`: each peer's metrics dataset key -> its merged [n]."""
    rows: list[tuple[Peer, dict[str, float], int]] = []
    omitted = []
    for peer in peers:
        found = _metrics(peer)
        values = {f: _number(found[0].get(f)) for f in fields} if found else {}
        if found is None or any(v is None for v in values.values()):
            omitted.append(peer.company.name)
            continue
        rows.append((peer, {f: v for f, v in values.items() if v is not None}, numbers[found[2] + peer.suffix]))
    if len(rows) < 2:
        return None
    catalog: dict[str, SeriesData] = {}
    series = []
    for f in fields:
        ref = f"peers.{f}"
        catalog[ref] = SeriesData(
            ref=ref,
            label=labels[f],
            points=[(peer.company.name, values[f]) for peer, values, _ in rows],
            source={},
            n=None,
            unit=unit,
            categorical=True,
        )
        series.append(SeriesSpec(ref=ref, label=labels[f], axis="left"))
    return PeerChart(_spec("bar", title, series, unit), catalog, sorted({n for _, _, n in rows}), omitted)


def common_start(series: dict[str, list[tuple[dt.date, float]]]) -> dt.date | None:
    """The first date every series has a close on or before (the latest of their first dates)."""
    firsts = [points[0][0] for points in series.values() if points]
    return max(firsts) if firsts else None


def rebased(points: list[tuple[dt.date, float]], start: dt.date) -> list[tuple[dt.date, float]]:
    """Closes from `start` as an index: the close on `start` (or the last one before it) = 100."""
    before = [p for p in points if p[0] <= start]
    base = before[-1][1] if before else None
    if not base:
        return []
    return [(start, REBASE)] + [(d, close / base * REBASE) for d, close in points if d > start]


def price_performance(peers: list[Peer], numbers: dict[str, int], title: str) -> PeerChart | None:
    """Each company's close rebased to 100 on the common start date, one line per company
    named as filed; None when fewer than two companies have prices."""
    closes: dict[str, list[tuple[dt.date, float]]] = {}
    cited: dict[str, int] = {}
    omitted = []
    for peer in peers:
        dataset = peer.bundle.get("price")
        rows = dataset.data if dataset is not None and isinstance(dataset.data, list) else []
        points = sorted(
            (dt.date.fromisoformat(str(r["date"])[:10]), float(r["close"]))
            for r in rows
            if isinstance(r, dict) and r.get("date") and _number(r.get("close"))
        )
        if not points:
            omitted.append(peer.company.name)
            continue
        closes[peer.company.name] = points
        cited[peer.company.name] = numbers["price" + peer.suffix]
    start = common_start(closes)
    if len(closes) < 2 or start is None:
        return None
    catalog: dict[str, SeriesData] = {}
    series = []
    for index, (name, points) in enumerate(closes.items()):
        ref = f"peers.price.{index}"
        catalog[ref] = SeriesData(ref=ref, label=name, points=rebased(points, start), source={}, n=cited[name])
        series.append(SeriesSpec(ref=ref, label=name, axis="left"))
    return PeerChart(_spec("line", title, series, ""), catalog, sorted(set(cited.values())), omitted)
