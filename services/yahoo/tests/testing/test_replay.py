"""The replay speaks Yahoo's protocol and carries the recorded values, in-process and over HTTP."""

import asyncio
import datetime as dt
import json
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx
import pytest
import requests
import responses

from finscribe_common import upstream_override
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.yahoo import (
    TEST_INTERNAL_TOKEN,
    YahooCallCounter,
    fake_upstream_app,
    handle,
    overrides_for,
    recorded_closes,
    register_yahoo_replay,
    test_settings,
)
from finscribe_yahoo.main import create_app

CHART = "https://query2.finance.yahoo.com/v8/finance/chart/"


def _epoch(day: dt.date, tz: str) -> int:
    return int(dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz)).timestamp())


def test_chart_shape_and_recorded_values(samsung_closes) -> None:
    params = {
        "period1": _epoch(dt.date(2024, 12, 23), "Asia/Seoul"),
        "period2": _epoch(dt.date(2024, 12, 31), "Asia/Seoul"),
        "interval": "1d",
    }
    status, headers, body = handle("GET", CHART + "005930.KS?" + urlencode(params))
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    chart = json.loads(body)["chart"]
    assert chart["error"] is None
    result = chart["result"][0]
    assert set(result) == {"meta", "timestamp", "indicators"}
    meta = result["meta"]
    assert meta["symbol"] == "005930.KS"
    assert meta["currency"] == "KRW"
    assert meta["exchangeTimezoneName"] == "Asia/Seoul"
    assert meta["regularMarketPrice"] == samsung_closes[dt.date(2024, 12, 30)]
    assert meta["chartPreviousClose"] == samsung_closes[dt.date(2024, 12, 20)]
    days = [dt.datetime.fromtimestamp(ts, ZoneInfo("Asia/Seoul")) for ts in result["timestamp"]]
    assert [d.date() for d in days] == [dt.date(2024, 12, d) for d in (23, 24, 26, 27, 30)]
    assert {d.time() for d in days} == {dt.time(9, 0)}  # Yahoo stamps daily bars at the session open
    assert result["indicators"]["adjclose"][0]["adjclose"] == [samsung_closes[d.date()] for d in days]
    quote = result["indicators"]["quote"][0]
    assert set(quote) == {"open", "high", "low", "close", "volume"}
    assert all(value is None for values in quote.values() for value in values)  # not recorded


def test_chart_range_5d_is_the_last_recorded_days() -> None:
    status, _, body = handle("GET", CHART + "TSLA", {"range": "5d", "interval": "1d"})
    closes = recorded_closes("TSLA")
    result = json.loads(body)["chart"]["result"][0]
    assert status == 200
    assert result["indicators"]["adjclose"][0]["adjclose"] == [closes[d] for d in sorted(closes)[-5:]]


def test_chart_unknown_symbol_is_yahoos_404() -> None:
    status, _, body = handle("GET", CHART + "KRW%3DX", {"range": "5d", "interval": "1d"})
    assert status == 404
    assert json.loads(body) == {
        "chart": {
            "result": None,
            "error": {"code": "Not Found", "description": "No data found, symbol may be delisted"},
        }
    }


def test_chart_without_bars_has_no_timestamp() -> None:
    params = {"period1": _epoch(dt.date(2020, 1, 1), "UTC"), "period2": _epoch(dt.date(2020, 2, 1), "UTC")}
    status, _, body = handle("GET", CHART + "RIVN", {**params, "interval": "1d"})
    result = json.loads(body)["chart"]["result"][0]
    assert status == 200
    assert "timestamp" not in result
    assert result["indicators"] == {"quote": [{}], "adjclose": [{}]}


def test_chart_refuses_intraday() -> None:
    status, _, body = handle("GET", CHART + "TSLA", {"range": "1d", "interval": "5m"})
    assert status == 422
    assert json.loads(body)["chart"]["error"]["code"] == "Unprocessable Entity"


def test_search_and_cookie_and_crumb() -> None:
    status, _, body = handle("GET", "https://query2.finance.yahoo.com/v1/finance/search", {"q": "nasdaq"})
    assert status == 200
    assert [q["symbol"] for q in json.loads(body)["quotes"]] == ["^IXIC"]
    status, headers, _ = handle("GET", "https://fc.yahoo.com/")
    assert "A3=" in headers["Set-Cookie"]
    status, _, body = handle("GET", "https://query1.finance.yahoo.com/v1/test/getcrumb")
    assert (status, body) == (200, b"replayCrumb0")


def test_register_counts_by_kind() -> None:
    with responses.RequestsMock() as rsps:
        counter = register_yahoo_replay(rsps)
        session = requests.Session()
        session.get("https://fc.yahoo.com/")
        session.get("https://query1.finance.yahoo.com/v1/test/getcrumb")
        answer = session.get(CHART + "AAPL", params={"range": "5d", "interval": "1d"})
    assert answer.status_code == 200
    assert answer.json()["chart"]["result"][0]["meta"]["symbol"] == "AAPL"
    assert counter.by_kind == {"cookie": 1, "crumb": 1, "chart": 1}
    assert counter.data_calls == 1
    assert session.cookies.get("A3", domain=".yahoo.com") is not None


async def test_service_as_a_client_of_the_fake_upstream_over_http(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = YahooCallCounter()
    with serve_in_thread(fake_upstream_app(counter=counter)) as base_url:
        monkeypatch.setenv(upstream_override.ENV_VAR, overrides_for(base_url))
        try:
            # curl_cffi asked for, but the override forces requests so the traffic reaches the fake
            app = create_app(test_settings(yahoo_http_client="curl_cffi"))
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://yahoo.test",
                headers={"X-Internal-Token": TEST_INTERNAL_TOKEN},
            ) as client:
                quote, history = await asyncio.gather(
                    client.get("/v1/quotes/005930"),
                    client.get("/v1/history/%5EIXIC", params={"start": "2024-12-23", "end": "2024-12-31"}),
                )
        finally:
            upstream_override.install({})
    assert quote.status_code == 200, quote.text
    assert quote.json()["data"]["price"] == recorded_closes("005930.KS")[dt.date(2024, 12, 30)]
    assert history.status_code == 200, history.text
    nasdaq = recorded_closes("^IXIC")
    assert [bar["adj_close"] for bar in history.json()["data"]] == [
        nasdaq[d] for d in sorted(nasdaq) if dt.date(2024, 12, 23) <= d <= dt.date(2024, 12, 31)
    ]
    assert counter.by_kind["chart"] == 2
