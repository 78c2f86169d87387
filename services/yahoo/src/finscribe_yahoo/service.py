"""Symbol resolve, quotes, history and FX on top of the upstream, with caches and provenance."""

import datetime as dt
import logging
import re
from collections.abc import Hashable
from typing import Any
from zoneinfo import ZoneInfo

from finscribe_common.cache import AsyncTTLCache
from finscribe_common.dates import check_dates, latest_accepted
from finscribe_common.errors import BadRequest, NotFound, UpstreamError
from finscribe_common.schemas import DataResponse, Source, utc_now
from finscribe_yahoo import symbols
from finscribe_yahoo.config import YahooSettings
from finscribe_yahoo.schemas import Bar, FxRate, Interval, Quote, SymbolKind, SymbolMatch
from finscribe_yahoo.upstream import Chart, NoBars, YahooUpstream

logger = logging.getLogger("finscribe.yahoo.service")

PROVIDER = "Yahoo Finance"
CHART_DATASET = "chart v8"
EARLIEST = dt.date(1970, 1, 1)  # the chart API takes Unix seconds; nothing it holds is older
SEARCH_DATASET = "search v1"

# ISO codes we accept as one half of a 6-letter query in resolve (so "USDKRW" is FX, "NVIDIA" is not)
_CURRENCIES = frozenset(
    [
        "USD",
        "KRW",
        "EUR",
        "JPY",
        "CNY",
        "GBP",
        "HKD",
        "CHF",
        "AUD",
        "CAD",
        "SGD",
        "TWD",
        "INR",
        "NZD",
        "SEK",
        "NOK",
        "DKK",
        "THB",
        "VND",
        "IDR",
        "MYR",
        "PHP",
        "BRL",
        "MXN",
        "ZAR",
    ]
)
_QUOTE_TYPES: dict[str, SymbolKind] = {
    "EQUITY": "equity",
    "INDEX": "index",
    "CURRENCY": "fx",
    "ETF": "etf",
    "MUTUALFUND": "fund",
}


def _today_in(tz: str | None) -> dt.date:
    try:
        return dt.datetime.now(ZoneInfo(tz or "UTC")).date()
    except (KeyError, ValueError):
        return dt.datetime.now(dt.UTC).date()


