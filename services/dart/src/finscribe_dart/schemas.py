"""Response shapes of the dart service, with examples taken from real Open DART data
(Samsung Electronics, corp_code 00126380, 2024 half-year report 20240814003284)."""

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from finscribe_common.schemas import DataResponse

ReportParam = Literal["annual", "h1", "q1", "q3"]
FsParam = Literal["consolidated", "separate"]

VIEWER_URL = "https://dart.fss.or.kr/dsaf001/main.do?rcpNo={rcept_no}"


def viewer_url(rcept_no: str) -> str:
    return VIEWER_URL.format(rcept_no=rcept_no)


class CorpMatch(BaseModel):
    corp_code: str = Field(description="Open DART's 8-digit company id", examples=["00126380"])
    corp_name: str = Field(examples=["삼성전자"])
    stock_code: str | None = Field(default=None, description="KRX ticker when listed", examples=["005930"])
    listed: bool = Field(description="has a stock code; listed companies rank first")
    score: float = Field(ge=0, le=1, examples=[1.0])
    match: Literal["corp_code", "stock_code", "exact", "normalized", "prefix", "contains", "fuzzy"]
    modify_date: dt.date | None = Field(default=None, description="when DART last changed the company's record")


class Filing(BaseModel):
    rcept_no: str = Field(examples=["20240814003284"])
    report_nm: str = Field(examples=["반기보고서 (2024.06)"])
    rcept_dt: dt.date = Field(examples=["2024-08-14"])
    flr_nm: str = Field(description="filer", examples=["삼성전자"])
    url: str = Field(examples=["https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240814003284"])
    corp_cls: str | None = Field(default=None, description="Y KOSPI, K KOSDAQ, N KONEX, E other")
    rm: str | None = Field(default=None, description="DART remarks (e.g. 연 consolidated, 정 corrected)")


class FinancialItem(BaseModel):
    statement: Literal["BS", "IS", "CIS", "CF", "SCE"] | str
    statement_name: str | None = Field(default=None, examples=["재무상태표"])
    account_id: str | None = Field(default=None, examples=["ifrs-full_Assets"])
    account_name: str | None = Field(default=None, examples=["자산총계"])
    account_detail: str | None = Field(default=None, description="statement-of-equity component, if any")
    current: int | float | None = Field(default=None, description="thstrm_amount", examples=[485757698000000])
    prior: int | float | None = Field(default=None, description="frmtrm_amount", examples=[455905980000000])
    current_cumulative: int | float | None = Field(default=None, description="thstrm_add_amount (year to date)")
    prior_quarter: int | float | None = Field(default=None, description="frmtrm_q_amount")
    prior_cumulative: int | float | None = Field(default=None, description="frmtrm_add_amount (year to date)")
    before_prior: int | float | None = Field(default=None, description="bfefrmtrm_amount (annual reports)")
    current_label: str | None = Field(default=None, examples=["제 56 기 반기말"])
    prior_label: str | None = Field(default=None, examples=["제 55 기말"])
    order: int | None = None
    currency: str = "KRW"


class Financials(BaseModel):
    corp_code: str = Field(examples=["00126380"])
    year: int = Field(examples=[2024])
    report: ReportParam = Field(examples=["h1"])
    reprt_code: str = Field(examples=["11012"])
    fs_requested: FsParam
    fs_used: FsParam = Field(description="which statements were found and returned")
    fallback: bool = Field(description="true when consolidated was asked for but only separate statements exist")
    note: str | None = None
    currency: str = "KRW"
    rcept_no: str | None = Field(examples=["20240814003284"])
    url: str | None = Field(examples=["https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240814003284"])
    items: list[FinancialItem]


class MetricAccount(BaseModel):
    statement: str
    account_id: str | None
    account_name: str | None


class KeyMetrics(BaseModel):
    corp_code: str
    year: int
    report: ReportParam
    fs_used: FsParam
    fallback: bool
    note: str | None = Field(default=None, description="why fs_used differs from what was asked, when it does")
    rcept_no: str | None
    url: str | None
    months: int = Field(description="months the income figures cover (year to date)")
    revenue: int | float | None = Field(examples=[145983903000000])
    operating_income: int | float | None = Field(examples=[17049887000000])
    net_income: int | float | None = Field(examples=[16596053000000])
    net_income_owners: int | float | None = Field(examples=[16263683000000])
    total_assets: int | float | None = Field(examples=[485757698000000])
    total_liabilities: int | float | None = Field(examples=[102231027000000])
    total_equity: int | float | None = Field(examples=[383526671000000])
    equity_owners: int | float | None = Field(examples=[373669562000000])
    operating_margin: float | None = Field(description="percent", examples=[11.68])
    net_margin: float | None = Field(description="percent", examples=[11.37])
    debt_ratio: float | None = Field(description="부채비율, percent", examples=[26.66])
    roe: float | None = Field(default=None, description="percent, for the period covered", examples=[4.47])
    roe_annualized: float | None = Field(default=None, examples=[8.94])
    roe_basis: Literal["owners_of_parent", "total"] | None = None
    prior: dict[str, int | float | None] = Field(description="the same metrics for the comparative period")
    yoy: dict[str, float | None] = Field(
        description="percent change against the comparative", examples=[{"revenue": 17.97}]
    )
    accounts: dict[str, MetricAccount | None] = Field(description="which statement line each figure came from")
    formulas: dict[str, str]


class CorpListStatus(BaseModel):
    loaded: bool
    companies: int | None = None
    listed: int | None = None
    downloaded_at: dt.datetime | None = None
    file: str


class QuotaStatus(BaseModel):
    limit: int
    used: int
    remaining: int


class ServiceStatus(BaseModel):
    configured: bool = Field(description="DART_API_KEY is set")
    corp_list: CorpListStatus
    quota: QuotaStatus
    upstream_calls: int
    upstream_calls_by_path: dict[str, int]
    cache: dict[str, Any]


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str | None = None


class ErrorEnvelope(BaseModel):
    error: ErrorBody


CorpsResponse = DataResponse[list[CorpMatch]]
FilingsResponse = DataResponse[list[Filing]]
FinancialsResponse = DataResponse[Financials]
KeyMetricsResponse = DataResponse[KeyMetrics]


def _error(code: str, message: str) -> dict[str, Any]:
    return {
        "model": ErrorEnvelope,
        "content": {"application/json": {"example": {"error": {"code": code, "message": message, "request_id": "…"}}}},
    }


COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("bad_request", "corp_code must be 8 digits (Open DART's company id), got '1234'"),
    401: _error("unauthenticated", "missing internal token"),
    422: _error("validation_error", "invalid request: query.report: Input should be 'annual', 'h1', 'q1' or 'q3'"),
    429: _error("quota_exceeded", "daily Open DART request quota of 20000 is used up; it resets at midnight KST"),
    502: _error("upstream_error", "Open DART is closed for maintenance (status 800: ...)"),
    503: _error("not_configured", "Open DART is not configured: set DART_API_KEY (free at https://opendart.fss.or.kr)"),
    504: _error("upstream_timeout", "Open DART /api/fnlttSinglAcntAll.json did not answer within 15 s"),
}
NOT_FOUND = {404: _error("not_found", "Open DART has no h1 2024 statements for 00126380 (status 013)")}

SOURCE_EXAMPLE = {
    "provider": "DART",
    "dataset": "fnlttSinglAcntAll",
    "url": "https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240814003284",
    "as_of": "2024-08-14",
    "retrieved_at": "2026-11-25T14:00:00Z",
}
