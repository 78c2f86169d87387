"""Fetch a company's data from krx, dart, yahoo and rag in parallel into a DataBundle.

A service that fails is recorded in `bundle.failed` (the caller turns it into a warning
naming the service) and the rest carries on.
"""

import asyncio
import datetime as dt
import re
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from finscribe_orchestrator.clients import Clients
from finscribe_orchestrator.clients.base import Payload, ServiceCallError
from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.data.reports import Period, gather_profile, gather_reports
from finscribe_orchestrator.data.summaries import summarize
from finscribe_orchestrator.labels import label

KST = ZoneInfo("Asia/Seoul")
FX_HINT = re.compile(r"환율|달러|USD|수출|외화|FX", re.IGNORECASE)
INDEX_BY_MARKET = {"KOSPI": ("1001", "ds_index_kospi"), "KOSDAQ": ("2001", "ds_index_kosdaq")}  # label keys
YAHOO_INDEX = {"1001": "^KS11", "2001": "^KQ11"}
READING_ORDER = [
    "profile",
    "price",
    "index",
    "market_cap",
    "fundamentals",
    "metrics_interim",
    "metrics_annual",
    "metrics_quarter",
    "quarters",
    "financials",
    "filings",
    "fx",
    "pdf",
]


def closes_from_yahoo(rows: Any) -> list[dict[str, Any]]:
    """Yahoo history rows as the price rows the summaries read; `close` falls back to the adjusted close."""
    out = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        close = row.get("close") if row.get("close") is not None else row.get("adj_close")
        if row.get("date") and close is not None:
            out.append({"date": row["date"], "close": close, "volume": row.get("volume")})
    return out


def today_kst() -> dt.date:
    return dt.datetime.now(KST).date()


