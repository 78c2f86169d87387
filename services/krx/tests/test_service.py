"""Chunking, the empty-frame rules, caching, single-flight and the throttle."""

import asyncio
import datetime as dt
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from itertools import pairwise

import httpx
import pytest

from finscribe_krx import calendar
from finscribe_testkit.krx import KrxReplay
from finscribe_testkit.krx.replay import LISTED_BLD, STOCK_BLD

OpenClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]
YEAR_2024 = {"start": "2024-01-01", "end": "2024-12-31"}


def _day(value: str) -> dt.date:
    return dt.datetime.strptime(value, "%Y%m%d").date()


async def test_a_long_range_is_split_into_contiguous_chunks(open_client: OpenClient, replay: KrxReplay) -> None:
    async with open_client(krx_chunk_days=100) as http:
        resp = await http.get("/v1/stocks/005930/ohlcv", params=YEAR_2024)
    assert resp.status_code == 200
    assert len(resp.json()["data"]) == 244
    calls = replay.calls_for(STOCK_BLD)
    spans = [(_day(c.fields["strtDd"]), _day(c.fields["endDd"])) for c in calls]
    assert len(spans) == 4
    assert spans[0][0] == dt.date(2024, 1, 1) and spans[-1][1] == dt.date(2024, 12, 31)
    for (_, end), (start, _) in pairwise(spans):
        assert start == end + dt.timedelta(days=1)
    assert all((end - start).days + 1 <= 100 for start, end in spans)


async def test_default_chunks_are_krx_two_year_limit(open_client: OpenClient, replay: KrxReplay) -> None:
    async with open_client() as http:
        await http.get("/v1/stocks/005930/ohlcv", params={"start": "2019-01-01", "end": "2021-01-15"})
    spans = [(_day(c.fields["strtDd"]), _day(c.fields["endDd"])) for c in replay.calls_for(STOCK_BLD)]
    assert [(e - s).days + 1 for s, e in spans] == [730, 16]


async def test_weekend_and_holiday_range_is_empty_without_asking_krx(
    client: httpx.AsyncClient, replay: KrxReplay
) -> None:
    # Sat 2024-02-10, Sun 02-11, Mon 02-12 (Seollal substitute holiday)
    resp = await client.get("/v1/stocks/005930/ohlcv", params={"start": "2024-02-10", "end": "2024-02-12"})
    assert resp.status_code == 200
    assert resp.json()["data"] == []
    assert resp.json()["source"]["as_of"] == "2024-02-08"
    assert replay.calls_for(STOCK_BLD) == []


async def test_empty_frame_on_trading_days_is_an_upstream_error(client: httpx.AsyncClient) -> None:
    # the replay has no fundamentals for 2024, as KRX would answer for a broken request; its
    # own code tells it from an HTTP error (demo mode calls only this "not recorded")
    resp = await client.get("/v1/stocks/005930/fundamentals", params={"start": "2024-01-02", "end": "2024-01-05"})
    assert resp.status_code == 502
    error = resp.json()["error"]
    assert error["code"] == "upstream_no_rows"
    assert "no rows" in error["message"] and "4 trading days" in error["message"]


