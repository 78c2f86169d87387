"""Every route against Yahoo's protocol replayed from the real recordings."""

import datetime as dt
import json
from collections.abc import Callable

import httpx
import pytest

from finscribe_testkit.yahoo import YahooCallCounter, handle, test_settings


def _bars_by_date(body: dict) -> dict[dt.date, dict]:
    return {dt.date.fromisoformat(bar["date"]): bar for bar in body["data"]}


async def test_resolve_krx_code_from_listing_table(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    response = await client.get("/v1/symbols/resolve", params={"q": "005930"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == [
        {
            "symbol": "005930.KS",
            "name": "Samsung Electronics Co., Ltd.",
            "exchange": "KSC",
            "kind": "equity",
            "market": "KOSPI",
            "how": "listing_table",
        }
    ]
    assert body["source"]["provider"] == "Yahoo Finance"
    assert body["source"]["url"] == "https://finance.yahoo.com/quote/005930.KS"
    assert counter.total == 0  # the table needs no upstream call


async def test_resolve_kosdaq_code_from_listing_table(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    response = await client.get("/v1/symbols/resolve", params={"q": "035900"})
    assert response.status_code == 200
    assert response.json()["data"][0]["symbol"] == "035900.KQ"
    assert response.json()["data"][0]["market"] == "KOSDAQ"
    assert counter.total == 0


@pytest.mark.parametrize("settings", [test_settings(yahoo_use_listing_table=False)])
async def test_resolve_krx_code_by_probing_ks_first(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    response = await client.get("/v1/symbols/resolve", params={"q": "005930"})
    assert response.status_code == 200
    match = response.json()["data"][0]
    assert match["symbol"] == "005930.KS"
    assert match["market"] == "KOSPI"
    assert match["how"] == "chart_probe"
    assert match["name"] == "Samsung Electronics Co., Ltd."  # from the chart meta
    assert [url.split("?")[0].rsplit("/", 1)[1] for url in counter.urls("chart")] == ["005930.KS"]
    # the probe is cached, and it warmed the quote: neither needs another call
    again = await client.get("/v1/symbols/resolve", params={"q": "005930"})
    quote = await client.get("/v1/quotes/005930")
    assert again.json()["data"][0]["symbol"] == "005930.KS"
    assert quote.status_code == 200
    assert counter.by_kind["chart"] == 1


@pytest.mark.parametrize("settings", [test_settings(yahoo_use_listing_table=False)])
async def test_resolve_unknown_krx_code_probes_ks_then_kq(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    # 000660 (SK hynix) was not recorded, so the replay answers Yahoo's 404 for both boards
    response = await client.get("/v1/symbols/resolve", params={"q": "000660"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "000660.KS" in response.json()["error"]["message"]
    assert "000660.KQ" in response.json()["error"]["message"]
    probed = [url.split("?")[0].rsplit("/", 1)[1] for url in counter.urls("chart")]
    assert probed[0].startswith("000660.KS")
    assert probed[-1].startswith("000660.KQ")
    # the miss is remembered (for an hour): asking again costs no call
    again = await client.get("/v1/quotes/000660")
    assert again.status_code == 404
    assert len(counter.urls("chart")) == len(probed)


@pytest.mark.parametrize(
    ("query", "symbol", "kind"),
    [
        ("KOSPI", "^KS11", "index"),
        ("코스닥", "^KQ11", "index"),
        ("nasdaq", "^IXIC", "index"),
        ("S&P 500", "^GSPC", "index"),
        ("USDKRW", "KRW=X", "fx"),
        ("eur/krw", "EURKRW=X", "fx"),
        ("005930.ks", "005930.KS", "equity"),
    ],
)
async def test_resolve_rules_without_upstream(
    client: httpx.AsyncClient, counter: YahooCallCounter, query: str, symbol: str, kind: str
) -> None:
    response = await client.get("/v1/symbols/resolve", params={"q": query})
    assert response.status_code == 200
    assert response.json()["data"][0]["symbol"] == symbol
    assert response.json()["data"][0]["kind"] == kind
    assert counter.total == 0


async def test_resolve_name_through_yahoo_search(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    response = await client.get("/v1/symbols/resolve", params={"q": "Tesla"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"][0]["symbol"] == "TSLA"
    assert body["data"][0]["name"] == "Tesla, Inc."
    assert body["data"][0]["how"] == "search"
    assert body["source"]["dataset"] == "search v1"
    assert counter.by_kind["search"] == 1
    search_url = counter.urls("search")[0]
    assert "q=Tesla" in search_url and "newsCount=0" in search_url


async def test_quote_of_krx_code(client: httpx.AsyncClient, samsung_closes: dict[dt.date, float]) -> None:
    response = await client.get("/v1/quotes/005930")
    assert response.status_code == 200
    body = response.json()
    days = sorted(samsung_closes)
    last, prior = samsung_closes[days[-1]], samsung_closes[days[-2]]
    assert body["data"]["symbol"] == "005930.KS"
    assert body["data"]["price"] == last
    assert body["data"]["previous_close"] == prior
    assert body["data"]["change_pct"] == round((last / prior - 1) * 100, 4)
    assert body["data"]["currency"] == "KRW"
    assert body["data"]["as_of"] == days[-1].isoformat() == "2024-12-30"
    assert body["source"] == {
        "provider": "Yahoo Finance",
        "dataset": "chart v8",
        "url": "https://finance.yahoo.com/quote/005930.KS",
        "as_of": "2024-12-30",
        "retrieved_at": body["source"]["retrieved_at"],
    }


async def test_quote_of_us_stock_and_index(
    client: httpx.AsyncClient, us_closes: Callable[[str], dict[dt.date, float]]
) -> None:
    for symbol, column in (("TSLA", "TSLA"), ("^IXIC", "Nasdaq")):
        closes = us_closes(column)
        days = sorted(closes)
        response = await client.get(f"/v1/quotes/{symbol}")
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert data["symbol"] == symbol
        assert data["price"] == closes[days[-1]]
        assert data["previous_close"] == closes[days[-2]]
        assert data["currency"] == "USD"
        assert data["as_of"] == "2024-12-31"


async def test_history_equals_recorded_closes(
    client: httpx.AsyncClient, counter: YahooCallCounter, samsung_closes: dict[dt.date, float]
) -> None:
    response = await client.get("/v1/history/005930", params={"start": "2024-01-01", "end": "2024-12-31"})
    assert response.status_code == 200
    body = response.json()
    bars = _bars_by_date(body)
    assert len(bars) == len(samsung_closes) == 244
    assert {day: bar["adj_close"] for day, bar in bars.items()} == samsung_closes
    first = bars[dt.date(2024, 1, 2)]
    # not recorded -> null, never a made-up figure (yfinance itself would say volume 0)
    assert first == {
        "date": "2024-01-02",
        "open": None,
        "high": None,
        "low": None,
        "close": None,
        "adj_close": samsung_closes[dt.date(2024, 1, 2)],
        "volume": None,
    }
    assert body["source"]["as_of"] == "2024-12-30"
    assert body["source"]["url"] == "https://finance.yahoo.com/quote/005930.KS/history/"
    assert counter.by_kind["chart"] == 1


@pytest.mark.parametrize(("symbol", "column"), [("TSLA", "TSLA"), ("^IXIC", "Nasdaq"), ("LCID", "LCID")])
async def test_us_history_equals_recorded_closes(
    client: httpx.AsyncClient, us_closes: Callable[[str], dict[dt.date, float]], symbol: str, column: str
) -> None:
    response = await client.get(f"/v1/history/{symbol}", params={"start": "2020-01-01", "end": "2024-12-31"})
    assert response.status_code == 200
    bars = _bars_by_date(response.json())
    assert {day: bar["adj_close"] for day, bar in bars.items()} == us_closes(column)


async def test_history_inclusive_end_and_range(client: httpx.AsyncClient, samsung_closes: dict[dt.date, float]) -> None:
    response = await client.get("/v1/history/005930.KS", params={"start": "2024-12-24", "end": "2024-12-27"})
    assert response.status_code == 200
    assert [bar["date"] for bar in response.json()["data"]] == ["2024-12-24", "2024-12-26", "2024-12-27"]
    assert response.json()["data"][-1]["adj_close"] == samsung_closes[dt.date(2024, 12, 27)]


async def test_history_weekly_and_monthly(client: httpx.AsyncClient, samsung_closes: dict[dt.date, float]) -> None:
    weekly = await client.get(
        "/v1/history/005930", params={"start": "2024-12-02", "end": "2024-12-30", "interval": "1wk"}
    )
    assert weekly.status_code == 200
    week_dates = [bar["date"] for bar in weekly.json()["data"]]
    assert week_dates == ["2024-12-02", "2024-12-09", "2024-12-16", "2024-12-23", "2024-12-30"]
    # a week's bar carries the week's last recorded close (2024-12-27 closes the week of the 23rd)
    assert weekly.json()["data"][3]["adj_close"] == samsung_closes[dt.date(2024, 12, 27)]
    monthly = await client.get(
        "/v1/history/005930", params={"start": "2024-01-01", "end": "2024-12-31", "interval": "1mo"}
    )
    assert monthly.status_code == 200
    assert len(monthly.json()["data"]) == 12
    assert monthly.json()["data"][-1]["adj_close"] == samsung_closes[dt.date(2024, 12, 30)]


async def test_weekly_history_from_midweek_keeps_the_first_week(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/v1/history/TSLA", params={"start": "2024-12-04", "end": "2024-12-18", "interval": "1wk"}
    )
    assert response.status_code == 200
    assert [bar["date"] for bar in response.json()["data"]] == ["2024-12-02", "2024-12-09", "2024-12-16"]


async def test_history_without_trading_days_is_empty(client: httpx.AsyncClient) -> None:
    # a weekend, and LCID before its listing: Yahoo knows the symbol but has no bars
    weekend = await client.get("/v1/history/005930", params={"start": "2024-12-28", "end": "2024-12-29"})
    assert weekend.status_code == 200
    assert weekend.json()["data"] == []
    assert weekend.json()["source"]["as_of"] == "2024-12-29"
    before_listing = await client.get("/v1/history/LCID", params={"start": "2020-01-01", "end": "2020-03-31"})
    assert before_listing.status_code == 200
    assert before_listing.json()["data"] == []


async def test_unknown_symbol_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/quotes/NOSUCH.KS")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "No data found" in response.json()["error"]["message"]
    history = await client.get("/v1/history/NOSUCH.KS", params={"start": "2024-01-01", "end": "2024-01-31"})
    assert history.status_code == 404


def _synthetic_fx_chart(symbol: str, rate: float, epoch: int) -> bytes:
    """SYNTHETIC: no FX rate was ever recorded. This payload only exercises the parsing of
    Yahoo's chart shape for a currency; `rate` is whatever the test passes, not a real rate."""
    meta = {
        "currency": "KRW",
        "symbol": symbol,
        "exchangeName": "CCY",
        "fullExchangeName": "CCY",
        "instrumentType": "CURRENCY",
        "regularMarketTime": epoch,
        "exchangeTimezoneName": "Europe/London",
        "timezone": "GMT",
        "gmtoffset": 0,
        "regularMarketPrice": rate,
        "priceHint": 4,
        "dataGranularity": "1d",
        "range": "5d",
        "validRanges": ["1d", "5d"],
    }
    result = {
        "meta": meta,
        "timestamp": [epoch],
        "indicators": {
            "quote": [{"open": [rate], "high": [rate], "low": [rate], "close": [rate], "volume": [0]}],
            "adjclose": [{"adjclose": [rate]}],
        },
    }
    return json.dumps({"chart": {"result": [result], "error": None}}).encode()


async def test_fx_parses_yahoo_currency_chart(client: httpx.AsyncClient, upstream, counter: YahooCallCounter) -> None:
    synthetic_rate = 1111.5  # SYNTHETIC, see _synthetic_fx_chart
    epoch = int(dt.datetime(2024, 12, 30, 12, 0, tzinfo=dt.UTC).timestamp())

    def fx_handler(method: str, url: str, params, body):
        if "/v8/finance/chart/KRW%3DX" in url or "/v8/finance/chart/KRW=X" in url:
            return 200, {"Content-Type": "application/json"}, _synthetic_fx_chart("KRW=X", synthetic_rate, epoch)
        return handle(method, url, params, body)

    upstream.handler = fx_handler
    response = await client.get("/v1/fx/usdkrw")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] == {
        "pair": "USDKRW",
        "base": "USD",
        "quote": "KRW",
        "symbol": "KRW=X",
        "rate": synthetic_rate,
        "as_of": "2024-12-30",
    }
    assert body["source"]["url"] == "https://finance.yahoo.com/quote/KRW%3DX"


async def test_fx_not_recorded_is_404_not_a_made_up_rate(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    response = await client.get("/v1/fx/EUR-KRW")
    assert response.status_code == 404
    assert "EURKRW=X" in counter.urls("chart")[0].replace("%3D", "=")


async def test_internal_token_required(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/quotes/005930", headers={"X-Internal-Token": "wrong"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


async def test_openapi_documents_every_route_with_examples(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    routes = ["/v1/symbols/resolve", "/v1/quotes/{symbol}", "/v1/history/{symbol}", "/v1/fx/{pair}"]
    for path in routes:
        operation = spec["paths"][path]["get"]
        example = operation["responses"]["200"]["content"]["application/json"]["example"]
        assert set(example) == {"data", "source"}
        for status in ("400", "404", "429", "502", "504"):
            assert "example" in operation["responses"][status]["content"]["application/json"]
    assert (await client.get("/docs")).status_code == 200


async def test_status_reports_calls_and_caches(client: httpx.AsyncClient) -> None:
    await client.get("/v1/quotes/TSLA")
    await client.get("/v1/quotes/TSLA")
    status = (await client.get("/v1/status")).json()
    assert status["http_client"] == "requests"
    assert status["upstream_calls"] == 1
    assert status["rate_limited_for_s"] == 0
    assert status["caches"]["recent"]["hits"] == 1


async def test_history_asks_yahoo_for_local_midnights(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    from urllib.parse import parse_qs, urlsplit
    from zoneinfo import ZoneInfo

    await client.get("/v1/history/005930", params={"start": "2024-12-02", "end": "2024-12-06"})
    query = parse_qs(urlsplit(counter.urls("chart")[0]).query)
    seoul = ZoneInfo("Asia/Seoul")
    assert int(query["period1"][0]) == int(dt.datetime(2024, 12, 2, tzinfo=seoul).timestamp())
    # end is inclusive for callers, exclusive for Yahoo: the next local midnight
    assert int(query["period2"][0]) == int(dt.datetime(2024, 12, 7, tzinfo=seoul).timestamp())
    assert query["interval"] == ["1d"]
