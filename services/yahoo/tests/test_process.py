"""The service as a real process (`finscribe serve yahoo`) against the replay over HTTP."""

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from finscribe_testkit.common.server import free_port, serve_in_thread
from finscribe_testkit.yahoo import YahooCallCounter, fake_upstream_app, overrides_for, recorded_closes

pytestmark = pytest.mark.fullstack

TOKEN = "process-test-token"


def _wait_healthy(base_url: str, proc: subprocess.Popen, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"finscribe serve yahoo exited with {proc.returncode}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("finscribe serve yahoo did not become healthy")


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
        proc = subprocess.Popen(
            [sys.executable, "-m", "finscribe_common.cli", "serve", "yahoo", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base_url, proc)
            headers = {"X-Internal-Token": TOKEN}
            quote = httpx.get(f"{base_url}/v1/quotes/005930", headers=headers, timeout=30)
            history = httpx.get(
                f"{base_url}/v1/history/TSLA", params={"start": "2024-12-23", "end": "2024-12-31"}, headers=headers
            )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    assert quote.status_code == 200, quote.text
    assert quote.json()["data"]["price"] == recorded_closes("005930.KS")[dt.date(2024, 12, 30)]
    assert history.status_code == 200, history.text
    tsla = recorded_closes("TSLA")
    assert [bar["adj_close"] for bar in history.json()["data"]] == [
        tsla[d] for d in sorted(tsla) if d >= dt.date(2024, 12, 23)
    ]
    assert counter.by_kind["chart"] == 2
