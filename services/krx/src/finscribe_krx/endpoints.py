"""HTTP routes of the krx service (API.md, krx section)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from finscribe_common.dates import IsoDate
from finscribe_common.deps import service_dependency
from finscribe_common.schemas import DataResponse
from finscribe_krx import datasets
from finscribe_krx.schemas import Freq, FundamentalRow, IndexRow, MarketCapRow, OhlcvRow, TickerMatch
from finscribe_krx.service import KrxService

ServiceDep = Annotated[KrxService, Depends(service_dependency(KrxService))]

_SOURCE_EXAMPLE = {
    "provider": "KRX",
    "dataset": datasets.STOCK_OHLCV.name,
    "url": datasets.STOCK_OHLCV.url,
    "as_of": "2021-01-15",
    "retrieved_at": "2026-11-25T06:00:00Z",
}


def _example(data: Any, **source: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"content": {"application/json": {"example": {"data": data, "source": {**_SOURCE_EXAMPLE, **source}}}}}
    }


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "bad ticker, index code or date range (end before start, range over the maximum)"},
    404: {"description": "no listed stock has this ticker"},
    422: {"description": "a query value has the wrong type (e.g. a date that is not YYYY-MM-DD)"},
    429: {"description": "KRX is rate-limiting this server (Retry-After says when to retry)"},
    502: {"description": "KRX failed or answered something unusable"},
    503: {"description": "KRX_ID / KRX_PW are not set (`not_configured`)"},
    504: {"description": "KRX did not answer in time"},
}

TickerPath = Annotated[str, Path(description="KRX short code, 6 characters", examples=["005930"])]
Start = Annotated[IsoDate | None, Query(description="first day, YYYY-MM-DD (default: 90 days before end)")]
End = Annotated[IsoDate | None, Query(description="last day, YYYY-MM-DD (default: today in KST; clipped to today)")]

router = APIRouter(prefix="/v1", tags=["krx"], responses=_ERRORS)


@router.get(
    "/tickers/resolve",
    summary="Find KRX tickers by name, code, alias or a misspelled Korean name",
    responses=_example(
        [
            {
                "ticker": "005930",
                "name": "삼성전자",
                "market": "KOSPI",
                "score": 0.81,
                "isin": "KR7005930003",
                "matched": "fuzzy",
            },
            {
                "ticker": "009150",
                "name": "삼성전기",
                "market": "KOSPI",
                "score": 0.72,
                "isin": "KR7009150004",
                "matched": "fuzzy",
            },
        ],
        dataset=datasets.TICKERS.name,
    ),
)
async def resolve_ticker(
    service: ServiceDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=100, description="삼성전자, 005930, 삼전, 삼성전저 ...", examples=["삼성전저"]),
    ],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> DataResponse[list[TickerMatch]]:
    return await service.resolve(q, limit)


@router.get(
    "/stocks/{ticker}/ohlcv",
    summary="Daily, monthly or yearly OHLCV of a stock",
    responses=_example(
        [
            {
                "date": "2021-01-14",
                "open": 88700,
                "high": 90000,
                "low": 88700,
                "close": 89700,
                "volume": 26393970,
                "value": 2356661622700,
                "change_pct": 0.0,
            },
            {
                "date": "2021-01-15",
                "open": 89800,
                "high": 91800,
                "low": 88000,
                "close": 88000,
                "volume": 33431809,
                "value": 2975231937664,
                "change_pct": -1.9,
            },
        ]
    ),
)
async def stock_ohlcv(
    service: ServiceDep,
    ticker: TickerPath,
    start: Start = None,
    end: End = None,
    freq: Annotated[Freq, Query(description="d daily, m monthly, y yearly")] = "d",
    adjusted: Annotated[bool, Query(description="KRX adjusted prices (수정주가)")] = True,
) -> DataResponse[list[OhlcvRow]]:
    return await service.ohlcv(ticker, start, end, freq, adjusted)


@router.get(
    "/stocks/{ticker}/market-cap",
    summary="Daily market capitalisation and listed shares of a stock",
    responses=_example(
        [
            {
                "date": "2021-01-15",
                "market_cap": 525340864400000,
                "shares": 5969782550,
                "volume": 33431809,
                "value": 2975231937664,
            }
        ],
        dataset=datasets.MARKET_CAP.name,
    ),
)
async def stock_market_cap(
    service: ServiceDep, ticker: TickerPath, start: Start = None, end: End = None
) -> DataResponse[list[MarketCapRow]]:
    return await service.market_cap(ticker, start, end)


@router.get(
    "/stocks/{ticker}/fundamentals",
    summary="Daily BPS, PER, PBR, EPS, dividend yield and DPS of a stock",
    responses=_example(
        [{"date": "2021-01-08", "bps": 37528, "per": 28.05, "pbr": 2.37, "eps": 3166, "div": 1.59, "dps": 1416}],
        dataset=datasets.FUNDAMENTALS.name,
        url=datasets.FUNDAMENTALS.url,
        as_of="2021-01-08",
    ),
)
async def stock_fundamentals(
    service: ServiceDep, ticker: TickerPath, start: Start = None, end: End = None
) -> DataResponse[list[FundamentalRow]]:
    return await service.fundamentals(ticker, start, end)


@router.get(
    "/indices/{code}/ohlcv",
    summary="OHLCV of a KRX index (1001 KOSPI, 1028 KOSPI 200, 2001 KOSDAQ, ...)",
    responses=_example(
        [
            {
                "date": "2021-01-15",
                "open": 2369.94,
                "high": 2400.69,
                "low": 2292.92,
                "close": 2298.05,
                "volume": 22540416,
                "value": 1967907809615,
                "market_cap": 137712088395380,
                "change_pct": -2.91,
            },
        ],
        dataset=datasets.INDEX_OHLCV.name,
        url=datasets.INDEX_OHLCV.url,
    ),
)
async def index_ohlcv(
    service: ServiceDep,
    code: Annotated[str, Path(description="pykrx index ticker: group digit + 3-digit code", examples=["1001"])],
    start: Start = None,
    end: End = None,
    freq: Annotated[Freq, Query(description="d daily, m monthly, y yearly")] = "d",
) -> DataResponse[list[IndexRow]]:
    return await service.index_ohlcv(code, start, end, freq)
