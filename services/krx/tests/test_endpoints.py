"""Every route, in-process, against the KRX replay built from real recorded data."""

import csv
from decimal import ROUND_HALF_UP, Decimal

import httpx
import pytest

from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.krx import KrxReplay
from finscribe_testkit.krx.replay import FUNDAMENTAL_BLD, INDEX_BLD, STOCK_BLD


def recorded_closes_2024() -> dict[str, int]:
    with fixture_path("yahoo_005930.KS_close_2024.csv").open(newline="") as handle:
        return {
            row["Date"]: int(Decimal(row["005930"]).quantize(Decimal(1), ROUND_HALF_UP))
            for row in csv.DictReader(handle)
        }


async def test_resolve_returns_ranked_matches_with_source(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v1/tickers/resolve", params={"q": "삼성전저"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["data"][0] == {
        "ticker": "005930",
        "name": "삼성전자",
        "market": "KOSPI",
        "score": body["data"][0]["score"],
        "isin": "KR7005930003",
        "matched": "fuzzy",
    }
    assert body["source"]["provider"] == "KRX"
    assert "finder_stkisu" in body["source"]["dataset"]
    assert body["source"]["url"].startswith("http://data.krx.co.kr/")


async def test_resolve_kosdaq_market(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/tickers/resolve", params={"q": "에코프로비엠"})).json()
    assert body["data"][0]["ticker"] == "247540"
    assert body["data"][0]["market"] == "KOSDAQ"


@pytest.mark.parametrize(("q", "ticker"), [("005930", "005930"), ("삼전", "005930"), ("하이닉스", "000660")])
async def test_resolve_code_and_alias(client: httpx.AsyncClient, q: str, ticker: str) -> None:
    body = (await client.get("/v1/tickers/resolve", params={"q": q})).json()
    assert body["data"][0]["ticker"] == ticker


async def test_resolve_validation(client: httpx.AsyncClient) -> None:
    missing = await client.get("/v1/tickers/resolve")
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "validation_error"
    blank = await client.get("/v1/tickers/resolve", params={"q": "   "})
    assert blank.status_code == 400
    assert blank.json()["error"]["code"] == "invalid_query"
    none = await client.get("/v1/tickers/resolve", params={"q": "xyzzy"})
    assert none.status_code == 200 and none.json()["data"] == []


async def test_ohlcv_carries_every_real_field(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v1/stocks/005930/ohlcv", params={"start": "2021-01-11", "end": "2021-01-15"})
    assert resp.status_code == 200
    body = resp.json()
    assert [row["date"] for row in body["data"]] == [f"2021-01-{d}" for d in range(11, 16)]
    assert body["data"][-1] == {
        "date": "2021-01-15",
        "open": 89800,
        "high": 91800,
        "low": 88000,
        "close": 88000,
        "volume": 33431809,
        "value": 2975231937664,
        "change_pct": -1.9,
    }
    assert body["source"]["as_of"] == "2021-01-15"
    assert "MDCSTAT01701" in body["source"]["dataset"]


async def test_ohlcv_2024_closes_are_the_recorded_ones(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v1/stocks/005930/ohlcv", params={"start": "2024-01-01", "end": "2024-12-31"})
    assert resp.status_code == 200
    rows = resp.json()["data"]
    assert {row["date"]: row["close"] for row in rows} == recorded_closes_2024()
    assert rows[-1]["close"] == 53200
    assert resp.json()["source"]["as_of"] == "2024-12-30"


async def test_ohlcv_monthly_and_yearly(client: httpx.AsyncClient) -> None:
    closes = recorded_closes_2024()
    monthly = (
        await client.get("/v1/stocks/005930/ohlcv", params={"start": "2024-01-01", "end": "2024-12-31", "freq": "m"})
    ).json()["data"]
    assert len(monthly) == 12
    for row in monthly:
        month = row["date"][:7]
        days = sorted(d for d in closes if d.startswith(month))
        assert row["date"] == days[-1]  # labelled with the last trading day
        assert row["close"] == closes[days[-1]]
        assert row["open"] == closes[days[0]]
        assert row["high"] == max(closes[d] for d in days)
    assert monthly[0]["change_pct"] is None
    expected = round((monthly[1]["close"] / monthly[0]["close"] - 1) * 100, 2)
    assert monthly[1]["change_pct"] == pytest.approx(expected, abs=0.01)
    yearly = (
        await client.get("/v1/stocks/005930/ohlcv", params={"start": "2024-01-01", "end": "2024-12-31", "freq": "y"})
    ).json()["data"]
    assert yearly == [
        {
            "date": "2024-12-30",
            "open": closes["2024-01-02"],
            "high": max(closes.values()),
            "low": min(closes.values()),
            "close": 53200,
            "volume": 0,
            "value": 0,
            "change_pct": None,
        }
    ]


async def test_ohlcv_adjusted_flag_reaches_krx(client: httpx.AsyncClient, replay: KrxReplay) -> None:
    await client.get("/v1/stocks/005930/ohlcv", params={"start": "2021-01-11", "end": "2021-01-15"})
    await client.get(
        "/v1/stocks/005930/ohlcv", params={"start": "2021-01-11", "end": "2021-01-15", "adjusted": "false"}
    )
    assert [c.fields["adjStkPrc"] for c in replay.calls_for(STOCK_BLD)] == ["2", "1"]
    assert replay.calls_for(STOCK_BLD)[0].fields["isuCd"] == "KR7005930003"


async def test_market_cap(client: httpx.AsyncClient) -> None:
    body = (
        await client.get("/v1/stocks/005930/market-cap", params={"start": "2021-01-11", "end": "2021-01-15"})
    ).json()
    assert body["data"][-1] == {
        "date": "2021-01-15",
        "market_cap": 525_340_864_400_000,
        "shares": 5_969_782_550,
        "volume": 33_431_809,
        "value": 2_975_231_937_664,
    }
    assert "MKTCAP" in body["source"]["dataset"]


async def test_fundamentals(client: httpx.AsyncClient, replay: KrxReplay) -> None:
    body = (
        await client.get("/v1/stocks/005930/fundamentals", params={"start": "2021-01-04", "end": "2021-01-08"})
    ).json()
    assert body["data"][-1] == {
        "date": "2021-01-08",
        "bps": 37528,
        "per": 28.05,
        "pbr": 2.37,
        "eps": 3166,
        "div": 1.59,
        "dps": 1416,
    }
    assert [row["per"] for row in body["data"]] == [26.22, 26.5, 25.96, 26.19, 28.05]
    assert body["source"]["as_of"] == "2021-01-08"
    assert "MDCSTAT03502" in body["source"]["dataset"]
    assert replay.calls_for(FUNDAMENTAL_BLD)[0].fields["isuCd"] == "KR7005930003"


async def test_index_ohlcv(client: httpx.AsyncClient, replay: KrxReplay) -> None:
    body = (await client.get("/v1/indices/1001/ohlcv", params={"start": "2021-01-01", "end": "2021-01-10"})).json()
    assert [row["close"] for row in body["data"]] == [2944.45, 2990.57, 2968.21, 3031.68, 3152.18]
    assert body["data"][-1]["volume"] == 1_297_903_388
    assert body["data"][-1]["value"] == 40_909_490_005_818
    assert body["data"][1]["change_pct"] == pytest.approx(1.57, abs=0.01)
    assert body["source"]["as_of"] == "2021-01-08"
    call = replay.calls_for(INDEX_BLD)[0]
    assert (call.fields["indIdx"], call.fields["indIdx2"]) == ("1", "001")
    params = {"start": "2021-01-01", "end": "2021-01-10", "freq": "y"}
    yearly = (await client.get("/v1/indices/1001/ohlcv", params=params)).json()["data"]
    assert len(yearly) == 1
    assert (yearly[0]["open"], yearly[0]["high"], yearly[0]["close"]) == (2874.5, 3161.11, 3152.18)


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/v1/stocks/12345/ohlcv", {}, 400, "invalid_ticker"),
        ("/v1/stocks/ABCDEF/ohlcv", {}, 400, "invalid_ticker"),
        ("/v1/stocks/999999/ohlcv", {"start": "2024-01-02", "end": "2024-01-05"}, 404, "unknown_ticker"),
        ("/v1/stocks/005930/ohlcv", {"start": "2024-13-01"}, 422, "validation_error"),
        ("/v1/stocks/005930/ohlcv", {"start": "yesterday"}, 422, "validation_error"),
        ("/v1/stocks/005930/ohlcv", {"start": "2024-02-01", "end": "2024-01-01"}, 400, "invalid_range"),
        ("/v1/stocks/005930/ohlcv", {"start": "2000-01-01", "end": "2024-01-01"}, 400, "range_too_long"),
        ("/v1/stocks/005930/ohlcv", {"start": "2099-01-01", "end": "2099-01-02"}, 400, "date_out_of_range"),
        # issue 15, item 5: impossible years are refused at the door, not sent to KRX (was 502)
        ("/v1/stocks/005930/ohlcv", {"start": "0007-01-01", "end": "0007-01-05"}, 400, "date_out_of_range"),
        ("/v1/stocks/005930/market-cap", {"end": "1814-03-01"}, 400, "date_out_of_range"),
        ("/v1/indices/1001/ohlcv", {"end": "0002-01-04"}, 400, "date_out_of_range"),
        ("/v1/stocks/005930/ohlcv", {"end": "0"}, 422, "validation_error"),
        ("/v1/stocks/005930/ohlcv", {"freq": "w"}, 422, "validation_error"),
        ("/v1/stocks/005930/market-cap", {"start": "2024-02-01", "end": "2024-01-01"}, 400, "invalid_range"),
        ("/v1/stocks/005930/fundamentals", {"start": "2000-01-01", "end": "2024-01-01"}, 400, "range_too_long"),
        ("/v1/indices/10/ohlcv", {}, 400, "invalid_index"),
        ("/v1/indices/KOSPI/ohlcv", {}, 400, "invalid_index"),
    ],
)
async def test_bad_input_is_a_clear_error(
    client: httpx.AsyncClient, replay: KrxReplay, path: str, params: dict[str, str], status: int, code: str
) -> None:
    resp = await client.get(path, params=params)
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert error["code"] == code
    assert error["message"] and error["request_id"]
    assert not replay.calls_for(STOCK_BLD)  # nothing reached KRX's data endpoint


async def test_range_messages_say_what_is_wrong(client: httpx.AsyncClient) -> None:
    backwards = await client.get("/v1/stocks/005930/ohlcv", params={"start": "2024-02-01", "end": "2024-01-01"})
    assert backwards.json()["error"]["message"] == "end (2024-01-01) is before start (2024-02-01)"
    too_long = await client.get("/v1/stocks/005930/ohlcv", params={"start": "2000-01-01", "end": "2024-01-01"})
    assert "maximum is 3660 days" in too_long.json()["error"]["message"]
