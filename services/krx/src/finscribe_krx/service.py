"""The krx service's logic: validation, chunking, caching, empty-frame judgement, provenance."""

import datetime as dt
import logging
import re
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any, TypeVar

import pandas as pd

from finscribe_common.cache import AsyncTTLCache
from finscribe_common.errors import BadRequest, NotFound, UpstreamError
from finscribe_common.schemas import DataResponse, Source, utc_now
from finscribe_common.shared_state import SharedState
from finscribe_common.threads import run_blocking
from finscribe_krx import calendar, datasets, frames
from finscribe_krx.config import KrxSettings
from finscribe_krx.ranges import DateRange, validate_range
from finscribe_krx.resolve import MARKETS, ListedStock, TickerIndex
from finscribe_krx.schemas import FundamentalRow, IndexRow, MarketCapRow, OhlcvRow, TickerMatch
from finscribe_krx.upstream import KrxUpstream

logger = logging.getLogger("finscribe.krx.service")

T = TypeVar("T")

TICKER_RE = re.compile(r"^[0-9][0-9A-Z]{5}$")
# pykrx's index tickers: group digit (1 KOSPI, 2 KOSDAQ, 3 KONEX?, 4 derivatives, 5 KRX) + 3-digit code
INDEX_RE = re.compile(r"^[1-9][0-9]{3}$")
MIN_TICKER_TTL_S = 60.0
# KRX sent an empty `output` for a range with trading days: still a 502 (pykrx turns every
# error it swallows into an empty frame), but told apart from an HTTP error or a malformed
# answer so that demo mode can say "not recorded" for exactly this case and nothing else
NO_ROWS_CODE = "upstream_no_rows"


