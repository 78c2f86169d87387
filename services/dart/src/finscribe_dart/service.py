"""The dart service's logic: corp resolve, filings, statements and key metrics, cached."""

import datetime as dt
import logging
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from finscribe_common.cache import AsyncTTLCache
from finscribe_common.dates import check_dates, latest_accepted
from finscribe_common.errors import BadRequest, NotFound, UpstreamError
from finscribe_common.schemas import Source, utc_now
from finscribe_dart.config import DartSettings
from finscribe_dart.corp_index import CORP_CODE_RE
from finscribe_dart.corp_store import CORP_CODES_PATH, CorpStore
from finscribe_dart.financials import FS_DIV, REPORT_CODES, AmountError, parse_items, rcept_no_of
from finscribe_dart.main_accounts import fs_divs, items_of, shift_back
from finscribe_dart.metrics import compute_key_metrics
from finscribe_dart.profile import parse_profile
from finscribe_dart.schemas import viewer_url
from finscribe_dart.sector import classify
from finscribe_dart.upstream import BASE_URL, DartUpstream, NoData

logger = logging.getLogger("finscribe.dart.service")

KST = ZoneInfo("Asia/Seoul")
FIRST_YEAR = 2015  # fnlttSinglAcntAll covers business years from 2015
FIRST_FILING_DATE = dt.date(1999, 1, 1)
MAX_FILINGS_RANGE_DAYS = 3_660
FILINGS_PAGE_SIZE = 100  # list.json's maximum page_count
FINANCIALS_PATH = "/api/fnlttSinglAcntAll.json"
FILINGS_PATH = "/api/list.json"
MAIN_ACCOUNTS_PATH = "/api/fnlttSinglAcnt.json"
COMPANY_PATH = "/api/company.json"
METRICS_DATASET = "{dataset} (key metrics computed by FinScribe)"

# list.json pblntf_ty: our names and DART's letters
FILING_TYPES: dict[str, str] = {
    "periodic": "A",
    "major": "B",
    "issuance": "C",
    "ownership": "D",
    "other": "E",
    "audit": "F",
    "fund": "G",
    "abs": "H",
    "exchange": "I",
    "ftc": "J",
}
_RCEPT_DATE = re.compile(r"^(\d{8})\d{6}$")


def today_kst() -> dt.date:
    return dt.datetime.now(KST).date()


def check_corp_code(corp_code: str) -> str:
    if not CORP_CODE_RE.match(corp_code):
        raise BadRequest(f"corp_code must be 8 digits (Open DART's company id), got {corp_code[:20]!r}")
    return corp_code


def check_year(year: int) -> int:
    last = today_kst().year
    if not FIRST_YEAR <= year <= last:
        raise BadRequest(f"year must be between {FIRST_YEAR} and {last} (Open DART statements start in {FIRST_YEAR})")
    return year


def filing_type_code(kind: str | None) -> str | None:
    if kind is None or not kind.strip():
        return None
    value = kind.strip()
    if value.upper() in FILING_TYPES.values():
        return value.upper()
    if value.lower() in FILING_TYPES:
        return FILING_TYPES[value.lower()]
    names = ", ".join(f"{k} ({v})" for k, v in FILING_TYPES.items())
    raise BadRequest(f"type must be one of {names}; got {value[:20]!r}")


def filing_date(rcept_no: str | None) -> dt.date | None:
    """Open DART receipt numbers start with the filing date (YYYYMMDD)."""
    match = _RCEPT_DATE.match(rcept_no or "")
    if not match:
        return None
    try:
        return dt.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None


@dataclass(frozen=True)
class FinancialsResult:
    found: bool
    retrieved_at: dt.datetime
    data: dict[str, Any] = field(default_factory=dict)
    message: str = ""


@dataclass(frozen=True)
class RowsResult:
    """A cached DART answer: its rows (empty with found=False for status 013)."""

    found: bool
    retrieved_at: dt.datetime
    rows: tuple[dict[str, Any], ...] = ()
    message: str = ""


