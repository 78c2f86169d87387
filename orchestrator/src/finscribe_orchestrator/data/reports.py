"""Which DART reports a document as of a date uses, and fetching their key metrics and the profile.

The newest periodic report filed by the date is read off the company's filings list (list.json,
type periodic): on 2024-11-20 that is the 2024 third-quarter report filed on 2024-11-14. An
interim report comes with the annual report of the year before, for the yearly trend (its
`history` holds three fiscal years). When the filings list cannot be read, the reports the
legal deadlines say should exist are tried instead (`latest_reports`), and the note says so.
"""

import asyncio
import datetime as dt
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from finscribe_orchestrator.clients import Clients
from finscribe_orchestrator.clients.base import Payload
from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.data.company import Company
from finscribe_orchestrator.data.quarters import END_MONTH, review
from finscribe_orchestrator.labels import label, report_name

# DART's report names: 사업보고서 (2024.12), 반기보고서 (2024.06), 분기보고서 (2024.09), with [기재정정] etc. in front
_REPORT_NAME = re.compile(r"(사업|반기|분기)보고서\s*\((\d{4})\.(\d{2})\)")
_KIND_BY_MONTHS = {12: ("사업", "annual"), 6: ("반기", "h1"), 3: ("분기", "q1"), 9: ("분기", "q3")}
FILINGS_LOOKBACK_DAYS = 460  # back past the previous annual report's deadline
# the report an earnings review also needs, by the newest report: the one whose figures give the
# quarter before (annual: Q3 alone and the nine months; Q3: Q2 alone; H1: Q1; Q1: the prior
# year's nine months, Q4 being its annual figure minus them). (years back, report)
QUARTER_PARTNER = {"annual": (0, "q3"), "q3": (0, "h1"), "h1": (0, "q1"), "q1": (-1, "q3")}

PERIOD_ORDER = {"q1": 1, "h1": 2, "q3": 3, "annual": 4}
"""Where a report's period ends within its business year (annual last)."""
Period = tuple[int, str]  # (business year, report kind)

Fetch = Callable[[], Awaitable[Payload]]
Metrics = Callable[[str, list[tuple[int, str]], bool], Awaitable["FiledReport | None"]]
FirstOk = Callable[[str, list[Fetch], DataBundle, str], Awaitable[Payload | None]]


@dataclass(frozen=True)
class FiledReport:
    year: int
    report: str  # annual / h1 / q1 / q3
    rcept_no: str
    rcept_dt: str  # ISO date
    report_nm: str

    def name(self, language: str) -> str:
        """'2024년 3분기보고서' / '2024 Q3 report'."""
        return report_name(language, self.year, self.report)

    @property
    def period(self) -> Period:
        return (self.year, self.report)


def period_rank(period: Period) -> tuple[int, int]:
    """Sort key of a period: later-ending periods rank higher (2024 q3 > 2024 h1 > 2023 annual)."""
    return (period[0], PERIOD_ORDER.get(period[1], 0))


def up_to(filed: list[FiledReport], period: Period) -> list[FiledReport]:
    """The reports of `period` and earlier, `period`'s own first: what a peer comparison reads
    so that every company's figures cover the same period."""
    kept = [f for f in filed if period_rank(f.period) <= period_rank(period)]
    return sorted(kept, key=lambda f: f.period != period)


def report_of(report_nm: str, fiscal_end: int = 12) -> tuple[int, str] | None:
    """(business year, report kind) of a periodic report's name; None for anything else."""
    match = _REPORT_NAME.search(report_nm or "")
    if not match:
        return None
    word, year, month = match.group(1), int(match.group(2)), int(match.group(3))
    months_in = (month - fiscal_end) % 12 or 12
    kind = _KIND_BY_MONTHS.get(months_in)
    if kind is None or kind[0] != word:
        return None
    # a fiscal year ending in December is its calendar year; otherwise DART names it by the year it ends
    business_year = year if month <= fiscal_end or fiscal_end == 12 else year + 1
    return business_year, kind[1]


def filed_reports(filings: Any, as_of: dt.date, fiscal_end: int = 12) -> list[FiledReport]:
    """Periodic reports filed on or before `as_of`, newest filing first, one per (year, report)."""
    out: list[FiledReport] = []
    seen: set[tuple[int, str]] = set()
    rows = [f for f in filings if isinstance(f, dict)] if isinstance(filings, list) else []
    for filing in sorted(rows, key=lambda f: (str(f.get("rcept_dt")), str(f.get("rcept_no"))), reverse=True):
        date = str(filing.get("rcept_dt") or "")[:10]
        if not date or date > as_of.isoformat():
            continue
        parsed = report_of(str(filing.get("report_nm") or ""), fiscal_end)
        if parsed is None or parsed in seen:
            continue
        seen.add(parsed)
        out.append(FiledReport(parsed[0], parsed[1], str(filing.get("rcept_no")), date, str(filing["report_nm"])))
    return out


def _key_metrics(clients: Clients, corp_code: str, year: int, report: str) -> Fetch:
    async def fetch() -> Payload:
        return await clients.dart.key_metrics(corp_code, year, report)

    return fetch