class YahooService:
    def __init__(self, settings: YahooSettings, upstream: YahooUpstream) -> None:
        self.settings = settings
        self.upstream = upstream
        size = settings.yahoo_cache_max_entries
        shared = upstream.shared
        # Per process: a chart's meta holds datetimes under free-form keys that JSON would
        # turn into strings; quotes live seconds, so sharing them would save little.
        self.recent_cache: AsyncTTLCache[Chart] = AsyncTTLCache(max_entries=size)
        # Shared by every replica when REDIS_URL is set (typed JSON in Redis).
        self.history_cache: AsyncTTLCache[list[Bar]] = AsyncTTLCache.shared_by(shared, "yahoo-history", list[Bar], size)
        # (match,) or (None,) when neither board lists the code: misses are remembered too
        self.symbol_cache: AsyncTTLCache[tuple[SymbolMatch | None]] = AsyncTTLCache.shared_by(
            shared, "yahoo-symbols", tuple[SymbolMatch | None], size
        )
        self.timezone_cache: AsyncTTLCache[str] = AsyncTTLCache.shared_by(shared, "yahoo-timezones", str, size)
        self.search_cache: AsyncTTLCache[list[SymbolMatch]] = AsyncTTLCache.shared_by(
            shared, "yahoo-search", list[SymbolMatch], size
        )

    # --- resolve ------------------------------------------------------------------------------

    async def resolve(self, query: str) -> DataResponse[list[SymbolMatch]]:
        text = (query or "").strip()
        if not text:
            raise BadRequest("q is empty: give a KRX code (005930), a Yahoo symbol, an index, an FX pair or a name")
        if len(text) > 64:
            raise BadRequest("q is longer than 64 characters")
        today = utc_now().date()

        code = symbols.krx_code(text)
        if code is not None:
            match = await self.resolve_krx(code)
            return self._resolved([match], CHART_DATASET, match.symbol, today)

        index = symbols.known_index(text)
        if index is not None:
            match = SymbolMatch(
                symbol=index.symbol, name=index.name, exchange=index.exchange, kind="index", how="alias"
            )
            return self._resolved([match], "symbol rules", index.symbol, today)

        fx = self._fx_query(text)
        if fx is not None:
            base, quote_ccy = fx
            symbol = symbols.fx_symbol(base, quote_ccy)
            match = SymbolMatch(symbol=symbol, name=f"{base}/{quote_ccy}", exchange="CCY", kind="fx", how="symbol_rule")
            return self._resolved([match], "symbol rules", symbol, today)

        upper = text.upper()
        krx = symbols.krx_symbol_parts(upper)
        if krx is not None:
            code, market = krx
            listed = symbols.KRX_LISTINGS.get(code)
            match = SymbolMatch(
                symbol=upper,
                name=listed[1] if listed and listed[0] == market else None,
                exchange=symbols.EXCHANGE_BY_MARKET[market],
                market=market,
                how="symbol_rule",
            )
            return self._resolved([match], "symbol rules", upper, today)

        matches = await self.search(text)
        url = matches[0].symbol if len(matches) == 1 else None
        return self._resolved(matches, SEARCH_DATASET, url, today)

    def _fx_query(self, text: str) -> tuple[str, str] | None:
        compact = re.sub(r"[\s/\-_]", "", text.upper())
        if compact.endswith("=X"):
            return None  # already a Yahoo symbol; search will confirm it
        if len(compact) != 6 or compact[:3] not in _CURRENCIES or compact[3:] not in _CURRENCIES:
            return None
        return symbols.parse_fx_pair(compact)

    def _resolved(
        self, matches: list[SymbolMatch], dataset: str, symbol: str | None, today: dt.date
    ) -> DataResponse[list[SymbolMatch]]:
        url = symbols.quote_page_url(symbol) if symbol else "https://finance.yahoo.com/lookup"
        return DataResponse(data=matches, source=self._source(dataset, url, today))

    async def resolve_krx(self, code: str) -> SymbolMatch:
        """005930 -> 005930.KS: the listing table first, else probe .KS then .KQ (cached)."""
        if self.settings.yahoo_use_listing_table and code in symbols.KRX_LISTINGS:
            market, name = symbols.KRX_LISTINGS[code]
            return SymbolMatch(
                symbol=code + symbols.SUFFIX_BY_MARKET[market],
                name=name,
                exchange=symbols.EXCHANGE_BY_MARKET[market],
                market=market,
                how="listing_table",
            )
        (match,) = await self.symbol_cache.get_or_load(("krx", code), lambda: self._probe_krx(code), self._probe_ttl)
        if match is None:
            raise NotFound(f"KRX code {code} is listed on Yahoo Finance neither as {code}.KS nor as {code}.KQ")
        return match

    def _probe_ttl(self, found: tuple[SymbolMatch | None]) -> float:
        # a code missing today may be listed tomorrow: remember a miss for an hour only
        return (
            self.settings.yahoo_symbol_ttl_s if found[0] is not None else min(3600.0, self.settings.yahoo_symbol_ttl_s)
        )

    async def _probe_krx(self, code: str) -> tuple[SymbolMatch | None]:
        markets: tuple[symbols.KrxMarket, ...] = ("KOSPI", "KOSDAQ")
        for market in markets:
            symbol = code + symbols.SUFFIX_BY_MARKET[market]
            try:
                chart = await self._recent(symbol)
            except NotFound:
                continue
            meta = chart.meta
            match = SymbolMatch(
                symbol=symbol,
                name=meta.get("longName") or meta.get("shortName"),
                exchange=meta.get("exchangeName") or symbols.EXCHANGE_BY_MARKET[market],
                market=market,
                how="chart_probe",
            )
            return (match,)
        return (None,)

    async def search(self, text: str) -> list[SymbolMatch]:
        key = ("search", text.casefold())
        return await self.search_cache.get_or_load(key, lambda: self._search(text), self._search_ttl)

    def _search_ttl(self, matches: list[SymbolMatch]) -> float:
        # an empty answer may be a Yahoo hiccup: do not remember it for a day
        return self.settings.yahoo_search_ttl_s if matches else min(60.0, self.settings.yahoo_search_ttl_s)

    async def _search(self, text: str) -> list[SymbolMatch]:
        quotes = await self.upstream.search(text)
        matches: list[SymbolMatch] = []
        for item in quotes:
            symbol = item.get("symbol")
            if not isinstance(symbol, str) or not symbol:
                continue
            symbol = symbol.upper()
            krx = symbols.krx_symbol_parts(symbol)
            matches.append(
                SymbolMatch(
                    symbol=symbol,
                    name=item.get("longname") or item.get("shortname"),
                    exchange=item.get("exchange"),
                    kind=_QUOTE_TYPES.get(str(item.get("quoteType", "")).upper(), "other"),
                    market=krx[1] if krx else None,
                    how="search",
                )
            )
        return matches

    async def symbol_for(self, raw: str) -> str:
        """A path symbol as the caller wrote it -> the Yahoo symbol (6-digit KRX codes resolved)."""
        code = symbols.krx_code(raw)
        if code is not None:
            return (await self.resolve_krx(code)).symbol
        return symbols.normalize_symbol(raw)

    # --- quote and FX -------------------------------------------------------------------------

    async def _recent(self, symbol: str) -> Chart:
        return await self.recent_cache.get_or_load(
            ("recent", symbol), lambda: self._load_recent(symbol), self.settings.yahoo_quote_ttl_s
        )

    async def _load_recent(self, symbol: str) -> Chart:
        try:
            chart = await self.upstream.chart_recent(symbol)
        except NoBars as exc:
            raise NotFound(f"Yahoo Finance has no recent prices for {symbol}") from exc
        if chart.timezone:
            self.timezone_cache.set(symbol, chart.timezone, self.settings.yahoo_symbol_ttl_s)
        return chart

    async def quote(self, raw_symbol: str) -> DataResponse[Quote]:
        symbol = await self.symbol_for(raw_symbol)
        chart = await self._recent(symbol)
        quote = quote_from_chart(chart)
        return DataResponse(data=quote, source=self._source(CHART_DATASET, symbols.quote_page_url(symbol), quote.as_of))

    async def fx(self, raw_pair: str) -> DataResponse[FxRate]:
        base, quote_ccy = symbols.parse_fx_pair(raw_pair)
        symbol = symbols.fx_symbol(base, quote_ccy)
        chart = await self._recent(symbol)
        quote = quote_from_chart(chart)
        rate = FxRate(
            pair=base + quote_ccy, base=base, quote=quote_ccy, symbol=symbol, rate=quote.price, as_of=quote.as_of
        )
        return DataResponse(data=rate, source=self._source(CHART_DATASET, symbols.quote_page_url(symbol), rate.as_of))

    # --- history ------------------------------------------------------------------------------

    async def history(
        self, raw_symbol: str, start: dt.date | None, end: dt.date | None, interval: Interval
    ) -> DataResponse[list[Bar]]:
        # what the dates alone say is checked before any upstream call (symbol probe, time zone)
        check_dates(
            earliest=EARLIEST, latest=latest_accepted(dt.date.today()), source="Yahoo Finance", start=start, end=end
        )
        if start is not None and end is not None:
            self._check_range(start, end)
        symbol = await self.symbol_for(raw_symbol)
        tz = await self.timezone(symbol)
        today = _today_in(tz)
        if start is not None and start > today:
            raise BadRequest(f"start {start} is in the future (today is {today} on this exchange)")
        end = min(end or today, today)
        start = start or end - dt.timedelta(days=365)
        self._check_range(start, end)
        key: Hashable = ("history", symbol, start, end, interval)
        ttl = self.settings.yahoo_past_history_ttl_s if end < today else self.settings.yahoo_recent_history_ttl_s
        bars = await self.history_cache.get_or_load(
            key, lambda: self._load_history(symbol, tz, start, end, interval), ttl
        )
        as_of = bars[-1].date if bars else end
        url = symbols.quote_page_url(symbol) + "/history/"
        return DataResponse(data=bars, source=self._source(CHART_DATASET, url, as_of))

    def _check_range(self, start: dt.date, end: dt.date) -> None:
        if start > end:
            raise BadRequest(f"start {start} is after end {end}")
        days = (end - start).days
        if days > self.settings.yahoo_max_range_days:
            raise BadRequest(
                f"range of {days} days is over the maximum of {self.settings.yahoo_max_range_days} days; "
                "split it into shorter requests"
            )

    async def _load_history(self, symbol: str, tz: str, start: dt.date, end: dt.date, interval: Interval) -> list[Bar]:
        try:
            chart = await self.upstream.chart_range(symbol, tz, start, end, interval)
        except NoBars:
            return []  # Yahoo knows the symbol but had no bars in the range
        if interval == "1d":
            return [bar for bar in chart.bars if start <= bar.date <= end]
        # a weekly/monthly bar is dated at its period's start, which may precede `start`
        return [bar for bar in chart.bars if bar.date <= end]

    async def timezone(self, symbol: str) -> str:
        known = symbols.known_timezone(symbol)
        if known is not None:
            return known
        return await self.timezone_cache.get_or_load(
            symbol, lambda: self._load_timezone(symbol), self.settings.yahoo_symbol_ttl_s
        )

    async def _load_timezone(self, symbol: str) -> str:
        chart = await self._recent(symbol)
        if not chart.timezone:
            raise UpstreamError(f"Yahoo Finance sent no exchange time zone for {symbol}")
        return chart.timezone

    # --- status -------------------------------------------------------------------------------

    async def status(self) -> dict[str, Any]:
        caches = {
            "recent": self.recent_cache,
            "history": self.history_cache,
            "symbols": self.symbol_cache,
            "timezones": self.timezone_cache,
            "search": self.search_cache,
        }
        return {
            "http_client": self.upstream.client_name,
            "upstream_calls": self.upstream.calls,
            "rate_limited_for_s": round(await self.upstream.cooldown_remaining(), 1),
            "shared": self.upstream.shared.enabled,
            "min_interval_s": self.settings.yahoo_min_interval_s,
            "caches": {name: {"entries": len(cache), **cache.stats.__dict__} for name, cache in caches.items()},
        }

    # --- provenance ---------------------------------------------------------------------------

    def _source(self, dataset: str, url: str, as_of: dt.date) -> Source:
        return Source(provider=PROVIDER, dataset=dataset, url=url, as_of=as_of, retrieved_at=utc_now())


