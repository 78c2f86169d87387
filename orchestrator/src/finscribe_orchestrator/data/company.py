"""Resolve a company name (or code) to its KRX ticker, DART corp_code and Yahoo symbol."""

import re
from dataclasses import dataclass, field
from typing import Any

from finscribe_orchestrator.clients import Clients
from finscribe_orchestrator.clients.base import ServiceCallError

AMBIGUITY_MARGIN = 0.05
# a word picked out of a free-text prompt must match well; a name the user typed as the company may be misspelt
MIN_SCORE_FROM_PROMPT = 0.8
MIN_SCORE_FROM_OPTION = 0.5
_JOSA = re.compile(r"(에 대한|에 관한|에서|으로|으로서|로서|까지|부터|이란|란|의|은|는|이|가|을|를|에|과|와|로|도|만)$")
_STOPWORDS = {
    "보고서",
    "분석",
    "작성",
    "리포트",
    "기업",
    "회사",
    "주가",
    "실적",
    "전망",
    "투자",
    "재무",
    "해줘",
    "써줘",
    "초안",
}


@dataclass
class Company:
    name: str
    ticker: str | None = None
    market: str | None = None
    corp_code: str | None = None
    symbol: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ticker": self.ticker,
            "market": self.market,
            "corp_code": self.corp_code,
            "symbol": self.symbol,
        }

    @property
    def label(self) -> str:
        return f"{self.name}({self.ticker})" if self.ticker else self.name


def candidate_queries(prompt: str, limit: int = 4) -> list[str]:
    """Words of a prompt that may name a company: codes first, then words without their particles."""
    codes = re.findall(r"(?<!\d)\d{6}(?!\d)", prompt)
    words = []
    for token in re.split(r"[\s,.!?;:()\[\]\"'“”‘’/]+", prompt):
        word = _JOSA.sub("", token.strip())
        if len(word) >= 2 and word not in _STOPWORDS and not word.isdigit():
            words.append(word)
    seen: list[str] = []
    for q in [*codes, *words]:
        if q not in seen:
            seen.append(q)
    return seen[:limit]


@dataclass
class Resolution:
    company: Company | None
    warnings: list[dict[str, Any]]  # code and params for Scope.warn
    failed_services: list[str]
    # service -> what it said when it failed, its own words (a service not configured names the
    # variable to set); not a sentence: the caller words it in the run's language
    # (messages.py `reason_company_search_said`, params `{said}`)
    reasons: dict[str, str] = field(default_factory=dict)


def _failure(service: str, exc: ServiceCallError, failed: list[str], reasons: dict[str, str]) -> None:
    failed.append(service)
    if exc.code == "not_configured" and exc.message:
        reasons.setdefault(service, exc.message)


async def resolve_company(clients: Clients, query: str | None, prompt: str) -> Resolution:
    warnings: list[dict[str, Any]] = []
    failed: list[str] = []
    reasons: dict[str, str] = {}
    queries = [query] if query else candidate_queries(prompt)
    floor = MIN_SCORE_FROM_OPTION if query else MIN_SCORE_FROM_PROMPT
    best: dict[str, Any] | None = None
    candidates: list[dict[str, Any]] = []
    for q in queries:
        try:
            payload = await clients.krx.resolve(q)
        except ServiceCallError as exc:
            if exc.status in (400, 404, 422):
                continue
            _failure("krx", exc, failed, reasons)
            break
        found = [c for c in payload.data if isinstance(c, dict) and c.get("ticker") and _score(c) >= floor]
        if found and (best is None or float(found[0].get("score") or 0) > float(best.get("score") or 0)):
            best, candidates = found[0], found
        if best is not None and float(best.get("score") or 0) >= 0.95:
            break
    corp = await _dart_match(clients, best, queries if best is None else [], floor, failed, reasons)
    if best is None and corp is None:
        return Resolution(None, warnings, failed, reasons)
    if best is not None:
        close = rivals(candidates)
        if close:
            names = ", ".join(f"{c.get('name')}({c.get('ticker')})" for c in [best, *close[:3]])
            # code and params for Scope.warn (messages.py has the sentence in either language)
            warnings.append(
                {
                    "code": "ambiguous_company",
                    "names": names,
                    "name": str(best.get("name")),
                    "ticker": str(best.get("ticker")),
                    "candidates": [{"name": c.get("name"), "ticker": c.get("ticker")} for c in [best, *close[:3]]],
                }
            )
        company = Company(name=str(best.get("name")), ticker=str(best["ticker"]), market=best.get("market"))
    else:
        assert corp is not None
        company = Company(name=str(corp.get("corp_name")), ticker=corp.get("stock_code") or None)
    if corp is not None:
        company.corp_code = str(corp.get("corp_code"))
    company.symbol = await _yahoo_symbol(clients, company, failed, reasons)
    return Resolution(company, warnings, failed, reasons)