async def gather_profile(clients: Clients, bundle: DataBundle, company: Company, first_ok: FirstOk) -> None:
    corp = company.corp_code
    assert corp is not None
    title = label(bundle.language, "ds_profile", company=company.name)
    payload = await first_ok("dart", [lambda: clients.dart.company(corp)], bundle, title)
    if payload is not None and isinstance(payload.data, dict):
        bundle.add("profile", title, payload.data, payload.source)


async def gather_reports(
    clients: Clients,
    bundle: DataBundle,
    company: Company,
    as_of: dt.date,
    first_ok: FirstOk,
    fallback: tuple[list[tuple[int, str]], list[tuple[int, str]]],
    quarters: bool = False,
    period: Period | None = None,
) -> None:
    """Key metrics of the newest filed report (and the prior annual report); the note says which.

    `quarters` (an earnings review): also the report that holds the quarter before the newest
    one (`QUARTER_PARTNER`), and the `quarters` dataset comparing the newest quarter with the
    prior quarter and the same quarter a year earlier (data/quarters.py).
    `period`: that report instead of the newest (a peer comparison's common period)."""
    corp = company.corp_code
    assert corp is not None
    since = as_of - dt.timedelta(days=FILINGS_LOOKBACK_DAYS)
    listing = await first_ok(
        "dart",
        [lambda: clients.dart.filings(corp, since, as_of, kind="periodic")],
        bundle,
        label(bundle.language, "what_periodic"),
    )
    filed = filed_reports(listing.data, as_of) if listing is not None else []
    if period is not None and filed:
        filed = up_to(filed, period) or filed

    async def metrics(key: str, candidates: list[tuple[int, str]], with_statements: bool) -> FiledReport | None:
        attempts = [_key_metrics(clients, corp, y, r) for y, r in candidates]
        payload = await first_ok("dart", attempts, bundle, label(bundle.language, "what_metrics"))
        if payload is None:
            return None
        data = payload.data if isinstance(payload.data, dict) else {}
        year, report = int(data.get("year") or candidates[0][0]), str(data.get("report") or candidates[0][1])
        lang = bundle.language
        bundle.add(
            key,
            label(lang, "ds_metrics", company=company.name, period=report_name(lang, year, report)),
            data,
            payload.source,
        )
        for entry in data.get("history") or []:
            if isinstance(entry, dict) and entry.get("year"):
                bundle.facts.add_year(entry["year"])
        bundle.facts.add_year(year)
        bundle.facts.add_year(year - 1)
        if with_statements:
            statements = await first_ok(
                "dart", [lambda: clients.dart.financials(corp, year, report)], bundle, label(lang, "what_statements")
            )
            if statements is not None:
                title = label(lang, "ds_financials", company=company.name, period=report_name(lang, year, report))
                bundle.add("financials", title, statements.data, statements.source)
        match = next((f for f in filed if (f.year, f.report) == (year, report)), None)
        return match

    if not filed:
        annual, interim = fallback
        await asyncio.gather(metrics("metrics_interim", interim, True), metrics("metrics_annual", annual, False))
        found = bundle.get("metrics_interim")
        if quarters and found is not None and isinstance(found.data, dict) and found.data.get("year"):
            await _quarters(bundle, company, int(found.data["year"]), str(found.data.get("report")), metrics)
        bundle.report_note = label(bundle.language, "report_note_fallback", as_of=as_of.isoformat())
        return
    newest = filed[0]
    if newest.report == "annual":
        used = await metrics("metrics_annual", [(f.year, f.report) for f in filed if f.report == "annual"][:2], False)
    else:
        used, _ = await asyncio.gather(
            metrics("metrics_interim", [(newest.year, newest.report)], True),
            metrics("metrics_annual", [(newest.year - 1, "annual")], False),
        )
    used = used or newest
    if quarters:
        await _quarters(bundle, company, used.year, used.report, metrics)
    bundle.report_note = label(
        bundle.language,
        "report_note",
        as_of=as_of.isoformat(),
        report=used.name(bundle.language),
        filed=used.rcept_dt,
        rcept_no=used.rcept_no,
    )


async def _quarters(bundle: DataBundle, company: Company, year: int, report: str, metrics: Metrics) -> None:
    """Fetch the partner report (`metrics_quarter`) and add the `quarters` comparison, computed
    from every key-metrics dataset of the bundle; its source is the newest report's."""
    if report not in QUARTER_PARTNER:
        return
    back, partner = QUARTER_PARTNER[report]
    await metrics("metrics_quarter", [(year + back, partner)], False)
    keys = ("metrics_interim", "metrics_annual", "metrics_quarter")
    fetched = [d for k in keys if (d := bundle.get(k)) is not None and isinstance(d.data, dict)]
    # newest report first: a figure a later report restated wins
    fetched.sort(
        key=lambda d: (int(d.data.get("year") or 0), END_MONTH.get(str(d.data.get("report")), 0)), reverse=True
    )
    comparison = review([d.data for d in fetched], year, report)
    main = next((d for d in fetched if (d.data.get("year"), d.data.get("report")) == (year, report)), None)
    if comparison is None or main is None:
        return
    lang = bundle.language
    period = label(lang, "q_name", year=comparison["latest"]["year"], q=comparison["latest"]["quarter"])
    bundle.add("quarters", label(lang, "ds_quarters", company=company.name, period=period), comparison, main.source)