def quote_from_chart(chart: Chart) -> Quote:
    meta: dict[str, Any] = chart.meta
    bars = [bar for bar in chart.bars if bar.close is not None or bar.adj_close is not None]
    last_bar = bars[-1] if bars else None
    price = _number(meta.get("regularMarketPrice"))
    if price is None and last_bar is not None:
        price = last_bar.close if last_bar.close is not None else last_bar.adj_close
    if price is None:
        raise UpstreamError(f"Yahoo Finance sent no price for {chart.symbol}")
    as_of = _as_of(meta, last_bar)
    previous = [bar for bar in bars if bar.date < as_of]
    previous_close: float | None = None
    if previous:
        prior = previous[-1]
        previous_close = prior.close if prior.close is not None else prior.adj_close
    change_pct = round((price / previous_close - 1.0) * 100.0, 4) if previous_close else None
    return Quote(
        symbol=chart.symbol,
        name=meta.get("longName") or meta.get("shortName"),
        exchange=meta.get("fullExchangeName") or meta.get("exchangeName"),
        price=price,
        currency=meta.get("currency"),
        previous_close=previous_close,
        change_pct=change_pct,
        market_cap=None,
        as_of=as_of,
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _as_of(meta: dict[str, Any], last_bar: Bar | None) -> dt.date:
    market_time = meta.get("regularMarketTime")
    if isinstance(market_time, dt.datetime):
        return market_time.date()  # yfinance already converted it to the exchange's time zone
    if last_bar is not None:
        return last_bar.date
    raise UpstreamError("Yahoo Finance sent neither a market time nor a bar")
