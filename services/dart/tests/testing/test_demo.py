"""The dart demo replay: it holds exactly the filings its list.json answers with."""

import datetime as dt

import httpx

from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.dart import REPLAY_API_KEY, SAMSUNG_H1_2024_FILING
from finscribe_testkit.dart.demo import demo_replay, recorded_filings, recorded_holdings


def test_holdings_include_the_recorded_samsung_half_year_report():
    samsung = [h for h in recorded_holdings() if h.code == "005930"]
    assert any(
        h.what == "반기보고서 (2024.06)" and h.first == dt.date(2024, 8, 14) and h.name == "삼성전자" for h in samsung
    )
    assert all(h.source == "DART" and h.kind == "filing" for h in recorded_holdings())


def test_holdings_are_every_filing_the_served_replay_lists():
    replay = demo_replay()
    with serve_in_thread(replay.app) as base_url:
        env = replay.environment(base_url)
        assert env["FINSCRIBE_UPSTREAM_OVERRIDES"] == f"opendart.fss.or.kr={base_url}"
        assert env["DART_API_KEY"] == REPLAY_API_KEY
        served = httpx.get(
            f"{base_url}/api/list.json",
            params={"crtfc_key": REPLAY_API_KEY, "bgn_de": "20000101", "end_de": "20991231", "page_count": 100},
        ).json()
    rcepts = {f["rcept_no"] for f in recorded_filings()}
    assert {f["rcept_no"] for f in served["list"]} <= rcepts
    assert SAMSUNG_H1_2024_FILING["rcept_no"] in rcepts
    assert len(recorded_holdings()) == len(rcepts) == served["total_count"]
    assert served["status"] == "000"
