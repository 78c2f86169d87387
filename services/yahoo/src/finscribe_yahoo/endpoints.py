"""Routes of the yahoo service (API.md, yahoo section)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from finscribe_common.dates import IsoDate
from finscribe_common.deps import service_dependency
from finscribe_common.schemas import DataResponse
from finscribe_yahoo.schemas import Bar, FxRate, Interval, Quote, SymbolMatch
from finscribe_yahoo.service import YahooService

router = APIRouter(prefix="/v1", tags=["yahoo"])


ServiceDep = Annotated[YahooService, Depends(service_dependency(YahooService))]

_SOURCE_EXAMPLE = {
    "provider": "Yahoo Finance",
    "dataset": "chart v8",
    "url": "https://finance.yahoo.com/quote/005930.KS",
    "as_of": "2024-12-30",
    "retrieved_at": "2026-11-25T14:00:00Z",
}


def _error(status: int, code: str, message: str) -> dict[str, Any]:
    return {
        "description": message,
        "content": {
            "application/json": {
                "example": {"error": {"code": code, "message": message, "request_id": "3f2a9c0d4b5e4f6a"}}
            }
        },
    }


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error(400, "bad_request", "invalid symbol '$$$': use letters, digits, '.', '-', ..."),
    401: _error(401, "unauthenticated", "missing internal token"),
    404: _error(404, "not_found", "Yahoo Finance has no data for NOPE.KS: No data found, symbol may be delisted"),
    422: _error(422, "validation_error", "invalid request: query.interval: Input should be '1d', '1wk' or '1mo'"),
    429: _error(429, "upstream_rate_limited", "Yahoo Finance is rate limiting this server; try again in 60 s"),
    502: _error(502, "upstream_error", "Yahoo chart 005930.KS (recent): Yahoo Finance sent a body that is not JSON"),
    504: _error(504, "upstream_timeout", "Yahoo chart 005930.KS (recent) did not finish within 20 s"),
}


def example_of(model: type[BaseModel]) -> Any:
    """The example a payload model documents itself with, so route docs never drift from it."""
    return model.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]


def _ok(example_data: Any) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"content": {"application/json": {"example": {"data": example_data, "source": _SOURCE_EXAMPLE}}}},
        **_ERRORS,
    }


SymbolPath = Annotated[
    str,
    Path(
        description="a Yahoo symbol (005930.KS, TSLA, ^IXIC, KRW=X) or a 6-digit KRX code (resolved to .KS/.KQ)",
        examples=["005930.KS"],
        max_length=40,
    ),
]


@router.get(
    "/symbols/resolve",
    summary="Find Yahoo symbols: KRX codes -> .KS/.KQ, index names, FX pairs, or a Yahoo search",
    response_model=DataResponse[list[SymbolMatch]],
    responses=_ok([example_of(SymbolMatch)]),
)
async def resolve_symbol(
    service: ServiceDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=64,
            description="005930, 005930.KS, KOSPI, NASDAQ, USDKRW or a company name",
            examples=["005930"],
        ),
    ],
) -> DataResponse[list[SymbolMatch]]:
    return await service.resolve(q)


@router.get(
    "/quotes/{symbol}",
    summary="Last price, previous close and change of one symbol",
    response_model=DataResponse[Quote],
    responses=_ok(example_of(Quote)),
)
async def get_quote(service: ServiceDep, symbol: SymbolPath) -> DataResponse[Quote]:
    return await service.quote(symbol)


@router.get(
    "/history/{symbol}",
    summary="Daily, weekly or monthly bars between two dates (both inclusive)",
    response_model=DataResponse[list[Bar]],
    responses=_ok([example_of(Bar)]),
)
async def get_history(
    service: ServiceDep,
    symbol: SymbolPath,
    start: Annotated[
        IsoDate | None,
        Query(description="first day (YYYY-MM-DD); default: one year before end", examples=["2024-12-27"]),
    ] = None,
    end: Annotated[
        IsoDate | None, Query(description="last day, inclusive (YYYY-MM-DD); default: today", examples=["2024-12-30"])
    ] = None,
    interval: Annotated[Interval, Query(description="bar size")] = "1d",
) -> DataResponse[list[Bar]]:
    return await service.history(symbol, start, end, interval)


@router.get(
    "/fx/{pair}",
    summary="Latest FX rate of a currency pair (USDKRW reads Yahoo's KRW=X)",
    response_model=DataResponse[FxRate],
    responses=_ok(example_of(FxRate)),
)
async def get_fx(
    service: ServiceDep,
    pair: Annotated[str, Path(description="USDKRW, EURKRW, USD-JPY ...", examples=["USDKRW"], max_length=16)],
) -> DataResponse[FxRate]:
    return await service.fx(pair)


@router.get("/status", summary="Upstream client, calls made, rate-limit cooldown and cache statistics")
async def get_status(service: ServiceDep) -> dict[str, Any]:
    return await service.status()
