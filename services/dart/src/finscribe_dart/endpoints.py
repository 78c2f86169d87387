"""Routes of the dart service (API.md, dart section)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from finscribe_common.dates import IsoDate
from finscribe_common.deps import service_dependency
from finscribe_dart.schemas import (
    COMMON_ERRORS,
    NOT_FOUND,
    SOURCE_EXAMPLE,
    CompanyResponse,
    CorpsResponse,
    FilingsResponse,
    FinancialsResponse,
    FsParam,
    KeyMetricsResponse,
    ReportParam,
    ServiceStatus,
)
from finscribe_dart.service import DartService

router = APIRouter(prefix="/v1", tags=["dart"])


ServiceDep = Annotated[DartService, Depends(service_dependency(DartService))]
# validated again in the service so a bad value gets a message that says what DART expects
CorpCode = Annotated[str, Path(description="Open DART's 8-digit company id", examples=["00126380"])]
Year = Annotated[int, Query(description="business year (2015 or later)", examples=[2024])]
Report = Annotated[ReportParam, Query(description="annual 11011, h1 11012, q1 11013, q3 11014")]
Fs = Annotated[FsParam, Query(description="consolidated (CFS, falls back to separate) or separate (OFS)")]


def _example(data: Any, source: dict[str, Any] = SOURCE_EXAMPLE) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"example": {"data": data, "source": source}}}}}


METRICS_DATASET = "fnlttSinglAcnt (key metrics computed by FinScribe)"
RESOLVE_EXAMPLE = [
    {
        "corp_code": "00126380",
        "corp_name": "삼성전자",
        "stock_code": "005930",
        "listed": True,
        "score": 1.0,
        "match": "exact",
        "modify_date": "2024-05-22",
    },
    {
        "corp_code": "00252074",
        "corp_name": "삼성전자판매",
        "stock_code": None,
        "listed": False,
        "score": 0.8333,
        "match": "prefix",
        "modify_date": "2024-01-24",
    },
]
FILINGS_EXAMPLE = [
    {
        "rcept_no": "20240814003284",
        "report_nm": "반기보고서 (2024.06)",
        "rcept_dt": "2024-08-14",
        "flr_nm": "삼성전자",
        "url": "https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240814003284",
        "corp_cls": "Y",
        "rm": None,
    }
]
FINANCIALS_EXAMPLE = {
    "corp_code": "00126380",
    "year": 2024,
    "report": "h1",
    "reprt_code": "11012",
    "fs_requested": "consolidated",
    "fs_used": "consolidated",
    "fallback": False,
    "note": None,
    "currency": "KRW",
    "rcept_no": "20240814003284",
    "url": "https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240814003284",
    "items": [
        {
            "statement": "BS",
            "statement_name": "재무상태표",
            "account_id": "ifrs-full_Assets",
            "account_name": "자산총계",
            "account_detail": None,
            "current": 485757698000000,
            "prior": 455905980000000,
            "current_cumulative": None,
            "prior_quarter": None,
            "prior_cumulative": None,
            "before_prior": None,
            "current_label": "제 56 기 반기말",
            "prior_label": "제 55 기말",
            "order": 7,
            "currency": "KRW",
        },
        {
            "statement": "IS",
            "statement_name": "손익계산서",
            "account_id": "ifrs-full_Revenue",
            "account_name": "매출액",
            "account_detail": None,
            "current": 74068302000000,
            "prior": None,
            "current_cumulative": 145983903000000,
            "prior_quarter": 60005533000000,
            "prior_cumulative": 123750904000000,
            "before_prior": None,
            "current_label": "제 56 기 반기",
            "prior_label": "제 55 기 반기",
            "order": 24,
            "currency": "KRW",
        },
    ],
}
# the real 2024 third-quarter main accounts of Samsung Electronics (rcept_no 20241114002642), trimmed
METRICS_EXAMPLE = {
    "corp_code": "00126380",
    "year": 2024,
    "report": "q3",
    "reprt_code": "11014",
    "dataset": "fnlttSinglAcnt",
    "fs_used": "consolidated",
    "fs_div": "CFS",
    "fallback": False,
    "note": None,
    "served_from": None,
    "rcept_no": "20241114002642",
    "url": "https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20241114002642",
    "sector": {
        "code": "general",
        "name": "일반 기업",
        "financial": False,
        "induty_code": "264",
        "basis": "induty_code 264; no financial-sector lines; 매출액 present",
    },
    "months": 9,
    "period_scope": "cumulative",
    "period_label": "2024년 1~9월 누적",
    "revenue": 225082634000000,
    "operating_income": 26233258000000,
    "net_income": 26696957000000,
    "total_assets": 491307317000000,
    "total_liabilities": 105025954000000,
    "total_equity": 386281363000000,
    "operating_margin": 11.65,
    "net_margin": 11.86,
    "debt_ratio": 27.19,
    "roe": 7.12,
    "roe_annualized": 9.49,
    "roe_basis": "total",
    "lines": ["revenue", "operating_income", "net_income", "total_assets", "total_liabilities", "total_equity"],
    "omitted": {},
    "prior": {"revenue": 191155556000000, "total_assets": 455905980000000},
    "yoy": {"revenue": 17.75, "operating_income": 601.0},
    "quarter": {
        "label": "2024년 3분기(7~9월)",
        "prior_label": "2023년 3분기(7~9월)",
        "months": 3,
        "revenue": 79098731000000,
        "prior": {"revenue": 67404652000000},
        "yoy": {"revenue": 17.35},
    },
    "history": [
        {
            "period": "thstrm",
            "year": 2024,
            "scope": "cumulative",
            "months": 9,
            "label": "2024년 1~9월 누적",
            "revenue": 225082634000000,
            "total_assets": 491307317000000,
        },
        {"period": "thstrm", "year": 2024, "scope": "quarter", "months": 3, "label": "2024년 3분기(7~9월)"},
        {"period": "frmtrm", "year": 2023, "scope": "cumulative", "months": 9, "label": "2023년 1~9월 누적"},
        {"period": "frmtrm", "year": 2023, "scope": "quarter", "months": 3, "label": "2023년 3분기(7~9월)"},
    ],
    "accounts": {"revenue": {"statement": "IS", "account_id": None, "account_name": "매출액"}},
    "formulas": {"debt_ratio": "total_liabilities / total_equity x 100"},
}
COMPANY_EXAMPLE = {
    "corp_code": "00688996",
    "corp_name": "(주)KB금융지주",
    "corp_name_eng": "KB Financial Group Inc.",
    "stock_name": "KB금융",
    "stock_code": "105560",
    "ceo_nm": "양종희",
    "corp_cls": "Y",
    "market": "KOSPI",
    "induty_code": "64992",
    "industry": "지주회사",
    "est_dt": "2008-09-29",
    "acc_mt": 12,
    "adres": "서울특별시 영등포구 국제금융로8길 26 (여의도동, 국민은행 여의도본점)",
    "hm_url": "www.kbfg.com",
    "ir_url": None,
    "phn_no": "02-2073-7114",
    "jurir_no": "1101113975517",
    "bizr_no": "2018608254",
}


@router.get(
    "/corps/resolve",
    response_model=CorpsResponse,
    summary="Find companies by name, stock code or corp_code",
    description="Every company sharing an exact name is returned (names are not unique), listed companies "
    "first; then prefix/contains matches and jamo-level fuzzy matches (typos), best first.",
    responses={**COMMON_ERRORS, **_example(RESOLVE_EXAMPLE, {**SOURCE_EXAMPLE, "dataset": "corpCode.xml"})},
)
async def resolve_corp(
    service: ServiceDep,
    q: Annotated[str, Query(min_length=1, max_length=100, description="name, 6-digit stock code or corp_code")],
    limit: Annotated[int, Query(ge=1, le=100, description="most non-exact matches to return")] = 20,
) -> dict[str, Any]:
    data, source = await service.resolve(q, limit)
    return {"data": data, "source": source}


@router.get(
    "/corps/{corp_code}/filings",
    response_model=FilingsResponse,
    summary="A company's filings (Open DART list.json), newest first",
    responses={**COMMON_ERRORS, **NOT_FOUND, **_example(FILINGS_EXAMPLE, {**SOURCE_EXAMPLE, "dataset": "list.json"})},
)
async def list_filings(
    service: ServiceDep,
    corp_code: CorpCode,
    start: Annotated[IsoDate | None, Query(description="first filing date (default: a year before end)")] = None,
    end: Annotated[IsoDate | None, Query(description="last filing date (default: today in Korea)")] = None,
    type: Annotated[  # the API's parameter name
        str | None,
        Query(
            max_length=20,
            description="periodic (A), major (B), issuance (C), ownership (D), other (E), audit (F), fund (G), "
            "abs (H), exchange (I), ftc (J); DART's letter works too",
        ),
    ] = None,
    final: Annotated[bool, Query(description="only the final version of corrected reports")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    data, source = await service.filings(corp_code, start, end, type, final, limit)
    return {"data": data, "source": source}


@router.get(
    "/corps/{corp_code}/financials",
    response_model=FinancialsResponse,
    summary="Every line of a periodic report's statements (fnlttSinglAcntAll)",
    description="Consolidated statements fall back to separate ones when DART has none (status 013); "
    "`fs_used` and `fallback` say which were returned. Amounts are integers in KRW.",
    responses={**COMMON_ERRORS, **NOT_FOUND, **_example(FINANCIALS_EXAMPLE)},
)
async def get_financials(
    service: ServiceDep, corp_code: CorpCode, year: Year, report: Report = "annual", fs: Fs = "consolidated"
) -> dict[str, Any]:
    data, source = await service.financials(corp_code, year, report, fs)
    return {"data": data, "source": source}


@router.get(
    "/corps/{corp_code}/key-metrics",
    response_model=KeyMetricsResponse,
    summary="Key metrics from DART's main accounts (or the full statements), with history and sector lines",
    description="Computed from 단일회사 주요계정 (fnlttSinglAcnt) when DART has it, else from the full "
    "statements; one fs_div only (`fs_div`). `history` lists every fiscal period the report covers (annual: "
    "three years; interim: year to date and the quarter alone, each labelled). Financial companies (sector from "
    "company.json's induty_code and the accounts present) get their own lines (순이자손익, 순수수료손익, "
    "보험손익) and no revenue-based ratios (`omitted` says why). A year whose annual report is not at hand is "
    "served from the next annual reports' comparative columns (`served_from`).",
    responses={
        **COMMON_ERRORS,
        **NOT_FOUND,
        **_example(
            METRICS_EXAMPLE,
            {
                **SOURCE_EXAMPLE,
                "dataset": METRICS_DATASET,
                "url": METRICS_EXAMPLE["url"],
                "as_of": "2024-11-14",
            },
        ),
    },
)
async def get_key_metrics(
    service: ServiceDep, corp_code: CorpCode, year: Year, report: Report = "annual", fs: Fs = "consolidated"
) -> dict[str, Any]:
    data, source = await service.key_metrics(corp_code, year, report, fs)
    return {"data": data, "source": source}


@router.get(
    "/corps/{corp_code}/company",
    response_model=CompanyResponse,
    summary="Company profile (기업개황, company.json)",
    description="Representative, industry (KSIC code and name), market, fiscal year-end month, date of "
    "incorporation, homepage and address as DART keeps them. DART's profile has no listing date.",
    responses={
        **COMMON_ERRORS,
        **NOT_FOUND,
        **_example(
            COMPANY_EXAMPLE,
            {
                **SOURCE_EXAMPLE,
                "dataset": "company.json",
                "url": "https://opendart.fss.or.kr/api/company.json?corp_code=00688996",
                "as_of": "2026-02-17",
            },
        ),
    },
)
async def get_company(service: ServiceDep, corp_code: CorpCode) -> dict[str, Any]:
    data, source = await service.company(corp_code)
    return {"data": data, "source": source}


@router.get("/status", response_model=ServiceStatus, summary="Key, corp list, quota and cache state")
async def status(service: ServiceDep) -> dict[str, Any]:
    loaded = service.corps.loaded
    quota = service.upstream.quota
    used = await quota.spent()  # every replica's calls when the quota is shared (REDIS_URL)
    caches = (service.filings_cache, service.financials_cache, service.rows_cache)
    counters = ("hits", "misses", "shared_waits", "errors", "remote_hits", "remote_waits")
    return {
        "configured": service.upstream.configured,
        "corp_list": {
            "loaded": loaded is not None,
            "companies": len(loaded.index) if loaded else None,
            "listed": loaded.index.listed_count if loaded else None,
            "downloaded_at": loaded.downloaded_at if loaded else None,
            "file": str(service.corps.path),
        },
        "quota": {"limit": quota.limit, "used": used, "remaining": max(0, quota.limit - used)},
        "upstream_calls": service.upstream.stats.calls,
        "upstream_calls_by_path": dict(service.upstream.stats.by_path),
        "cache": {
            "entries": sum(len(c) for c in caches),
            "shared": service.upstream.shared.enabled,
            **{name: sum(getattr(c.stats, name) for c in caches) for name in counters},
        },
    }
