"""krx service benchmark: cold vs warm latency, single-flight, resolve speed.

Runs the real service in-process (httpx ASGI transport) against the KRX replay served on a
loopback port (pykrx's real HTTP path through FINSCRIBE_UPSTREAM_OVERRIDES' mechanism).
Standalone: `.venv/bin/python services/krx/bench/krx_service.py`; `run()` returns rows
for a combined table.
"""

import asyncio
import re
import statistics
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import httpx

from finscribe_common import upstream_override
from finscribe_krx.main import create_app
from finscribe_krx.resolve import ListedStock, TickerIndex
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.krx import TEST_INTERNAL_TOKEN, KrxReplay, fake_upstream_app, payloads, test_settings
from finscribe_testkit.krx.replay import STOCK_BLD

WARM_ROUNDS = 200
CONCURRENT = 50
OHLCV = ("/v1/stocks/005930/ohlcv", {"start": "2024-01-01", "end": "2024-12-31"})


def _row(metric: str, value: float, unit: str, target: str = "") -> dict[str, Any]:
    return {"benchmark": "krx", "metric": metric, "value": round(value, 3), "unit": unit, "target": target}


async def _service_rows(base: str, replay: KrxReplay) -> list[dict[str, Any]]:
    saved = dict(upstream_override._installed)
    upstream_override.install({"data.krx.co.kr": base})
    rows: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = create_app(test_settings(data_dir=Path(tmp)))
            transport = httpx.ASGITransport(app=app)
            headers = {"X-Internal-Token": TEST_INTERNAL_TOKEN}
            async with httpx.AsyncClient(transport=transport, base_url="http://krx", headers=headers) as http:
                started = time.perf_counter()
                cold = await http.get(OHLCV[0], params=OHLCV[1])
                cold_ms = (time.perf_counter() - started) * 1000
                assert cold.status_code == 200, cold.text
                warm = []
                for _ in range(WARM_ROUNDS):
                    started = time.perf_counter()
                    await http.get(OHLCV[0], params=OHLCV[1])
                    warm.append((time.perf_counter() - started) * 1000)
                rows.append(_row("ohlcv 2024 cold (login + ticker list + data)", cold_ms, "ms"))
                rows.append(_row("ohlcv 2024 warm median", statistics.median(warm), "ms"))
                rows.append(_row("ohlcv 2024 warm p95", sorted(warm)[int(len(warm) * 0.95) - 1], "ms"))

                before = len(replay.calls_for(STOCK_BLD))
                params = {"start": "2021-01-11", "end": "2021-01-15"}
                started = time.perf_counter()
                answers = await asyncio.gather(*(http.get(OHLCV[0], params=params) for _ in range(CONCURRENT)))
                burst_ms = (time.perf_counter() - started) * 1000
                assert {a.status_code for a in answers} == {200}
                calls = len(replay.calls_for(STOCK_BLD)) - before
                rows.append(_row(f"{CONCURRENT} concurrent identical requests: upstream calls", calls, "calls", "1"))
                rows.append(_row(f"{CONCURRENT} concurrent identical requests: wall time", burst_ms, "ms"))
    finally:
        upstream_override._installed.clear()
        upstream_override._installed.update(saved)
    return rows


def _resolve_rows() -> list[dict[str, Any]]:
    with zipfile.ZipFile(fixture_path("dart_corpCode.zip")) as archive:
        xml = archive.read("CORPCODE.xml").decode("utf-8")
    stocks = []
    for block in re.findall(r"<list>(.*?)</list>", xml, re.S):
        code = re.search(r"<stock_code>\s*([0-9A-Z]{6})\s*</stock_code>", block)
        name = re.search(r"<corp_name>(.*?)</corp_name>", block)
        if code and name:
            stocks.append(ListedStock(code.group(1), name.group(1).strip(), payloads.isin_for(code.group(1)), "KOSPI"))
    index = TickerIndex(stocks)
    queries = ["삼성전저", "삼전", "현대자동차", "셀트리온헬스케어", "카카오", "엘지엔솔", "005930", "sk하이닉스"]
    times = []
    for _ in range(5):
        for query in queries:
            started = time.perf_counter()
            index.search(query)
            times.append((time.perf_counter() - started) * 1000)
    return [
        _row(f"resolve over {len(stocks)} real listed names, median (uncached)", statistics.median(times), "ms"),
        _row(f"resolve over {len(stocks)} real listed names, max (uncached)", max(times), "ms"),
    ]


def run() -> list[dict[str, Any]]:
    replay = KrxReplay()
    with serve_in_thread(fake_upstream_app(replay)) as base:
        rows = asyncio.run(_service_rows(base, replay))
    return rows + _resolve_rows()


if __name__ == "__main__":
    for row in run():
        target = f"  (target {row['target']})" if row["target"] else ""
        print(f"{row['metric']:<62} {row['value']:>10} {row['unit']}{target}")
