"""Caching, single-flight and TTL choice of the service."""

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import httpx
import pytest

from finscribe_common.errors import NotFound
from finscribe_testkit.yahoo import YahooCallCounter, test_settings
from finscribe_yahoo.service import YahooService

RANGE = {"start": "2024-06-03", "end": "2024-06-28"}


async def test_fifty_concurrent_identical_requests_make_one_upstream_call(
    client: httpx.AsyncClient, counter: YahooCallCounter, service: YahooService
) -> None:
    responses_ = await asyncio.gather(*(client.get("/v1/history/005930", params=RANGE) for _ in range(50)))
    assert {r.status_code for r in responses_} == {200}
    assert len({r.text.split('"retrieved_at"')[0] for r in responses_}) == 1  # the same data for all
    assert counter.by_kind["chart"] == 1
    assert service.history_cache.stats.loads == 1
    assert service.history_cache.stats.shared_waits + service.history_cache.stats.hits == 49


async def test_fifty_concurrent_quotes_make_one_upstream_call(
    client: httpx.AsyncClient, counter: YahooCallCounter
) -> None:
    responses_ = await asyncio.gather(*(client.get("/v1/quotes/%5EIXIC") for _ in range(50)))
    assert {r.status_code for r in responses_} == {200}
    assert counter.by_kind["chart"] == 1


async def test_cache_hit_needs_no_upstream_call(
    client: httpx.AsyncClient, counter: YahooCallCounter, service: YahooService
) -> None:
    first = await client.get("/v1/history/TSLA", params=RANGE)
    second = await client.get("/v1/history/TSLA", params=RANGE)
    assert first.json()["data"] == second.json()["data"]
    assert counter.by_kind["chart"] == 1
    assert service.history_cache.stats.hits == 1


async def test_failures_are_not_cached(client: httpx.AsyncClient, upstream, counter: YahooCallCounter) -> None:
    from finscribe_testkit.yahoo import handle

    def broken(method, url, params, body):
        if "/v8/finance/chart/" in url:
            return 503, {"Content-Type": "text/plain"}, b"Service Unavailable"
        return handle(method, url, params, body)

    upstream.handler = broken
    assert (await client.get("/v1/quotes/TSLA")).status_code == 502
    upstream.handler = handle
    assert (await client.get("/v1/quotes/TSLA")).status_code == 200


@pytest.mark.parametrize(
    "settings", [test_settings(yahoo_recent_history_ttl_s=0, yahoo_past_history_ttl_s=3600, yahoo_quote_ttl_s=0)]
)
async def test_past_ranges_cached_long_recent_ones_short(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    for _ in range(2):
        assert (await client.get("/v1/history/005930", params=RANGE)).status_code == 200
    assert counter.by_kind["chart"] == 1  # a closed range: cached
    today = dt.datetime.now(ZoneInfo("Asia/Seoul")).date()  # the exchange's today, as the service reckons it
    recent = {"start": (today - dt.timedelta(days=10)).isoformat(), "end": today.isoformat()}
    for _ in range(2):
        assert (await client.get("/v1/history/005930", params=recent)).status_code == 200
    assert counter.by_kind["chart"] == 3  # a range reaching today: recent TTL (0 here) -> fetched again
    for _ in range(2):
        assert (await client.get("/v1/quotes/005930")).status_code == 200
    assert counter.by_kind["chart"] == 5  # quotes: YAHOO_QUOTE_TTL_S (0 here)


async def test_timezone_learned_once_for_symbols_without_a_known_market(
    client: httpx.AsyncClient, service: YahooService, counter: YahooCallCounter
) -> None:
    # 005930.KS/TSLA need no lookup; a symbol with an unknown suffix costs one recent-chart call,
    # after which its quote is served from the same cached chart
    assert await service.timezone("005930.KS") == "Asia/Seoul"
    assert await service.timezone("TSLA") == "America/New_York"
    assert counter.total == 0
    with pytest.raises(NotFound, match="No data found"):
        await service.timezone("7203.T")  # not recorded: Yahoo's 404 surfaces as not_found


@pytest.mark.parametrize("settings", [test_settings(yahoo_min_interval_s=0.25)])
async def test_minimum_gap_between_upstream_calls(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    import time

    started = time.perf_counter()
    results = await asyncio.gather(
        client.get("/v1/quotes/TSLA"), client.get("/v1/quotes/AAPL"), client.get("/v1/quotes/NVDA")
    )
    elapsed = time.perf_counter() - started
    assert [r.status_code for r in results] == [200, 200, 200]
    assert counter.by_kind["chart"] == 3
    assert elapsed >= 0.5  # three calls, at least two gaps of YAHOO_MIN_INTERVAL_S


@pytest.mark.parametrize("settings", [test_settings(yahoo_past_history_ttl_s=0, yahoo_search_ttl_s=0)])
async def test_expired_entries_are_fetched_again_not_served_by_yfinance(
    client: httpx.AsyncClient, counter: YahooCallCounter
) -> None:
    # yfinance keeps its own process-wide lru_cache of responses for past ranges and searches;
    # our TTL must decide when data is refetched, so an expired entry really goes upstream
    for _ in range(2):
        assert (await client.get("/v1/history/005930", params=RANGE)).status_code == 200
        assert (await client.get("/v1/symbols/resolve", params={"q": "Tesla"})).status_code == 200
    assert counter.by_kind["chart"] == 2
    assert counter.by_kind["search"] == 2