@dataclass(frozen=True)
class MetricsInput:
    items: list[dict[str, Any]]
    dataset: str
    year: int  # the report the lines came from
    report: str
    fs_used: str
    fallback: bool
    rcept_no: str | None
    retrieved_at: dt.datetime
    shifted: int = 0  # 1: served from the next year's annual report (frmtrm), 2: from bfefrmtrm
    note: str | None = None


@dataclass(frozen=True)
class FilingsResult:
    filings: list[dict[str, Any]]
    retrieved_at: dt.datetime
    total_count: int


class DartService:
    def __init__(self, settings: DartSettings, upstream: DartUpstream, corps: CorpStore) -> None:
        self.settings = settings
        self.upstream = upstream
        self.corps = corps
        size = settings.dart_cache_max_entries
        # typed per kind: entries in Redis are JSON that any replica decodes back to these
        self.filings_cache: AsyncTTLCache[FilingsResult] = AsyncTTLCache.shared_by(
            upstream.shared, "dart-filings", FilingsResult, size
        )
        self.financials_cache: AsyncTTLCache[FinancialsResult] = AsyncTTLCache.shared_by(
            upstream.shared, "dart-financials", FinancialsResult, size
        )
        # main accounts (fnlttSinglAcnt) and company profiles (company.json), as DART sent them
        self.rows_cache: AsyncTTLCache[RowsResult] = AsyncTTLCache.shared_by(
            upstream.shared, "dart-rows", RowsResult, size
        )

    # -- corps -------------------------------------------------------------------------

    async def resolve(self, query: str, limit: int) -> tuple[list[dict[str, Any]], Source]:
        q = query.strip()
        if not q:
            raise BadRequest("q must not be empty: give a company name, a 6-digit stock code or an 8-digit corp_code")
        loaded = await self.corps.get()
        matches = loaded.index.search(q, limit)
        data = [
            {
                "corp_code": m.corp.corp_code,
                "corp_name": m.corp.corp_name,
                "stock_code": m.corp.stock_code,
                "listed": m.corp.listed,
                "score": m.score,
                "match": m.match,
                "modify_date": m.corp.modify_date,
            }
            for m in matches
        ]
        source = Source(
            provider="DART",
            dataset="corpCode.xml",
            url=f"{BASE_URL}{CORP_CODES_PATH}",
            as_of=loaded.downloaded_at.astimezone(KST).date(),
            retrieved_at=loaded.downloaded_at,
        )
        return data, source

    async def _known_corp(self, corp_code: str) -> None:
        """404 for a corp_code that is not in the list, when the list is already in memory."""
        loaded = self.corps.loaded
        if loaded is not None and loaded.index.get(corp_code) is None:
            raise NotFound(f"corp_code {corp_code} is not in Open DART's corp code list")

    # -- filings -----------------------------------------------------------------------

    async def filings(
        self,
        corp_code: str,
        start: dt.date | None,
        end: dt.date | None,
        kind: str | None,
        final_only: bool,
        limit: int,
    ) -> tuple[list[dict[str, Any]], Source]:
        check_corp_code(corp_code)
        type_code = filing_type_code(kind)
        today = today_kst()
        check_dates(earliest=FIRST_FILING_DATE, latest=latest_accepted(today), source="Open DART", start=start, end=end)
        end = end or today
        start = start or max(FIRST_FILING_DATE, end - dt.timedelta(days=365))
        if end > today:
            raise BadRequest(f"end {end} is in the future (today is {today} in Korea)")
        if start > end:
            raise BadRequest(f"start {start} is after end {end}")
        if start < FIRST_FILING_DATE:
            raise BadRequest(f"start must be on or after {FIRST_FILING_DATE} (Open DART's filings begin in 1999)")
        if (end - start).days > MAX_FILINGS_RANGE_DAYS:
            raise BadRequest(f"the range {start}..{end} is longer than the maximum of {MAX_FILINGS_RANGE_DAYS} days")
        await self._known_corp(corp_code)
        params = {
            "corp_code": corp_code,
            "bgn_de": start.strftime("%Y%m%d"),
            "end_de": end.strftime("%Y%m%d"),
            "last_reprt_at": "Y" if final_only else "N",
            "sort": "date",
            "sort_mth": "desc",
        }
        if type_code:
            params["pblntf_ty"] = type_code
        past = end < today
        ttl = self.settings.dart_filings_past_ttl_s if past else self.settings.dart_filings_ttl_s

        async def load() -> FilingsResult:
            return await self._load_filings(params, limit)

        key = ("filings", limit, *sorted(params.items()))
        result: FilingsResult = await self.filings_cache.get_or_load(key, load, ttl)
        source = Source(
            provider="DART",
            dataset="list.json",
            url=f"{BASE_URL}{FILINGS_PATH}?{urlencode(params)}",
            as_of=end,
            retrieved_at=result.retrieved_at,
        )
        return result.filings, source

    async def _load_filings(self, params: dict[str, str], limit: int) -> FilingsResult:
        filings: list[dict[str, Any]] = []
        page, total_pages, total_count = 1, 1, 0
        while len(filings) < limit and page <= total_pages:
            try:
                data = await self.upstream.get_json(
                    FILINGS_PATH, {**params, "page_no": str(page), "page_count": str(FILINGS_PAGE_SIZE)}
                )
            except NoData:
                break
            rows = data.get("list")
            if not isinstance(rows, list):
                raise UpstreamError("Open DART list.json answered status 000 without a list")
            try:
                total_pages = int(data.get("total_page") or 1)
                total_count = int(data.get("total_count") or len(rows))
            except (TypeError, ValueError) as exc:
                raise UpstreamError("Open DART list.json answered malformed paging fields") from exc
            for row in rows:
                filings.append(_filing(row))
            page += 1
        return FilingsResult(filings[:limit], utc_now(), total_count)

    # -- statements --------------------------------------------------------------------

    async def _check_report_request(self, corp_code: str, year: int, report: str, fs: str) -> None:
        """400 for a malformed request, 404 for a corp_code not in the loaded list."""
        check_corp_code(corp_code)
        check_year(year)
        if report not in REPORT_CODES:
            raise BadRequest(f"report must be one of {', '.join(REPORT_CODES)}")
        if fs not in FS_DIV:
            raise BadRequest("fs must be consolidated or separate")
        await self._known_corp(corp_code)

    async def financials(self, corp_code: str, year: int, report: str, fs: str) -> tuple[dict[str, Any], Source]:
        await self._check_report_request(corp_code, year, report, fs)

        async def load() -> FinancialsResult:
            return await self._load_financials(corp_code, year, report, fs)

        def ttl(result: FinancialsResult) -> float:
            return self.settings.dart_financials_ttl_s if result.found else self.settings.dart_no_data_ttl_s

        key = ("financials", corp_code, year, report, fs)
        result: FinancialsResult = await self.financials_cache.get_or_load(key, load, ttl)
        if not result.found:
            raise NotFound(result.message)
        data = result.data
        source = Source(
            provider="DART",
            dataset="fnlttSinglAcntAll",
            url=viewer_url(data["rcept_no"])
            if data["rcept_no"]
            else f"{BASE_URL}{FINANCIALS_PATH}?"
            + urlencode(
                {"corp_code": corp_code, "bsns_year": year, "reprt_code": REPORT_CODES[report], "fs_div": FS_DIV[fs]}
            ),
            as_of=filing_date(data["rcept_no"]) or dt.date(year, 12, 31),
            retrieved_at=result.retrieved_at,
        )
        return data, source

    async def _load_financials(self, corp_code: str, year: int, report: str, fs: str) -> FinancialsResult:
        order = [fs] if fs == "separate" else ["consolidated", "separate"]
        missing: list[str] = []
        for kind in order:
            params = {
                "corp_code": corp_code,
                "bsns_year": str(year),
                "reprt_code": REPORT_CODES[report],
                "fs_div": FS_DIV[kind],
            }
            try:
                data = await self.upstream.get_json(FINANCIALS_PATH, params)
            except NoData:
                missing.append(kind)
                continue
            rows = data.get("list")
            if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
                raise UpstreamError("Open DART fnlttSinglAcntAll answered status 000 without statement rows")
            try:
                items = parse_items(rows)
            except AmountError as exc:
                raise UpstreamError(f"Open DART fnlttSinglAcntAll sent a malformed amount: {exc}") from exc
            rcept_no = rcept_no_of(rows)
            fallback = kind != fs
            note = None
            if fallback:
                note = "no consolidated statements in DART for this report (status 013); separate statements returned"
            return FinancialsResult(
                True,
                utc_now(),
                {
                    "corp_code": corp_code,
                    "year": year,
                    "report": report,
                    "reprt_code": REPORT_CODES[report],
                    "fs_requested": fs,
                    "fs_used": kind,
                    "fallback": fallback,
                    "note": note,
                    "currency": items[0]["currency"] if items else "KRW",
                    "rcept_no": rcept_no,
                    "url": viewer_url(rcept_no) if rcept_no else None,
                    "items": items,
                },
            )
        what = " or ".join(missing)
        return FinancialsResult(
            False,
            utc_now(),
            message=f"Open DART has no {what} statements for corp_code {corp_code}, {year} {report} report "
            "(status 013: not filed yet, not required, or the company files none)",
        )

    # -- company profile -------------------------------------------------------------

    async def company(self, corp_code: str) -> tuple[dict[str, Any], Source]:
        """company.json as our profile; 404 when DART has no such company (013)."""
        check_corp_code(corp_code)
        await self._known_corp(corp_code)
        result = await self._rows(COMPANY_PATH, {"corp_code": corp_code}, single=True)
        if not result.found:
            raise NotFound(f"Open DART has no company profile for corp_code {corp_code} (status 013)")
        source = Source(
            provider="DART",
            dataset="company.json",
            url=f"{BASE_URL}{COMPANY_PATH}?{urlencode({'corp_code': corp_code})}",
            as_of=result.retrieved_at.astimezone(KST).date(),
            retrieved_at=result.retrieved_at,
        )
        return parse_profile(result.rows[0]), source

    async def _rows(self, path: str, params: dict[str, str], *, single: bool = False) -> RowsResult:
        """One cached DART call: `list` rows, or the body itself for single-record endpoints (company.json)."""

        async def load() -> RowsResult:
            try:
                data = await self.upstream.get_json(path, params)
            except NoData as exc:
                return RowsResult(False, utc_now(), message=exc.message)
            if single:
                return RowsResult(True, utc_now(), (data,))
            rows = data.get("list")
            if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
                raise UpstreamError(f"Open DART {path} answered status 000 without rows")
            return RowsResult(True, utc_now(), tuple(rows))

        def ttl(result: RowsResult) -> float:
            return self.settings.dart_financials_ttl_s if result.found else self.settings.dart_no_data_ttl_s

        return await self.rows_cache.get_or_load(("rows", path, *sorted(params.items())), load, ttl)

    # -- key metrics -------------------------------------------------------------------

    async def _main_accounts(self, corp_code: str, year: int, report: str, fs: str) -> MetricsInput | None:
        params = {"corp_code": corp_code, "bsns_year": str(year), "reprt_code": REPORT_CODES[report]}
        result = await self._rows(MAIN_ACCOUNTS_PATH, params)
        if not result.found:
            return None
        rows = list(result.rows)
        present = fs_divs(rows)
        order = [fs] if fs == "separate" else ["consolidated", "separate"]
        kind = next((k for k in order if FS_DIV[k] in present), None)
        if kind is None:
            return None
        try:
            items = items_of(rows, kind, report)
        except AmountError as exc:
            raise UpstreamError(f"Open DART fnlttSinglAcnt sent a malformed amount: {exc}") from exc
        fallback = kind != fs
        return MetricsInput(
            items=items,
            dataset="fnlttSinglAcnt",
            year=year,
            report=report,
            fs_used=kind,
            fallback=fallback,
            rcept_no=rcept_no_of(rows),
            retrieved_at=result.retrieved_at,
            note="no consolidated rows in DART's main accounts for this report; separate statements used"
            if fallback
            else None,
        )

    async def _metrics_input(self, corp_code: str, year: int, report: str, fs: str) -> MetricsInput:
        """Main accounts first (one call, both fs); the full statements when DART has no main accounts;
        for an annual report not at hand, the next one or two annual reports' comparative columns."""
        found = await self._main_accounts(corp_code, year, report, fs)
        if found is not None:
            return found
        try:
            data, source = await self.financials(corp_code, year, report, fs)
        except NotFound:
            pass
        else:
            return MetricsInput(
                items=data["items"],
                dataset="fnlttSinglAcntAll",
                year=year,
                report=report,
                fs_used=data["fs_used"],
                fallback=data["fallback"],
                rcept_no=data["rcept_no"],
                retrieved_at=source.retrieved_at,
                note=data["note"],
            )
        if report == "annual":
            for later in (1, 2):
                if year + later > today_kst().year:
                    break
                newer = await self._main_accounts(corp_code, year + later, "annual", fs)
                if newer is not None:
                    column = "frmtrm" if later == 1 else "bfefrmtrm"
                    note = (
                        f"DART returned no {year} annual report (status 013); figures for {year} are the "
                        f"{column} column of the {year + later} annual report"
                    )
                    return replace(newer, items=shift_back(newer.items, later), shifted=later, note=note)
        raise NotFound(
            f"Open DART has no main accounts or statements for corp_code {corp_code}, {year} {report} report "
            "(status 013: not filed yet, not required, or the company files none)"
        )

    async def key_metrics(self, corp_code: str, year: int, report: str, fs: str) -> tuple[dict[str, Any], Source]:
        await self._check_report_request(corp_code, year, report, fs)
        source_input = await self._metrics_input(corp_code, year, report, fs)
        try:
            profile, _ = await self.company(corp_code)
        except NotFound:
            profile = {}
        sector = classify(profile.get("induty_code"), (i.get("account_name") for i in source_input.items))
        metrics = compute_key_metrics(source_input.items, report, year, sector, profile.get("acc_mt") or 12)
        if source_input.shifted:
            # periods older than the serving report's oldest column are empty
            metrics["history"] = [h for h in metrics["history"] if any(h.get(k) is not None for k in metrics["lines"])]
        rcept_no = source_input.rcept_no
        body = {
            "corp_code": corp_code,
            "year": year,
            "report": report,
            "reprt_code": REPORT_CODES[report],
            "dataset": source_input.dataset,
            "fs_used": source_input.fs_used,
            "fs_div": FS_DIV[source_input.fs_used],
            "fallback": source_input.fallback,
            "note": source_input.note,
            "served_from": {
                "year": source_input.year,
                "report": source_input.report,
                "column": "frmtrm" if source_input.shifted == 1 else "bfefrmtrm",
                "rcept_no": rcept_no,
            }
            if source_input.shifted
            else None,
            "rcept_no": rcept_no,
            "url": viewer_url(rcept_no) if rcept_no else None,
            "sector": sector.as_dict(),
            **metrics,
        }
        source = Source(
            provider="DART",
            dataset=METRICS_DATASET.format(dataset=source_input.dataset),
            url=viewer_url(rcept_no)
            if rcept_no
            else f"{BASE_URL}{MAIN_ACCOUNTS_PATH}?"
            + urlencode({"corp_code": corp_code, "bsns_year": year, "reprt_code": REPORT_CODES[report]}),
            as_of=filing_date(rcept_no) or dt.date(source_input.year, 12, 31),
            retrieved_at=source_input.retrieved_at,
        )
        return body, source


def _filing(row: dict[str, Any]) -> dict[str, Any]:
    rcept_no = str(row.get("rcept_no") or "").strip()
    rcept_dt = str(row.get("rcept_dt") or "").strip()
    try:
        date = dt.datetime.strptime(rcept_dt, "%Y%m%d").date()
    except ValueError as exc:
        raise UpstreamError(f"Open DART list.json sent a malformed rcept_dt: {rcept_dt[:20]!r}") from exc
    if not rcept_no.isdigit():
        raise UpstreamError(f"Open DART list.json sent a malformed rcept_no: {rcept_no[:20]!r}")
    return {
        "rcept_no": rcept_no,
        "report_nm": " ".join(str(row.get("report_nm") or "").split()),
        "rcept_dt": date,
        "flr_nm": str(row.get("flr_nm") or "").strip(),
        "url": viewer_url(rcept_no),
        "corp_cls": (str(row.get("corp_cls") or "").strip() or None),
        "rm": (str(row.get("rm") or "").strip() or None),
    }