class KrxService:
    def __init__(
        self, settings: KrxSettings, upstream: KrxUpstream | None = None, shared: SharedState | None = None
    ) -> None:
        self.settings = settings
        self.upstream = upstream or KrxUpstream(settings, shared)
        size = settings.krx_cache_max_entries
        # The ticker list and its fuzzy index stay per process: one KRX call a day per
        # replica, and reading ~2,700 stocks from Redis on every request would cost more.
        self.cache: AsyncTTLCache[Any] = AsyncTTLCache(max_entries=size)
        # Series answers are shared by every replica (REDIS_URL), typed per dataset.
        state = self.upstream.shared
        self.series: dict[str, AsyncTTLCache[Any]] = {
            "ohlcv": AsyncTTLCache.shared_by(state, "krx-ohlcv", DataResponse[list[OhlcvRow]], size),
            "market_cap": AsyncTTLCache.shared_by(state, "krx-market-cap", DataResponse[list[MarketCapRow]], size),
            "fundamentals": AsyncTTLCache.shared_by(
                state, "krx-fundamentals", DataResponse[list[FundamentalRow]], size
            ),
            "index": AsyncTTLCache.shared_by(state, "krx-index", DataResponse[list[IndexRow]], size),
        }

    # ---- tickers -----------------------------------------------------------------------

    async def ticker_index(self) -> tuple[TickerIndex, dt.datetime]:
        return await self.cache.get_or_load(("tickers",), self._load_tickers, ttl=_seconds_until_kst_midnight)

    async def _load_tickers(self) -> tuple[TickerIndex, dt.datetime]:
        stocks = await self.upstream.call("listed-stock list", _fetch_listed, payload_key="block1")
        if not stocks:
            raise UpstreamError("KRX returned an empty listed-stock list")
        return TickerIndex(stocks), utc_now()

    async def resolve(self, query: str, limit: int) -> DataResponse[list[TickerMatch]]:
        query = query.strip()
        if not query:
            raise BadRequest(
                "q must not be empty: give a company name, alias or 6-character ticker", code="invalid_query"
            )
        index, retrieved = await self.ticker_index()
        # fuzzy search over ~2,700 names is tens of ms of CPU: keep it off the event loop,
        # and remember answers for as long as the list they came from
        matches = await self.cache.get_or_load(
            ("resolve", retrieved, query, limit),
            lambda: run_blocking(index.search, query, limit=limit, timeout=10.0, pool="krx-resolve", what="resolve"),
            ttl=_seconds_until_kst_midnight,
        )
        data = [
            TickerMatch(
                ticker=m.stock.ticker,
                name=m.stock.name,
                market=m.stock.market,
                score=m.score,
                isin=m.stock.isin,
                matched=m.matched,
            )
            for m in matches
        ]
        as_of = calendar.last_trading_day(retrieved.astimezone(calendar.KST).date())
        return DataResponse(data=data, source=_source(datasets.TICKERS, as_of, retrieved))

    async def stock(self, ticker: str) -> ListedStock:
        if not TICKER_RE.match(ticker):
            raise BadRequest(
                f"invalid ticker {ticker!r}: expected a 6-character KRX code such as 005930", code="invalid_ticker"
            )
        index, _ = await self.ticker_index()
        stock = index.get(ticker)
        if stock is None:
            raise NotFound(f"no listed KRX stock has the ticker {ticker}", code="unknown_ticker")
        return stock

    # ---- series ------------------------------------------------------------------------

    def _range(self, start: dt.date | None, end: dt.date | None) -> DateRange:
        return validate_range(start, end, today=calendar.today_kst(), max_days=self.settings.krx_max_range_days)

    async def ohlcv(
        self, ticker: str, start: dt.date | None, end: dt.date | None, freq: str, adjusted: bool
    ) -> DataResponse[list[OhlcvRow]]:
        rng = self._range(start, end)
        stock = await self.stock(ticker)

        async def load() -> DataResponse[list[OhlcvRow]]:
            df = await self._series(
                f"OHLCV of {ticker}",
                rng,
                lambda krx, s, e: krx.get_market_ohlcv_by_date(s, e, ticker, adjusted),
            )
            rows = frames.ohlcv_rows(frames.resample_ohlc(df, freq, has_value=True))
            return DataResponse(data=rows, source=_source(datasets.STOCK_OHLCV, _as_of(rows, rng), utc_now()))

        return await self._cached("ohlcv", ("ohlcv", stock.ticker, rng, freq, adjusted), rng, load)

    async def market_cap(
        self, ticker: str, start: dt.date | None, end: dt.date | None
    ) -> DataResponse[list[MarketCapRow]]:
        rng = self._range(start, end)
        stock = await self.stock(ticker)

        async def load() -> DataResponse[list[MarketCapRow]]:
            df = await self._series(
                f"market cap of {ticker}",
                rng,
                lambda krx, s, e: krx.get_market_cap_by_date(s, e, ticker),
            )
            rows = frames.market_cap_rows(df)
            return DataResponse(data=rows, source=_source(datasets.MARKET_CAP, _as_of(rows, rng), utc_now()))

        return await self._cached("market_cap", ("market_cap", stock.ticker, rng), rng, load)

    async def fundamentals(
        self, ticker: str, start: dt.date | None, end: dt.date | None
    ) -> DataResponse[list[FundamentalRow]]:
        rng = self._range(start, end)
        stock = await self.stock(ticker)

        async def load() -> DataResponse[list[FundamentalRow]]:
            df = await self._series(
                f"fundamentals of {ticker}",
                rng,
                lambda krx, s, e: krx.get_market_fundamental_by_date(s, e, ticker),
            )
            rows = frames.fundamental_rows(df)
            return DataResponse(data=rows, source=_source(datasets.FUNDAMENTALS, _as_of(rows, rng), utc_now()))

        return await self._cached("fundamentals", ("fundamentals", stock.ticker, rng), rng, load)

    async def index_ohlcv(
        self, code: str, start: dt.date | None, end: dt.date | None, freq: str
    ) -> DataResponse[list[IndexRow]]:
        if not INDEX_RE.match(code):
            raise BadRequest(
                f"invalid index code {code!r}: expected 4 digits such as 1001 (KOSPI), 1028 (KOSPI 200), 2001 (KOSDAQ)",
                code="invalid_index",
            )
        rng = self._range(start, end)

        async def load() -> DataResponse[list[IndexRow]]:
            df = await self._series(
                f"index {code}",
                rng,
                lambda krx, s, e: krx.get_index_ohlcv_by_date(s, e, code),
                hint=" (is the index code right?)",
            )
            df = frames.resample_ohlc(df, freq, has_value=freq == "d")
            rows = frames.index_rows(df)
            return DataResponse(data=rows, source=_source(datasets.INDEX_OHLCV, _as_of(rows, rng), utc_now()))

        return await self._cached("index", ("index", code, rng, freq), rng, load)

    # ---- shared machinery --------------------------------------------------------------

    async def _cached(self, kind: str, key: tuple[Any, ...], rng: DateRange, load: Callable[[], Awaitable[T]]) -> T:
        closed = rng.end < calendar.today_kst()
        ttl = self.settings.krx_ttl_past_s if closed else self.settings.krx_ttl_recent_s
        return await self.series[kind].get_or_load(key, load, ttl=ttl)

    async def _series(
        self,
        what: str,
        rng: DateRange,
        fetch: Callable[[ModuleType, str, str], pd.DataFrame],
        *,
        hint: str = "",
    ) -> pd.DataFrame:
        """Fetch chunk by chunk and decide what an empty chunk means.

        An empty chunk with no trading day in it is simply empty. Empty chunks before the
        first chunk with rows are accepted (the stock was not listed yet). Any other empty
        chunk where KRX must have published rows is an upstream failure, because pykrx
        returns an empty frame for every error it swallows.
        """
        now = calendar.now_kst()
        results: list[tuple[DateRange, pd.DataFrame, int]] = []
        for chunk in rng.chunks(self.settings.krx_chunk_days):
            expected = len(calendar.expected_trading_days(chunk.start, chunk.end, now))
            if expected == 0 and chunk.end < now.date():
                # weekends/holidays only: nothing to ask KRX
                results.append((chunk, pd.DataFrame(), 0))
                continue
            start, end = chunk.krx()

            def fetch_chunk(krx: ModuleType, s: str = start, e: str = end) -> pd.DataFrame:
                return fetch(krx, s, e)

            df = await self.upstream.call(
                f"{what} {chunk.start.isoformat()}..{chunk.end.isoformat()}",
                fetch_chunk,
                payload_key="output",
            )
            results.append((chunk, df, expected))
        seen_rows = False
        first_empty: tuple[DateRange, int] | None = None
        for chunk, df, expected in results:
            if not df.empty:
                seen_rows = True
            elif expected and seen_rows:
                raise self._no_rows(what, chunk, expected, hint)
            elif expected and first_empty is None:
                first_empty = (chunk, expected)
        if not seen_rows and first_empty is not None:
            raise self._no_rows(what, *first_empty, hint)
        return frames.combine([df for _, df, _ in results])

    @staticmethod
    def _no_rows(what: str, chunk: DateRange, expected: int, hint: str) -> UpstreamError:
        return UpstreamError(
            f"KRX returned no rows for {what} between {chunk.start.isoformat()} and "
            f"{chunk.end.isoformat()} although {expected} trading days lie in that range{hint}",
            code=NO_ROWS_CODE,
        )


def _fetch_listed(krx: ModuleType) -> list[ListedStock]:
    from pykrx.website.krx.market.ticker import StockTicker

    # pykrx keeps the list in a process-wide singleton that never refreshes and stays empty
    # after a failed fetch; drop it so this daily load really asks KRX again.
    StockTicker._instance = None
    listed = StockTicker().listed
    if listed is None or listed.empty:
        return []
    return [
        ListedStock(ticker=str(ticker), name=str(row["종목"]), isin=str(row["ISIN"]), market=MARKETS[row["시장"]])
        for ticker, row in listed.iterrows()
        if row["시장"] in MARKETS
    ]


def _source(dataset: datasets.Dataset, as_of: dt.date, retrieved: dt.datetime) -> Source:
    return Source(provider="KRX", dataset=dataset.name, url=dataset.url, as_of=as_of, retrieved_at=retrieved)


def _as_of(rows: list[Any], rng: DateRange) -> dt.date:
    if rows:
        return rows[-1].date
    return calendar.last_trading_day(rng.end)


def _seconds_until_kst_midnight(_: object) -> float:
    now = calendar.now_kst()
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=calendar.KST)
    return max(MIN_TICKER_TTL_S, (tomorrow - now).total_seconds())