def rivals(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The other companies a name could as well mean (best match first in `candidates`, KRX
    `GET /v1/tickers/resolve` rows); empty when the name is clear.

    Clear: an exact name or code (score >= 0.99), or no other candidate close to the best.
    A rival is within AMBIGUITY_MARGIN of the best or, when the best is only an alias, a
    prefix or a fuzzy match, itself a strong match (>= MIN_SCORE_FROM_PROMPT): "삼성" is an
    alias of 삼성전자 (0.97) and a prefix of 삼성물산, 삼성SDI, ... (0.825), so it asks."""
    if not candidates:
        return []
    top = _score(candidates[0])
    if top >= 0.99:
        return []
    floor = min(top - AMBIGUITY_MARGIN, MIN_SCORE_FROM_PROMPT)
    return [c for c in candidates[1:] if _score(c) >= floor]


@dataclass
class Candidates:
    """What a typed company name may mean (the panel's autocomplete and its question)."""

    items: list[dict[str, Any]]
    ambiguous: bool

    def as_dict(self, query: str) -> dict[str, Any]:
        return {"query": query, "items": self.items, "ambiguous": self.ambiguous}


async def company_candidates(clients: Clients, query: str, limit: int = 8) -> Candidates:
    """Listed companies matching `query` (KRX names, aliases, codes; best first), each
    `{name, ticker, market, score}`, and whether the name is ambiguous (`rivals`).
    Raises ServiceCallError when KRX cannot answer (not for a name it does not know)."""
    try:
        payload = await clients.krx.resolve(query)
    except ServiceCallError as exc:
        if exc.status in (400, 404, 422):
            return Candidates([], False)
        raise
    found = [c for c in payload.data if isinstance(c, dict) and c.get("ticker") and _score(c) >= MIN_SCORE_FROM_OPTION]
    items = [
        {"name": str(c.get("name")), "ticker": str(c["ticker"]), "market": c.get("market"), "score": _score(c)}
        for c in found[:limit]
    ]
    return Candidates(items, bool(rivals(found)))


def _score(candidate: dict[str, Any]) -> float:
    try:
        return float(candidate.get("score") or 0)
    except (TypeError, ValueError):
        return 0.0


async def _dart_match(
    clients: Clients,
    krx_best: dict[str, Any] | None,
    queries: list[str],
    floor: float,
    failed: list[str],
    reasons: dict[str, str],
) -> dict[str, Any] | None:
    """The DART company of the KRX match (same stock code); without a KRX match, DART's own best listed match."""
    # by the KRX ticker first: KRX's short name is not always DART's (현대차 is 현대자동차 there)
    for q in [str(krx_best.get("ticker")), str(krx_best.get("name"))] if krx_best else queries:
        try:
            payload = await clients.dart.resolve(q)
        except ServiceCallError as exc:
            if exc.status not in (400, 404, 422):
                _failure("dart", exc, failed, reasons)
                return None
            continue
        corps = [c for c in payload.data if isinstance(c, dict) and c.get("corp_code")]
        if krx_best is not None:
            # a same-named unlisted company is not the listed one the user means
            same = next((c for c in corps if c.get("stock_code") == krx_best.get("ticker")), None)
            if same is not None:
                return same
            continue
        listed = [c for c in corps if c.get("stock_code") and _score(c) >= floor]
        if listed:
            return listed[0]
    return None


async def _yahoo_symbol(clients: Clients, company: Company, failed: list[str], reasons: dict[str, str]) -> str | None:
    if not company.ticker:
        return None
    try:
        payload = await clients.yahoo.resolve(company.ticker)
        for item in payload.data:
            if isinstance(item, dict) and str(item.get("symbol", "")).startswith(company.ticker):
                return str(item["symbol"])
    except ServiceCallError as exc:
        if exc.status not in (400, 404, 422):
            _failure("yahoo", exc, failed, reasons)
    return f"{company.ticker}.KQ" if company.market == "KOSDAQ" else f"{company.ticker}.KS"
