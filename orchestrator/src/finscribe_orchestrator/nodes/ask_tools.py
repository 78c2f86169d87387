"""The tools the ask graph offers the LLM: thin, validated wrappers over the data services and rag.

Tool arguments come from the LLM, so they are validated with pydantic and only ever
used as query parameters of our own services; a tool's answer is the data block of what
it fetched (with `[n]` numbers), never anything executable.
"""

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from finscribe_orchestrator.clients.base import ServiceCallError
from finscribe_orchestrator.context import Scope
from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.data.company import Company, resolve_company
from finscribe_orchestrator.data.gather import add_pdf_hits, latest_reports
from finscribe_orchestrator.data.reports import FILINGS_LOOKBACK_DAYS, FiledReport, filed_reports
from finscribe_orchestrator.data.summaries import summarize
from finscribe_orchestrator.labels import label, report_name


class CompanyArgs(BaseModel):
    company: str = Field(min_length=1, max_length=100, description="회사명 또는 6자리 종목코드")


class PriceArgs(CompanyArgs):
    days: int = Field(default=365, ge=5, le=3650, description="조회 기간(일)")


class MetricsArgs(CompanyArgs):
    year: int | None = Field(default=None, ge=2015, le=2100)
    report: Literal["annual", "h1", "q1", "q3"] | None = None


class SearchArgs(BaseModel):
    query: str = Field(min_length=1, max_length=500)


class FxArgs(BaseModel):
    pair: str = Field(default="USDKRW", pattern=r"^[A-Z]{6}$")


TOOL_ARGS: dict[str, type[BaseModel]] = {
    "stock_prices": PriceArgs,
    "financial_metrics": MetricsArgs,
    "recent_filings": CompanyArgs,
    "search_files": SearchArgs,
    "fx_rate": FxArgs,
}
TOOL_DESCRIPTIONS = {
    "stock_prices": "KRX 일별 주가와 지수(코스피/코스닥), 시가총액, PER/PBR",
    "financial_metrics": "DART 재무제표 기반 주요 재무지표(매출액, 영업이익, 순이익, 자산, 부채, 전년 대비)",
    "recent_filings": "DART 최근 공시 목록",
    "search_files": "사용자가 올린 PDF에서 관련 문단 검색(파일명과 쪽 번호 포함)",
    "fx_rate": "환율(예: USDKRW)",
}


def tool_schemas() -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {"name": name, "description": TOOL_DESCRIPTIONS[name], "parameters": model.model_json_schema()},
        }
        for name, model in TOOL_ARGS.items()
    ]


