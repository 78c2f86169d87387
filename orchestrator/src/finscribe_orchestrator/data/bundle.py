"""The data of one run: datasets with their citation numbers, their summaries and the fact index."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from finscribe_common.demo.provenance import Recording, relabel
from finscribe_orchestrator.data.company import Company
from finscribe_orchestrator.grounding.facts import FactIndex
from finscribe_orchestrator.sources import SourceRegistry


@dataclass
class Dataset:
    key: str
    title: str
    data: Any
    source: dict[str, Any]
    n: int
    lines: list[str] = field(default_factory=list)  # what the LLM sees
    sentences: list[str] = field(default_factory=list)  # templated Korean for the data-only document
    figures: list[tuple[str, str]] = field(default_factory=list)  # the key-figures table


@dataclass
class DataBundle:
    as_of: dt.date
    company: Company | None = None
    datasets: dict[str, Dataset] = field(default_factory=dict)
    sources: SourceRegistry = field(default_factory=SourceRegistry)
    facts: FactIndex = field(default_factory=FactIndex)
    failed: dict[str, str] = field(default_factory=dict)
    report_note: str | None = None  # which DART report the figures come from (data/reports.py)
    language: str = "ko"  # of every title, line, sentence and figure name the summaries write (labels.py)
    # demo mode: every source is relabelled with what it really is and when it was recorded
    # (finscribe_common.demo.provenance); None outside demo mode
    demo_recordings: tuple[Recording, ...] | None = None
    # a peer comparison (data/peers.py): each company's own bundle; their datasets are merged
    # into this one under `key@ticker`, renumbered, so every [n] is one company's source
    peers: list["Peer"] = field(default_factory=list)

    def add(self, key: str, title: str, data: Any, source: dict[str, Any]) -> Dataset:
        if self.demo_recordings is not None:
            title, source = relabel(self.demo_recordings, title, source, self.language)
        n = self.sources.add(source, title)
        dataset = Dataset(key=key, title=title, data=data, source=source, n=n)
        self.datasets[key] = dataset
        self.facts.add_payload(data, source=key)
        if source.get("as_of"):
            self.facts.add_date(str(source["as_of"]))
        return dataset

    def renumber(self, order: list[str]) -> None:
        """Number sources in reading order (parallel fetches finish in any order); before any text cites them."""

        def rank(dataset: Dataset) -> tuple[int, int]:
            prefix = dataset.key.split(":", 1)[0]
            return (order.index(prefix) if prefix in order else len(order), dataset.n)

        self.sources = SourceRegistry()
        for dataset in sorted(self.datasets.values(), key=rank):
            dataset.n = self.sources.add(dataset.source, dataset.title)

    def source_number(self, key: str) -> int | None:
        """The `[n]` of the dataset `key` (facts remember their dataset; numbers change on renumber)."""
        dataset = self.datasets.get(key)
        return dataset.n if dataset is not None else None

    def get(self, key: str) -> Dataset | None:
        return self.datasets.get(key)

    def block(self, keys: list[str] | None = None) -> str:
        """The data block of every prompt: `[n] title (provider, as_of)` then its figures, one per line."""
        chosen = [d for k, d in self.datasets.items() if keys is None or k in keys] or list(self.datasets.values())
        parts = []
        shown: dict[int, set[str]] = {}
        for dataset in sorted(chosen, key=lambda d: d.n):
            # peers share some sources (the same index): one heading, each distinct line once
            if dataset.n not in shown:
                head = f"[{dataset.n}] {dataset.title} (출처: {dataset.source.get('provider')}"
                if dataset.source.get("as_of"):
                    head += f", 기준일 {dataset.source['as_of']}"
                parts.append(head + ")")
                shown[dataset.n] = set()
            for line in dataset.lines:
                if line not in shown[dataset.n]:
                    shown[dataset.n].add(line)
                    parts.append(f"- {line}")
        return "\n".join(parts) if parts else "(가져온 데이터 없음)"

    def catalog(self) -> dict[str, str]:
        return {k: d.title for k, d in self.datasets.items()}


@dataclass
class Peer:
    """One company of a peer comparison: its own bundle as gathered, and the suffix its
    datasets carry in the run's merged bundle (`metrics_interim@005380`)."""

    company: Company
    bundle: DataBundle

    @property
    def suffix(self) -> str:
        return f"@{self.company.ticker or self.company.corp_code or self.company.name}"


def found_items(bundle: DataBundle) -> list[dict[str, Any]]:
    """The datasets gathered, for the panel's "data found" list: `{key, title, provider,
    as_of, n}` in citation order (`n` is the source's [n]; `as_of` the source's date)."""
    items = []
    for dataset in sorted(bundle.datasets.values(), key=lambda d: d.n):
        source = dataset.source or {}
        item = {"key": dataset.key, "title": dataset.title, "provider": source.get("provider"), "n": dataset.n}
        if source.get("as_of"):
            item["as_of"] = str(source["as_of"])
        items.append(item)
    return items