async def test_empty_index_mentions_the_code(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v1/indices/1999/ohlcv", params={"start": "2021-01-04", "end": "2021-01-08"})
    assert resp.status_code == 502
    assert "index code" in resp.json()["error"]["message"]


async def test_an_empty_chunk_between_chunks_with_rows_is_an_error(open_client: OpenClient, replay: KrxReplay) -> None:
    # 2021 rows exist, 2022-2023 are empty in the replay, 2024 rows exist: a gap means a failure
    async with open_client(krx_chunk_days=365) as http:
        resp = await http.get("/v1/stocks/005930/ohlcv", params={"start": "2021-01-01", "end": "2024-12-31"})
    assert resp.status_code == 502
    assert "between 2022-01-01 and 2022-12-31" in resp.json()["error"]["message"]


async def test_empty_chunks_before_the_first_rows_mean_not_listed_yet(
    open_client: OpenClient, replay: KrxReplay
) -> None:
    async with open_client(krx_chunk_days=365) as http:
        resp = await http.get("/v1/stocks/005930/ohlcv", params={"start": "2019-01-01", "end": "2021-01-15"})
    assert resp.status_code == 200
    assert resp.json()["data"][0]["date"] == "2021-01-11"


async def test_cache_hit_makes_no_upstream_call(client: httpx.AsyncClient, replay: KrxReplay) -> None:
    first = await client.get("/v1/stocks/005930/ohlcv", params=YEAR_2024)
    before = replay.total
    second = await client.get("/v1/stocks/005930/ohlcv", params=YEAR_2024)
    assert second.json() == first.json()
    assert replay.total == before
    assert len(replay.calls_for(STOCK_BLD)) == 1
    stats = client.app.state.service.series["ohlcv"].stats  # type: ignore[attr-defined]
    assert stats.hits >= 1


async def test_past_ranges_use_the_past_ttl(open_client: OpenClient, replay: KrxReplay) -> None:
    async with open_client(krx_ttl_past_s=0) as http:
        await http.get("/v1/stocks/005930/ohlcv", params=YEAR_2024)
        await http.get("/v1/stocks/005930/ohlcv", params=YEAR_2024)
    assert len(replay.calls_for(STOCK_BLD)) == 2


async def test_ticker_list_is_loaded_once(client: httpx.AsyncClient, replay: KrxReplay) -> None:
    for q in ("삼성전자", "하이닉스", "카카오"):
        assert (await client.get("/v1/tickers/resolve", params={"q": q})).status_code == 200
    await client.get("/v1/stocks/005930/ohlcv", params=YEAR_2024)
    assert replay.by_bld()[LISTED_BLD] == 1
    assert replay.logins == 1


async def test_50_concurrent_identical_requests_make_one_upstream_call(
    client: httpx.AsyncClient, replay: KrxReplay
) -> None:
    answers = await asyncio.gather(*(client.get("/v1/stocks/005930/ohlcv", params=YEAR_2024) for _ in range(50)))
    assert {r.status_code for r in answers} == {200}
    assert len({r.content.split(b'"retrieved_at"')[0] for r in answers}) == 1
    assert len(replay.calls_for(STOCK_BLD)) == 1
    assert replay.by_bld()[LISTED_BLD] == 1
    assert replay.logins == 1


async def test_failures_are_not_cached(client: httpx.AsyncClient, replay: KrxReplay) -> None:
    replay.fail("500", bld=STOCK_BLD)
    assert (await client.get("/v1/stocks/005930/ohlcv", params=YEAR_2024)).status_code == 502
    assert (await client.get("/v1/stocks/005930/ohlcv", params=YEAR_2024)).status_code == 200


async def test_throttle_keeps_a_gap_between_krx_calls(open_client: OpenClient, replay: KrxReplay) -> None:
    async with open_client(krx_chunk_days=100, krx_min_interval_s=0.15) as http:
        assert (await http.get("/v1/stocks/005930/ohlcv", params=YEAR_2024)).status_code == 200
    times = [c.at for c in replay.calls_for(STOCK_BLD)]
    assert len(times) == 4
    gaps = [b - a for a, b in pairwise(times)]
    assert min(gaps) >= 0.14


@pytest.mark.parametrize(
    ("start", "end", "now", "as_of"),
    [
        # Chuseok 2019: Thu 09-12 and Fri 09-13 closed, then the weekend
        ("2019-09-12", "2019-09-15", dt.datetime(2026, 11, 25, 17, 0, tzinfo=calendar.KST), "2019-09-11"),
        # New Year's Day 2027 (Friday) and the weekend, asked on the next Tuesday
        ("2027-01-01", "2027-01-03", dt.datetime(2027, 1, 5, 10, 0, tzinfo=calendar.KST), "2026-12-30"),
    ],
)
async def test_a_closed_days_only_range_is_empty_in_any_year(
    open_client: OpenClient,
    replay: KrxReplay,
    monkeypatch: pytest.MonkeyPatch,
    start: str,
    end: str,
    now: dt.datetime,
    as_of: str,
) -> None:
    monkeypatch.setattr(calendar, "now_kst", lambda: now)
    async with open_client() as http:
        resp = await http.get("/v1/stocks/005930/ohlcv", params={"start": start, "end": end})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == []
    assert resp.json()["source"]["as_of"] == as_of  # the last trading day before the closure
    assert replay.calls_for(STOCK_BLD) == []
