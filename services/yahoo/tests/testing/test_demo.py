"""The yahoo demo replay: every recorded symbol with its first and last recorded day."""

import csv
import datetime as dt

import httpx

from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.yahoo.demo import demo_replay, recorded_holdings


def test_holdings_match_the_recorded_csvs():
    held = {h.code: h for h in recorded_holdings()}
    with fixture_path("yahoo_us_close_2020_2024.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = ["^IXIC" if name == "Nasdaq" else name for name in rows[0][1:]]
    assert set(held) == {*header, "005930.KS"}
    tsla = [dt.date.fromisoformat(r[0]) for r in rows[1:] if r[1 + header.index("TSLA")].strip()]
    assert (held["TSLA"].first, held["TSLA"].last) == (tsla[0], tsla[-1])
    rivn = [dt.date.fromisoformat(r[0]) for r in rows[1:] if r[1 + header.index("RIVN")].strip()]
    assert held["RIVN"].first == rivn[0]  # listed 2021-11-10: empty before
    assert held["^IXIC"].kind == "index" and held["005930.KS"].kind == "prices"


def test_the_environment_routes_every_yahoo_host_through_requests():
    replay = demo_replay()
    with serve_in_thread(replay.app) as base_url:
        env = replay.environment(base_url)
        hosts = dict(item.split("=", 1) for item in env["FINSCRIBE_UPSTREAM_OVERRIDES"].split(","))
        assert set(hosts.values()) == {base_url} and "query1.finance.yahoo.com" in hosts
        chart = httpx.get(f"{base_url}/v8/finance/chart/TSLA", params={"range": "5d", "interval": "1d"})
        assert chart.status_code == 200 and chart.json()["chart"]["result"][0]["meta"]["symbol"] == "TSLA"
    assert env["YAHOO_HTTP_CLIENT"] == "requests"  # the override patches requests, not curl_cffi
