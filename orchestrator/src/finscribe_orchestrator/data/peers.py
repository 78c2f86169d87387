"""A peer comparison's data: resolve 2-5 companies, choose one reporting period for all,
gather each company's bundle in parallel, and merge them into the run's bundle.

Every company keeps its own datasets, sources and facts: in the merged bundle a dataset is
`key@ticker` (`metrics_interim@000270`) with its own citation number, and its facts are
attributed to that key, so grounding accepts a figure only when its sentence cites the
company the figure belongs to. Data come from the same services as a one-company draft
(krx prices, dart filings list and key metrics, yahoo fallbacks).
"""

import asyncio
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from finscribe_orchestrator.clients import Clients
from finscribe_orchestrator.clients.base import ServiceCallError
from finscribe_orchestrator.data.bundle import DataBundle, Dataset, Peer
from finscribe_orchestrator.data.company import Company, resolve_company
from finscribe_orchestrator.data.gather import gather_company
from finscribe_orchestrator.data.reports import FILINGS_LOOKBACK_DAYS, Period, filed_reports, period_rank
from finscribe_orchestrator.data.summaries import is_financial
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.labels import report_name
from finscribe_orchestrator.messages import text

_CITATION = re.compile(r"\[(\d+)\]")
METRIC_KEYS = ("metrics_interim", "metrics_annual")


async def resolve_peers(clients: Clients, names: list[str], language: str = "ko") -> list[Company]:
    """Each name resolved, in parallel, in the order given (failure messages in `language`).

    Raises RunFailed: `company_not_found` (no listed company by that name), `ambiguous_company`
    (several close matches: a comparison with the wrong company is worse than a question),
    `duplicate_company` (two names for one company) and `unavailable` (the company search
    services are down, so a company could not be checked)."""
    resolutions = await asyncio.gather(*(resolve_company(clients, name, "") for name in names))
    companies: list[Company] = []
    for name, resolution in zip(names, resolutions, strict=True):
        if resolution.company is None:
            if resolution.failed_services:
                services = ", ".join(sorted(set(resolution.failed_services)))
                raise RunFailed("unavailable", text(language, "failed_company_search", services=services, name=name))
            raise RunFailed("company_not_found", text(language, "failed_company_not_found", name=name))
        ambiguous = next((w for w in resolution.warnings if w.get("code") == "ambiguous_company"), None)
        if ambiguous is not None:
            raise RunFailed(
                "ambiguous_company", text(language, "failed_ambiguous_company", name=name, names=ambiguous["names"])
            )
        companies.append(resolution.company)
    seen: dict[str, str] = {}
    for name, company in zip(names, companies, strict=True):
        key = company.ticker or company.corp_code or company.name
        if key in seen:
            raise RunFailed(
                "duplicate_company",
                text(language, "failed_duplicate_company", first=seen[key], second=name, company=company.label),
            )
        seen[key] = name
    return companies


async def common_period(clients: Clients, companies: list[Company], as_of: dt.date) -> Period | None:
    """The newest periodic report (year, kind) every company had filed by `as_of`, read off
    each company's DART filings list; None when a list cannot be read or they share none
    (then each company uses its own newest report and the comparison table says so)."""

    async def filed(company: Company) -> set[Period] | None:
        if not company.corp_code:
            return None
        since = as_of - dt.timedelta(days=FILINGS_LOOKBACK_DAYS)
        try:
            payload = await clients.dart.filings(company.corp_code, since, as_of, kind="periodic")
        except ServiceCallError:
            return None  # gather records the outage when it asks again
        return {f.period for f in filed_reports(payload.data, as_of)}

    lists = await asyncio.gather(*(filed(c) for c in companies))
    if any(periods is None for periods in lists):
        return None
    shared = set.intersection(*(p for p in lists if p is not None))
    return max(shared, key=period_rank) if shared else None


