"""The krx demo replay: what it says it holds is what the recordings hold, and it serves it."""

import csv
import datetime as dt

import httpx

from finscribe_krx import datasets
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.krx.demo import demo_replay, recorded_holdings


def yahoo_days() -> list[dt.date]:
    with fixture_path("yahoo_005930.KS_close_2024.csv").open(encoding="utf-8") as handle:
        return sorted(dt.date.fromisoformat(row[0]) for row in list(csv.reader(handle))[1:])


def test_holdings_are_samsungs_recorded_spans_and_kospi():
    held = {(h.kind, h.code, h.first, h.last) for h in recorded_holdings()}
    days = yahoo_days()  # the 2024 closes are the recorded Yahoo series (payloads docstring)
    assert ("prices", "005930", days[0], days[-1]) in held
    # the real 2021-01-11..15 rows printed in pykrx's source, and KOSPI 2021-01-04..08
    assert ("prices", "005930", dt.date(2021, 1, 11), dt.date(2021, 1, 15)) in held
    assert ("index", "1001", dt.date(2021, 1, 4), dt.date(2021, 1, 8)) in held
    assert len(held) == 3


def test_the_environment_points_pykrx_at_the_served_replay_with_its_login():
    replay = demo_replay()
    with serve_in_thread(replay.app) as base_url:
        env = replay.environment(base_url)
        assert env["FINSCRIBE_UPSTREAM_OVERRIDES"] == f"data.krx.co.kr={base_url}"
        login = httpx.post(
            f"{base_url}/contents/MDC/COMS/client/MDCCOMS001D1.cmd",
            data={"mbrId": env["KRX_ID"], "pw": env["KRX_PW"]},
        )
        assert login.json()["_error_code"] == "CD001"
    assert env["KRX_MIN_INTERVAL_S"] == "0"


def test_the_2024_series_is_listed_and_cited_as_the_yahoo_closes_it_is():
    days = yahoo_days()
    sources = {(h.first, h.last): h.source for h in recorded_holdings() if h.code == "005930"}
    assert sources == {(days[0], days[-1]): "Yahoo Finance", (dt.date(2021, 1, 11), dt.date(2021, 1, 15)): "KRX"}
    recordings = demo_replay().recordings
    krx_2024 = {"provider": "KRX", "dataset": datasets.STOCK_OHLCV.name, "as_of": days[-1].isoformat()}
    matched = [r for r in recordings if r.matches(krx_2024)]
    assert len(matched) == 1 and matched[0].shown_as == "Yahoo Finance" and "수정 종가" in matched[0].note
    cap = [r for r in recordings if r.matches({**krx_2024, "dataset": datasets.MARKET_CAP.name})]
    assert cap and cap[0].shown_as == "Yahoo Finance" and "상장주식수" in cap[0].note
    krx_2021 = {**krx_2024, "as_of": "2021-01-15"}
    assert [r.shown_as for r in recordings if r.matches(krx_2021)] == [None]  # real KRX rows stay KRX
