"""The service as a real process (`finscribe serve yahoo`) against the replay over HTTP."""

import datetime as dt
import os
import sys
from pathlib import Path

import httpx
import pytest

from finscribe_testkit.common.server import background_process, free_port, serve_in_thread
from finscribe_testkit.yahoo import YahooCallCounter, fake_upstream_app, overrides_for, recorded_closes

pytestmark = pytest.mark.fullstack

TOKEN = "process-test-token"


def test_served_process_reads_the_replay_through_upstream_overrides(tmp_path: Path) -> None:
    counter = YahooCallCounter()
    with serve_in_thread(fake_upstream_app(counter=counter)) as fake_url:
        port = free_port()
        env = {
            **os.environ,
            "FINSCRIBE_UPSTREAM_OVERRIDES": overrides_for(fake_url),
            "FINSCRIBE_INTERNAL_TOKEN": TOKEN,
            "FINSCRIBE_DATA_DIR": str(tmp_path),
            "YAHOO_MIN_INTERVAL_S": "0",
        }
        args = [sys.executable, "-m", "finscribe_common.cli", "serve", "yahoo", "--port", str(port)]
        base_url = f"http://127.0.0.1:{port}"
        with background_process(args, f"{base_url}/healthz", env, tmp_path, timeout=30):
            headers = {"X-Internal-Token": TOKEN}
            quote = httpx.get(f"{base_url}/v1/quotes/005930", headers=headers, timeout=30)
            history = httpx.get(
                f"{base_url}/v1/history/TSLA", params={"start": "2024-12-23", "end": "2024-12-31"}, headers=headers
            )
    assert quote.status_code == 200, quote.text
    assert quote.json()["data"]["price"] == recorded_closes("005930.KS")[dt.date(2024, 12, 30)]
    assert history.status_code == 200, history.text
    tsla = recorded_closes("TSLA")
    assert [bar["adj_close"] for bar in history.json()["data"]] == [
        tsla[d] for d in sorted(tsla) if d >= dt.date(2024, 12, 23)
    ]
    assert counter.by_kind["chart"] == 2
