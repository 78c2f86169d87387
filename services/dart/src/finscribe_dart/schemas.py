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


class SectorInfo(BaseModel):
    code: Literal["general", "holding", "bank", "financial_holding", "insurance", "securities", "financial"]
    name: str = Field(examples=["금융지주"])
    financial: bool = Field(description="true for banks, insurers, securities firms, financial holding companies")
    induty_code: str | None = Field(description="KSIC code from company.json", examples=["64992"])
    basis: str = Field(description="why: the code and which accounts are present")


class ServedFrom(BaseModel):
    year: int = Field(description="the annual report the figures were taken from", examples=[2023])
    report: ReportParam
    column: Literal["frmtrm", "bfefrmtrm"]
    rcept_no: str | None


Amount = int | float | None


class HistoryEntry(BaseModel):
    period: Literal["thstrm", "frmtrm", "bfefrmtrm"] = Field(description="DART's column the figures come from")
    year: int = Field(examples=[2024])
    scope: Literal["annual", "cumulative", "quarter"] = Field(
        description="annual: the fiscal year; cumulative: year to date; quarter: the last quarter alone"
    )
    months: int
    label: str = Field(examples=["2024년 1~9월 누적"])
    revenue: Amount = None
    operating_income: Amount = None
    net_income: Amount = None
    net_income_owners: Amount = None
    total_assets: Amount = Field(default=None, description="null where the report gives no balance for the period")
    total_liabilities: Amount = None
    total_equity: Amount = None
    equity_owners: Amount = None
    operating_revenue: Amount = None
    net_interest_income: Amount = None
    interest_income: Amount = None
    interest_expense: Amount = None
    net_fee_income: Amount = None
    insurance_result: Amount = None
    deposits: Amount = None
    insurance_liabilities: Amount = None
    operating_margin: float | None = None
    net_margin: float | None = None
    debt_ratio: float | None = None
    roe: float | None = None


class KeyMetrics(BaseModel):
    corp_code: str
    year: int
    report: ReportParam
    reprt_code: str = Field(examples=["11014"])
    dataset: Literal["fnlttSinglAcnt", "fnlttSinglAcntAll"] = Field(
        description="main accounts (preferred) or the full statements (when DART has no main accounts)"
    )
    fs_used: FsParam
    fs_div: Literal["CFS", "OFS"] = Field(description="the only fs_div the figures come from (never mixed)")
    fallback: bool
    note: str | None = None
    served_from: ServedFrom | None = Field(
        default=None, description="set when the year's own report is not at hand and a later annual report served"
    )
    rcept_no: str | None
    url: str | None
    sector: SectorInfo
    months: int = Field(description="months the income figures cover (year to date)")
    period_scope: Literal["annual", "cumulative"]
    period_label: str = Field(examples=["2024년 1~9월 누적"])
    revenue: Amount = Field(description="매출액; null for financial sectors", examples=[225082634000000])
    operating_income: Amount = Field(examples=[26233258000000])
    net_income: Amount = Field(examples=[26696957000000])
    net_income_owners: Amount = Field(default=None, description="full statements only")
    total_assets: Amount = Field(examples=[491307317000000])
    total_liabilities: Amount = Field(examples=[105025954000000])
    total_equity: Amount = Field(examples=[386281363000000])
    equity_owners: Amount = Field(default=None, description="full statements only")
    operating_revenue: Amount = Field(default=None, description="영업수익 (financial sectors)")
    net_interest_income: Amount = Field(default=None, description="순이자손익 (banks, financial holdings)")
    interest_income: Amount = None
    interest_expense: Amount = None
    net_fee_income: Amount = Field(default=None, description="순수수료손익")
    insurance_result: Amount = Field(default=None, description="보험손익 / 보험서비스결과")
    deposits: Amount = Field(default=None, description="예수부채")
    insurance_liabilities: Amount = Field(default=None, description="보험계약부채")
    operating_margin: float | None = Field(description="percent; null for financial sectors", examples=[11.66])
    net_margin: float | None = Field(description="percent", examples=[11.86])
    debt_ratio: float | None = Field(description="부채비율, percent", examples=[27.19])
    roe: float | None = Field(default=None, description="percent, for the period covered", examples=[7.12])
    roe_annualized: float | None = Field(default=None, examples=[9.49])
    roe_basis: Literal["owners_of_parent", "total"] | None = None
    lines: list[str] = Field(description="the metric fields this sector reports, in reading order")
    omitted: dict[str, str] = Field(description="fields left out for this company, with the reason")
    prior: dict[str, int | float | None] = Field(description="the same metrics for the comparative period")
    yoy: dict[str, float | None] = Field(
        description="percent change against the comparative", examples=[{"revenue": 17.75}]
    )
    quarter: dict[str, Any] | None = Field(
        default=None, description="interim h1/q3: the last quarter alone, its prior-year quarter and yoy, labelled"
    )
    history: list[HistoryEntry] = Field(description="one entry per fiscal period the report covers, newest first")
    accounts: dict[str, MetricAccount | None] = Field(description="which statement line each figure came from")
    formulas: dict[str, str]


class CompanyProfile(BaseModel):
    corp_code: str | None = Field(examples=["00688996"])
    corp_name: str | None = Field(examples=["(주)KB금융지주"])
    corp_name_eng: str | None = None
    stock_name: str | None = Field(default=None, examples=["KB금융"])
    stock_code: str | None = Field(default=None, examples=["105560"])
    ceo_nm: str | None = Field(default=None, description="representative(s)", examples=["양종희"])
    corp_cls: str | None = Field(default=None, description="Y KOSPI, K KOSDAQ, N KONEX, E other")
    market: str | None = Field(default=None, examples=["KOSPI"])
    induty_code: str | None = Field(default=None, description="KSIC industry code", examples=["64992"])
    industry: str | None = Field(default=None, description="KSIC name where known", examples=["지주회사"])
    est_dt: dt.date | None = Field(default=None, description="date of incorporation (설립일); DART has no listing date")
    acc_mt: int | None = Field(default=None, description="fiscal year-end month", examples=[12])
    adres: str | None = None
    hm_url: str | None = Field(default=None, examples=["www.kbfg.com"])
    ir_url: str | None = None
    phn_no: str | None = None
    jurir_no: str | None = None
    bizr_no: str | None = None


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
CompanyResponse = DataResponse[CompanyProfile]


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