def latest_reports(as_of: dt.date) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Which reports should be filed by `as_of` (legal deadlines: annual end of March, q1 mid-May,
    h1 mid-August, q3 mid-November); newest first, two candidates each."""
    year = as_of.year
    annual_year = year - 1 if as_of >= dt.date(year, 3, 31) else year - 2
    interim: list[tuple[int, str]] = []
    for deadline, report in ((dt.date(year, 11, 14), "q3"), (dt.date(year, 8, 14), "h1"), (dt.date(year, 5, 15), "q1")):
        if as_of >= deadline:
            interim.append((year, report))
    interim += [(year - 1, "q3"), (year - 1, "h1")]
    return [(annual_year, "annual"), (annual_year - 1, "annual")], interim[:2]


Fetch = Callable[[], Awaitable[Payload]]


async def _first_ok(service: str, attempts: list[Fetch], bundle: DataBundle, what: str = "") -> Payload | None:
    """Try candidates in order (e.g. the newest report first); a 404 moves on, an outage stops."""
    for fetch in attempts:
        try:
            return await fetch()
        except ServiceCallError as exc:
            if exc.status in (404, 400, 422) or exc.code in ("not_found", "no_data"):
                continue
            reason = f"{what}: {exc.code}" if what else exc.code
            previous = bundle.failed.get(service)
            bundle.failed[service] = f"{previous}; {reason}" if previous else reason
            return None
    return None


async def gather_company(
    clients: Clients,
    bundle: DataBundle,
    *,
    prompt: str,
    rag_collection: str | None,
    pdf_doc_ids: list[str],
    history_days: int,
    with_filings: bool = True,
    quarters: bool = False,
    period: Period | None = None,
) -> None:
    """Everything the run may cite about `bundle.company` as of `bundle.as_of`, into `bundle`
    (renumbered in reading order, summarized). `quarters`: the earnings-review comparison too;
    `period`: read that DART report rather than the newest filed (peer comparisons)."""
    company = bundle.company
    end = bundle.as_of
    start = end - dt.timedelta(days=history_days)
    jobs: list[Awaitable[object]] = []  # run for their effect on the bundle; results unused

    def job(service: str, key: str, title: str, fetch: Fetch, fallback: tuple[str, str] | None = None) -> None:
        """`fallback` (a Yahoo symbol, its title): the same series from Yahoo when the first source fails."""

        async def run() -> None:
            payload = await _first_ok(service, [fetch], bundle, title)
            if payload is not None:
                bundle.add(key, title, payload.data, payload.source)
                return
            if fallback is not None:
                symbol, yahoo_title = fallback
                history = await _first_ok(
                    "yahoo", [lambda: clients.yahoo.history(symbol, start, end)], bundle, yahoo_title
                )
                if history is not None and history.data:
                    bundle.add(key, yahoo_title, closes_from_yahoo(history.data), history.source)

        jobs.append(run())

    lang = bundle.language
    if company is not None and company.ticker:
        ticker = company.ticker
        name = company.name
        yahoo_price = label(lang, "ds_price_yahoo", company=name)
        price_fallback = (company.symbol, yahoo_price) if company.symbol else None
        price_title = label(lang, "ds_price", company=name)
        job("krx", "price", price_title, lambda: clients.krx.ohlcv(ticker, start, end), price_fallback)
        code, index_key = INDEX_BY_MARKET.get(company.market or "KOSPI", INDEX_BY_MARKET["KOSPI"])
        index_name = label(lang, index_key)
        index_symbol = YAHOO_INDEX.get(code)
        index_fallback = (index_symbol, label(lang, "ds_index_yahoo", index=index_name)) if index_symbol else None
        job("krx", "index", index_name, lambda: clients.krx.index_ohlcv(code, start, end), index_fallback)
        recent = end - dt.timedelta(days=14)
        cap_title = label(lang, "ds_market_cap", company=name)
        job("krx", "market_cap", cap_title, lambda: clients.krx.market_cap(ticker, recent, end))
        fund_title = label(lang, "ds_fundamentals", company=name)
        job("krx", "fundamentals", fund_title, lambda: clients.krx.fundamentals(ticker, recent, end))
    if company is not None and company.corp_code:
        corp = company.corp_code
        jobs.append(gather_reports(clients, bundle, company, end, _first_ok, latest_reports(end), quarters, period))
        jobs.append(gather_profile(clients, bundle, company, _first_ok))
        if with_filings:
            since = end - dt.timedelta(days=180)
            filings_title = label(lang, "ds_filings", company=company.name)
            job("dart", "filings", filings_title, lambda: clients.dart.filings(corp, since, end))
    if FX_HINT.search(prompt):
        job("yahoo", "fx", label(lang, "ds_fx"), lambda: clients.yahoo.fx("USDKRW"))
    if rag_collection:
        jobs.append(gather_pdf(clients, bundle, rag_collection, prompt, pdf_doc_ids))
    await asyncio.gather(*jobs)
    bundle.renumber(READING_ORDER)
    summarize(bundle)


async def gather_pdf(
    clients: Clients, bundle: DataBundle, collection: str, query: str, doc_ids: list[str], k: int = 6
) -> list[dict[str, Any]]:
    """Search the session's PDFs; each (file, page) becomes its own numbered source."""
    try:
        hits = await clients.rag.query(collection, query[:1000] or "요약", k=k, doc_ids=doc_ids)
    except ServiceCallError as exc:
        if exc.status == 404:
            return []
        bundle.failed.setdefault("rag", f"{exc.code}: {exc.message}")
        return []
    add_pdf_hits(bundle, hits)
    return hits


PASSAGE_CHARS = 300  # the start of a cited PDF passage shown on the citation card


def add_pdf_hits(bundle: DataBundle, hits: list[dict[str, Any]]) -> None:
    for hit in hits:
        source = dict(hit.get("source") or {})
        name = str(source.get("name") or hit.get("name") or hit.get("doc_id") or "PDF")
        page = hit.get("page")
        source.setdefault("provider", "upload")
        source.setdefault("as_of", bundle.as_of.isoformat())
        key = f"pdf:{hit.get('doc_id')}:{page}"
        existing = bundle.get(key)
        entry = {**hit, "name": name}
        if existing is not None:
            existing.data.append(entry)
            existing.lines.append(_hit_line(entry))
            bundle.facts.add_text(str(hit.get("text", "")), source=key)
            continue
        if isinstance(page, int):
            source["page"] = page
        source["passage"] = " ".join(str(hit.get("text", "")).split())[:PASSAGE_CHARS]
        dataset = bundle.add(key, label(bundle.language, "pdf_page", name=name, page=page), [entry], source)
        dataset.lines.append(_hit_line(entry))
        bundle.facts.add_text(str(hit.get("text", "")), source=key)


def _hit_line(hit: dict[str, Any]) -> str:
    text = " ".join(str(hit.get("text", "")).split())
    return f"({hit.get('name')}, {hit.get('page')}쪽) {text[:700]}"