async def gather_peers(
    clients: Clients, peers: list[Peer], as_of: dt.date, *, prompt: str, history_days: int
) -> Period | None:
    """Each peer's bundle, gathered in parallel on the same as-of date and the common period
    (returned; None when there is none and each company reads its own newest report)."""
    period = await common_period(clients, [p.company for p in peers], as_of)
    await asyncio.gather(
        *(
            gather_company(
                clients,
                peer.bundle,
                prompt=prompt,
                rag_collection=None,  # the session's PDFs are searched once, for the whole comparison
                pdf_doc_ids=[],
                history_days=history_days,
                with_filings=False,
                period=period,
            )
            for peer in peers
        )
    )
    return period


def merge_peers(target: DataBundle, peers: list[Peer]) -> None:
    """Every peer's datasets into `target`, company by company, renumbered in `target`'s
    registry (a source two peers share, e.g. the KOSPI index, keeps one number); the `[n]`
    in their templated sentences follow, and their facts are attributed to the new keys."""
    for peer in peers:
        bundle, suffix = peer.bundle, peer.suffix
        numbers: dict[int, int] = {}
        shared_lines = {line for d in target.datasets.values() for line in d.lines}
        for dataset in sorted(bundle.datasets.values(), key=lambda d: d.n):
            numbers[dataset.n] = target.sources.add(dataset.source, dataset.title)
        for dataset in sorted(bundle.datasets.values(), key=lambda d: d.n):
            n = numbers[dataset.n]
            shared = any(d.n == n for d in target.datasets.values())
            # a shared source's lines that are this company's own (the price-vs-index gap) name it
            lines = [f"({peer.company.name}) {ln}" if shared and ln not in shared_lines else ln for ln in dataset.lines]
            target.datasets[dataset.key + suffix] = Dataset(
                key=dataset.key + suffix,
                title=dataset.title,
                data=dataset.data,
                source=dataset.source,
                n=n,
                lines=lines,
                sentences=[_named(_renumber(s, numbers), peer.company.name) for s in dataset.sentences],
                figures=list(dataset.figures),
            )
        target.facts.absorb(bundle.facts, _suffixed(suffix))
        for service, reason in bundle.failed.items():
            previous = target.failed.get(service)
            mine = f"{peer.company.name}: {reason}"
            target.failed[service] = f"{previous}; {mine}" if previous else mine
    target.peers = peers


def _suffixed(suffix: str) -> Callable[[str], str]:
    return lambda key: key + suffix


def _named(sentence: str, name: str) -> str:
    """A data sentence that does not say whose figure it is ('연간 매출액은 …') names the company."""
    return sentence if name in sentence else f"{name}: {sentence}"


def _renumber(sentence: str, numbers: dict[int, int]) -> str:
    return _CITATION.sub(lambda m: f"[{numbers.get(int(m.group(1)), int(m.group(1)))}]", sentence)


def subject(companies: list[Company]) -> Company:
    """The report's subject: the companies' names together (the title's `{company}`, the
    intro line, the writer's prompt); it names no ticker, being no single company."""
    return Company(name=" · ".join(c.name for c in companies))


@dataclass(frozen=True)
class Basis:
    """Which figures a peer's comparison uses: the report, consolidated or separate, and
    whether the company is financial (no 매출액 or 영업이익률)."""

    company: Company
    period: Period | None
    fs_div: str | None
    financial: bool
    dataset_key: str | None  # the merged bundle's key of the metrics read, for the citation

    def period_name(self, language: str) -> str:
        """The report compared, '2024년 3분기보고서' / '2024 Q3 report'; '' when unknown."""
        if self.period is None:
            return ""
        return report_name(language, self.period[0], self.period[1])


def basis_of(peer: Peer) -> Basis:
    for key in METRIC_KEYS:
        dataset = peer.bundle.get(key)
        if dataset is not None and isinstance(dataset.data, dict):
            data = dataset.data
            period = (int(data["year"]), str(data["report"])) if data.get("year") and data.get("report") else None
            fs_div = str(data["fs_div"]) if data.get("fs_div") else None
            return Basis(peer.company, period, fs_div, is_financial(data), key + peer.suffix)
    return Basis(peer.company, None, None, False, None)
