"""A peer comparison's comparing sentences, from the merged bundle's own figures (no LLM).

Who is larger by market cap, revenue and operating income (by how many times and by how
much), operating margins side by side with their gap in %p, and growth rates against the
same period a year earlier side by side with their gap in %p. Every figure is followed by
its own company's `[n]`; a derived figure (a multiple, a difference, a gap) is added to the
fact index once per company it compares, so the grounding check accepts it in a sentence
that cites those companies. A company without a line (a bank has no 매출액 or 영업이익률) is
named as left out of that comparison, never shown as zero.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from finscribe_common.numbers.format import pct, pp
from finscribe_orchestrator.data.bundle import DataBundle, Peer
from finscribe_orchestrator.data.peers import basis_of
from finscribe_orchestrator.labels import label, money, multiple, particle

# which comparisons a section gets, by the data it asked for: the scale of the companies
# where it wants market caps (the template's summary), margins and growth where it wants
# only the key metrics (the template's profitability section)
SCALE_LINES = ("revenue", "operating_income")
FINANCIAL_SCALE_LINES = ("net_income",)
GROWTH_LINES = ("revenue", "operating_income", "net_income")


@dataclass(frozen=True)
class Figure:
    """One company's value of one line, with the merged dataset key that holds it."""

    company: str
    value: float
    key: str


@dataclass(frozen=True)
class PeerFigures:
    company: str
    financial: bool
    metrics: dict[str, Any]  # the key-metrics answer of the period compared ({} when none)
    metrics_key: str | None
    annual: bool
    market_cap: float | None
    market_cap_key: str | None


