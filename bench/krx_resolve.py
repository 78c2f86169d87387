"""krx ticker resolution: how long the fuzzy resolver (`TickerIndex.search`, behind
`/v1/tickers/resolve`) takes over every real listed name, uncached.

The names are the stock-listed companies of the real DART corp code list
(fixtures/real/dart_corpCode.zip); the queries are typos, nicknames and codes users type.
The service's request latency (cold, warm, single-flight) is measured with dart's and
yahoo's in `data_services.py`; this is the one krx cost that benchmark does not see.
Until issue 16 this lived in services/krx/bench/, which `make bench` never ran.

Standalone: `.venv/bin/python bench/krx_resolve.py`; `run()` returns rows for `run_all.py`.
"""

import statistics
import time
from typing import Any

from finscribe_krx.resolve import TickerIndex
from finscribe_testkit.krx.corp_list import dart_listed_stocks

ROUNDS = 5


def _row(metric: str, value: float, unit: str, target: str = "") -> dict[str, Any]:
    return {"benchmark": "krx", "metric": metric, "value": round(value, 3), "unit": unit, "target": target}


def _resolve_rows() -> list[dict[str, Any]]:
    stocks = dart_listed_stocks()
    index = TickerIndex(stocks)
    queries = ["삼성전저", "삼전", "현대자동차", "셀트리온헬스케어", "카카오", "엘지엔솔", "005930", "sk하이닉스"]
    times = []
    for _ in range(ROUNDS):
        for query in queries:
            started = time.perf_counter()
            index.search(query)
            times.append((time.perf_counter() - started) * 1000)
    return [
        _row(f"resolve over {len(stocks)} real listed names, median (uncached)", statistics.median(times), "ms"),
        _row(f"resolve over {len(stocks)} real listed names, max (uncached)", max(times), "ms"),
    ]


def run() -> list[dict[str, Any]]:
    return _resolve_rows()


if __name__ == "__main__":
    for row in run():
        target = f"  (target {row['target']})" if row["target"] else ""
        print(f"{row['metric']:<62} {row['value']:>10} {row['unit']}{target}")