class Toolbox:
    def __init__(self, ctx: Scope, companies: dict[str, Company | None] | None = None) -> None:
        self.ctx = ctx
        # the names resolved so far in this run (graph state between tool rounds)
        self.companies: dict[str, Company | None] = dict(companies or {})

    async def company(self, name: str) -> Company | None:
        if name not in self.companies:
            resolution = await resolve_company(self.ctx.clients, name, name)
            for warning in resolution.warnings:
                self.ctx.warn(**warning)
            self.companies[name] = resolution.company
        return self.companies[name]

    async def call(self, name: str, raw_args: dict[str, Any]) -> str:
        model = TOOL_ARGS.get(name)
        if model is None:
            return f"알 수 없는 도구: {name}"
        try:
            args = model.model_validate(raw_args)
        except ValidationError as exc:
            return f"도구 인자 오류: {exc.errors()[0].get('msg')}"
        before = set(self.ctx.bundle.datasets)
        try:
            message = await getattr(self, f"_{name}")(args)
        except ServiceCallError as exc:
            self.ctx.bundle.failed.setdefault(exc.service, f"{exc.code}: {exc.message}")
            self.ctx.warn_failed_services()
            return f"{exc.service} 서비스에서 데이터를 가져오지 못했습니다."
        if message:
            return message
        summarize_new(self.ctx, before)
        new = [k for k in self.ctx.bundle.datasets if k not in before]
        return self.ctx.bundle.block(new) if new else "가져온 데이터 없음"

    async def _need(self, name: str) -> Company | None:
        company = await self.company(name)
        if company is not None:
            self.ctx.bundle.company = self.ctx.bundle.company or company
        return company

    async def _stock_prices(self, args: PriceArgs) -> str | None:
        company = await self._need(args.company)
        if company is None or not company.ticker:
            return f"'{args.company}'에 해당하는 상장사를 찾지 못했습니다."
        end = self.ctx.bundle.as_of
        start = end - dt.timedelta(days=args.days)
        clients, bundle = self.ctx.clients, self.ctx.bundle
        price = await clients.krx.ohlcv(company.ticker, start, end)
        lang = bundle.language
        bundle.add(f"price:{company.ticker}", label(lang, "ds_price", company=company.name), price.data, price.source)
        code, key = ("2001", "ds_index_kosdaq") if company.market == "KOSDAQ" else ("1001", "ds_index_kospi")
        title = label(lang, key)
        try:
            index = await clients.krx.index_ohlcv(code, start, end)
        except ServiceCallError as exc:  # the price alone still answers the question
            bundle.failed.setdefault("krx", f"{title}: {exc.code}")
            self.ctx.warn_failed_services()
            return None
        bundle.add(f"index:{code}", title, index.data, index.source)
        return None

    async def _financial_metrics(self, args: MetricsArgs) -> str | None:
        company = await self._need(args.company)
        if company is None or not company.corp_code:
            return f"'{args.company}'의 DART 고유번호를 찾지 못했습니다."
        annual, interim = latest_reports(self.ctx.bundle.as_of)
        candidates = [(args.year, args.report)] if args.year and args.report else interim + annual
        if not (args.year and args.report):
            # the newest reports really filed by the date first (the filings list), the deadlines as a fallback
            filed = [(f.year, f.report) for f in await self._filed(company.corp_code)][:2]
            candidates = filed + [c for c in candidates if c not in filed]
        for year, report in candidates:
            try:
                payload = await self.ctx.clients.dart.key_metrics(company.corp_code, int(year), str(report))
            except ServiceCallError as exc:
                if exc.status in (400, 404, 422):
                    continue
                raise
            key = f"{'metrics_interim' if report != 'annual' else 'metrics_annual'}:{company.corp_code}"
            lang = self.ctx.bundle.language
            title = label(lang, "ds_metrics", company=company.name, period=report_name(lang, year, str(report)))
            self.ctx.bundle.add(key, title, payload.data, payload.source)
            return None
        return "해당 기간의 재무지표를 찾지 못했습니다."

    async def _filed(self, corp_code: str) -> list[FiledReport]:
        as_of = self.ctx.bundle.as_of
        since = as_of - dt.timedelta(days=FILINGS_LOOKBACK_DAYS)
        try:
            payload = await self.ctx.clients.dart.filings(corp_code, since, as_of, kind="periodic")
        except ServiceCallError:
            return []
        return filed_reports(payload.data, as_of)

    async def _recent_filings(self, args: CompanyArgs) -> str | None:
        company = await self._need(args.company)
        if company is None or not company.corp_code:
            return f"'{args.company}'의 DART 고유번호를 찾지 못했습니다."
        end = self.ctx.bundle.as_of
        payload = await self.ctx.clients.dart.filings(company.corp_code, end - dt.timedelta(days=180), end)
        self.ctx.bundle.add(
            f"filings:{company.corp_code}",
            label(self.ctx.bundle.language, "ds_filings", company=company.name),
            payload.data,
            payload.source,
        )
        return None

    async def _search_files(self, args: SearchArgs) -> str | None:
        collection = self.ctx.request.rag_collection
        pdf_ids = self.ctx.request.pdf_ids
        if not collection or not pdf_ids:
            return "이 세션에는 검색할 파일이 없습니다."
        hits = await self.ctx.clients.rag.query(collection, args.query, k=5, doc_ids=pdf_ids)
        add_pdf_hits(self.ctx.bundle, hits)
        return None if hits else "관련 문단을 찾지 못했습니다."

    async def _fx_rate(self, args: FxArgs) -> str | None:
        payload = await self.ctx.clients.yahoo.fx(args.pair)
        self.ctx.bundle.add(
            f"fx:{args.pair}",
            label(self.ctx.bundle.language, "ds_fx_pair", pair=args.pair),
            payload.data,
            payload.source,
        )
        return None


def summarize_new(ctx: Scope, before: set[str]) -> None:
    """Summarize only the datasets a tool just added (summaries append lines, so never twice)."""
    fresh = DataBundle(
        as_of=ctx.bundle.as_of,
        company=ctx.bundle.company,
        facts=ctx.bundle.facts,
        demo_recordings=ctx.bundle.demo_recordings,
        language=ctx.bundle.language,
    )
    fresh.datasets = {k: d for k, d in ctx.bundle.datasets.items() if k not in before}
    summarize(fresh)