def _f(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def peer_figures(peer: Peer) -> PeerFigures:
    """The figures one company is compared on: its key metrics of the period compared and its
    latest market cap (krx), each with the merged bundle's dataset key that cites it."""
    basis = basis_of(peer)
    metrics: dict[str, Any] = {}
    if basis.dataset_key is not None:
        data = peer.bundle.get(basis.dataset_key.split("@", 1)[0])
        metrics = data.data if data is not None and isinstance(data.data, dict) else {}
    cap: float | None = None
    caps = peer.bundle.get("market_cap")
    if caps is not None:
        rows = caps.data if isinstance(caps.data, list) else (caps.data or {}).get("rows", [])
        dated = sorted((r for r in rows if isinstance(r, dict) and r.get("date")), key=lambda r: str(r["date"]))
        cap = _f(dated[-1].get("market_cap")) if dated else None
    return PeerFigures(
        company=peer.company.name,
        financial=basis.financial,
        metrics=metrics,
        metrics_key=basis.dataset_key,
        annual=metrics.get("report") == "annual",
        market_cap=cap,
        market_cap_key=f"market_cap{peer.suffix}" if cap is not None else None,
    )


def _line(peers: list[PeerFigures], line: str) -> tuple[list[Figure], list[str]]:
    """(the companies that report `line`, largest first; the ones that do not)."""
    found, missing = [], []
    for peer in peers:
        value = _f(peer.metrics.get(line))
        if value is None or peer.metrics_key is None:
            missing.append(peer.company)
        else:
            found.append(Figure(peer.company, value, peer.metrics_key))
    return sorted(found, key=lambda f: -f.value), missing


def _growth(peers: list[PeerFigures], line: str) -> tuple[list[Figure], list[str]]:
    found, missing = [], []
    for peer in peers:
        yoy = peer.metrics.get("yoy") if isinstance(peer.metrics.get("yoy"), dict) else {}
        value = _f(yoy.get(line)) if yoy else None
        if value is None or peer.metrics_key is None:
            missing.append(peer.company)
        else:
            found.append(Figure(peer.company, value, peer.metrics_key))
    return sorted(found, key=lambda f: -f.value), missing


class Comparer:
    """Writes the sentences of one comparison in the run's language and records the derived
    figures they show in the bundle's fact index. `cite(key)` is the `[n]` of a dataset."""

    def __init__(self, bundle: DataBundle, cite: Callable[[str], int | None]) -> None:
        self.bundle = bundle
        self.language = bundle.language
        self.cite = cite
        self.peers = [peer_figures(p) for p in bundle.peers]

    def _listed(self, figures: list[Figure], shown: Callable[[float], str]) -> str:
        parts = [f"{f.company} {shown(f.value)} [{self.cite(f.key)}]" for f in figures]
        return label(self.language, "list_sep").join(parts)

    def _derived(self, value: float, top: Figure, bottom: Figure, kind: str = "value") -> None:
        for key in (top.key, bottom.key):
            self.bundle.facts.add_number(value, source=key, kind="pp" if kind == "pp" else "value")

    def _left_out(self, missing: list[str], name: str) -> list[str]:
        if not missing:
            return []
        names = particle(self.language, label(self.language, "list_sep").join(missing), "은", "는")
        shown = name.lower() if self.language == "en" else particle(self.language, name, "을", "를")
        return [label(self.language, "cmp_left_out", names_topic=names, name_object=shown)]

    def _sentence(self, template: str, name: str, listed: str, top: Figure, bottom: Figure, **values: str) -> str:
        return label(
            self.language, template, name_topic=particle(self.language, name, "은", "는"), listed=listed,
            top_subject=particle(self.language, top.company, "이", "가"), bottom=bottom.company, **values,
        )  # fmt: skip

    def amount(self, figures: list[Figure], missing: list[str], name: str) -> list[str]:
        """'{name}은 A x [a], B y [b] 순이며, A가 B의 r배(d 많음)입니다.'"""
        if len(figures) < 2:
            return []
        top, bottom = figures[0], figures[-1]
        listed = self._listed(figures, lambda v: money(self.language, v))
        if top.value <= 0 or bottom.value <= 0:  # a loss: a multiple says nothing, the gap does
            gap = top.value - bottom.value
            self._derived(gap, top, bottom)
            text = self._sentence("cmp_amount_gap", name, listed, top, bottom, gap=money(self.language, gap))
            return [text, *self._left_out(missing, name)]
        ratio, gap = top.value / bottom.value, top.value - bottom.value
        self._derived(ratio, top, bottom)
        self._derived(gap, top, bottom)
        shown = {"ratio": multiple(self.language, ratio), "gap": money(self.language, gap)}
        text = self._sentence("cmp_amount", name, listed, top, bottom, **shown)
        return [text, *self._left_out(missing, name)]

    def rate(self, figures: list[Figure], missing: list[str], name: str, signed: bool) -> list[str]:
        """Percentages side by side, and the gap between the highest and the lowest in %p."""
        if len(figures) < 2:
            return []
        top, bottom = figures[0], figures[-1]
        gap = top.value - bottom.value
        self._derived(gap, top, bottom, kind="pp")
        listed = self._listed(figures, lambda v: pct(v, signed))
        text = self._sentence("cmp_rate", name, listed, top, bottom, gap=pp(gap).lstrip("+"))
        return [text, *self._left_out(missing, name)]

    def scale(self) -> list[str]:
        """Market cap, then revenue and operating income (a bank among them: net income too)."""
        sentences: list[str] = []
        caps = [
            Figure(p.company, p.market_cap, p.market_cap_key)
            for p in self.peers
            if p.market_cap is not None and p.market_cap_key is not None
        ]
        missing_caps = [p.company for p in self.peers if p.market_cap is None]
        caps.sort(key=lambda f: -f.value)
        sentences += self.amount(caps, missing_caps, label(self.language, "market_cap"))
        lines = SCALE_LINES + (FINANCIAL_SCALE_LINES if any(p.financial for p in self.peers) else ())
        for line in lines:
            sentences += self.amount(*_line(self.peers, line), label(self.language, line))
        return sentences

    def profitability(self) -> list[str]:
        """Operating margins side by side, then each line's growth on a year earlier."""
        sentences = self.rate(
            *_line(self.peers, "operating_margin"),
            label(self.language, "operating_margin"),
            signed=False,
        )
        annual = {p.annual for p in self.peers if p.metrics}
        versus = label(self.language, "versus_year" if annual == {True} else "versus_same")
        for line in GROWTH_LINES:
            name = label(self.language, "cmp_growth_name", name=label(self.language, line), versus=versus)
            growth, _ = _growth(self.peers, line)  # a company without the line was named above
            sentences += self.rate(growth, [], name, signed=True)
        return sentences


def comparison_sentences(bundle: DataBundle, wanted: list[str]) -> list[str]:
    """The comparing sentences of a peer comparison's section that asked for `wanted` data:
    the scale where it wants market caps, margins and growth where it wants only the key
    metrics; [] for a section that wants neither (prices) or a run that is not a comparison."""
    if len(bundle.peers) < 2:
        return []
    comparer = Comparer(bundle, bundle.source_number)
    if "market_cap" in wanted:
        return comparer.scale()
    if any(key.startswith("metrics_") for key in wanted):
        return comparer.profitability()
    return []


def add_comparison_facts(bundle: DataBundle) -> None:
    """Every derived figure the comparing sentences can show, into the fact index (at gather
    time, so an LLM writing the same comparison is grounded too)."""
    if len(bundle.peers) < 2:
        return
    comparer = Comparer(bundle, bundle.source_number)
    comparer.scale()
    comparer.profitability()
