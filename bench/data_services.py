"""Data services (krx, dart, yahoo): cold vs warm latency of a typical request, and how many
upstream calls 50 concurrent identical requests make on a fresh cache.

Each service is the real app, in-process behind `httpx.ASGITransport` with its lifespan
running; its upstream (data.krx.co.kr, opendart.fss.or.kr, Yahoo) is the service's own
replay of the real recorded data, registered on one `responses.RequestsMock`, so pykrx,
dart-fss and yfinance run their real HTTP code paths and every upstream request is counted.

Per service:
- cold, first in process: the first request of the first app, paying the one-time costs
  (library imports, KRX login and ticker list, Yahoo cookie/crumb) on top of the data
  call. DART's financials route does not wait for the corp list, so this app starts
  without its preload;
- warm p50/p99 over sequential repeats of the same request (answered from the cache);
- cold, fresh app: the first request of a second app (imports done; KRX logs in and reads
  its ticker list again, as each app has its own session). DART preloads its corp list at
  startup here, as in production, and that one-time load is reported on its own row;
- 50 concurrent identical requests on a third, fresh app: upstream calls for the data
  (target 1: single-flight) and in total, and the wall time of the burst.

Between apps, yfinance's process-wide response cache is cleared, so a fresh yahoo app
starts as cold as a fresh process would. DART's parsed corp list is shared per process by
design, so only the first preload parses it.

Standalone: `.venv/bin/python bench/data_services.py` (from the repository root).
"""

import asyncio
import contextlib
import math
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import responses

from finscribe_dart.main import create_app as create_dart_app
from finscribe_krx.main import create_app as create_krx_app
from finscribe_testkit.dart import DartReplayCounter, register_dart_replay
from finscribe_testkit.dart import test_settings as dart_settings
from finscribe_testkit.krx import KrxReplay, register_krx_replay
from finscribe_testkit.krx import test_settings as krx_settings
from finscribe_testkit.krx.replay import STOCK_BLD
from finscribe_testkit.yahoo import YahooCallCounter, register_yahoo_replay
from finscribe_testkit.yahoo import test_settings as yahoo_settings
from finscribe_yahoo.main import create_app as create_yahoo_app
from finscribe_yahoo.upstream import clear_library_cache

BENCHMARK = "data_services"
WARM_ROUNDS = 200
CONCURRENT = 50
DART_FINANCIALS_PATH = "/api/fnlttSinglAcntAll.json"
PRELOAD_DEADLINE_S = 30.0


@dataclass
class Counters:
    krx: KrxReplay
    dart: DartReplayCounter
    yahoo: YahooCallCounter


@dataclass(frozen=True)
class Service:
    name: str
    path: str
    params: dict[str, str]
    make_app: Callable[[Path, bool], Any]  # (data dir, preload at startup) -> app
    data_calls: Callable[[Counters], int]  # upstream requests for the data itself
    breakdown: Callable[[Counters], Counter[str]]  # every upstream request so far, by kind
    data_kind: str  # what `data_calls` counts, for the printed table
    # drops process-wide state a new process would not have, so a fresh app starts cold
    forget_process_state: Callable[[], None] = lambda: None


def _krx_app(data_dir: Path, _preload: bool) -> Any:
    return create_krx_app(krx_settings(data_dir=data_dir))


def _dart_app(data_dir: Path, preload: bool) -> Any:
    return create_dart_app(dart_settings(data_dir=data_dir, dart_preload_corp_codes=preload))


def _yahoo_app(data_dir: Path, _preload: bool) -> Any:
    return create_yahoo_app(yahoo_settings(data_dir=data_dir, log_level="WARNING"))


def _krx_breakdown(c: Counters) -> Counter[str]:
    # pykrx's login is three requests (page, login.jsp, form post); data calls by KRX screen
    return Counter(call.bld.rsplit("/", 1)[-1] if call.bld else "login" for call in c.krx.calls)


SERVICES = [
    Service(
        "krx",
        "/v1/stocks/005930/ohlcv",
        {"start": "2024-01-02", "end": "2024-12-30"},
        _krx_app,
        lambda c: len(c.krx.calls_for(STOCK_BLD)),
        _krx_breakdown,
        "MDCSTAT01701 data calls",
    ),
    Service(
        "dart",
        "/v1/corps/00126380/financials",
        {"year": "2024", "report": "h1", "fs": "consolidated"},
        _dart_app,
        lambda c: c.dart.by_path[DART_FINANCIALS_PATH],
        lambda c: Counter({path.rsplit("/", 1)[-1]: n for path, n in c.dart.by_path.items()}),
        "fnlttSinglAcntAll calls",
    ),
    Service(
        "yahoo",
        "/v1/history/005930.KS",
        {"start": "2024-01-02", "end": "2024-12-30"},
        _yahoo_app,
        lambda c: c.yahoo.by_kind["chart"],
        lambda c: c.yahoo.by_kind,
        "chart calls",
        # yfinance keeps an lru_cache of whole HTTP responses for past ranges per process
        clear_library_cache,
    ),
]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def _row(metric: str, value: float, unit: str, target: str = "") -> dict[str, Any]:
    return {"benchmark": BENCHMARK, "metric": metric, "value": value, "unit": unit, "target": target}


@contextlib.asynccontextmanager
async def _client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    token = app.state.settings.internal_token.get_secret_value()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"X-Internal-Token": token}
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as http:
            yield http


async def _timed_get(http: httpx.AsyncClient, svc: Service) -> float:
    started = time.perf_counter()
    response = await http.get(svc.path, params=svc.params)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{svc.name} {svc.path}: {response.status_code} {response.text[:300]}")
    return elapsed


async def _check_answer(http: httpx.AsyncClient, svc: Service) -> None:
    """The timed requests measured real answers: data from the replay, with its source."""
    body = (await http.get(svc.path, params=svc.params)).json()
    data = body.get("data")
    items = data.get("items") if isinstance(data, dict) else data
    if not items or not body.get("source"):
        raise RuntimeError(f"{svc.name} {svc.path}: no data or no source in {str(body)[:300]}")


async def _wait_dart_preload(app: Any) -> float:
    """Seconds from app startup until the preloaded corp list is in memory.

    `get()` waits on the store's lock, which the startup preload holds while it loads, so
    this joins that one load instead of starting a second one.
    """
    started = time.perf_counter()
    async with asyncio.timeout(PRELOAD_DEADLINE_S):
        await app.state.service.corps.get()
    return time.perf_counter() - started


def _since(svc: Service, counters: Counters, before: Counter[str]) -> tuple[int, str]:
    """Upstream requests made since `before`: how many, and which (e.g. "login 1, chart 1")."""
    delta = svc.breakdown(counters) - before
    return delta.total(), ", ".join(f"{kind} {n}" for kind, n in sorted(delta.items()))


async def _measure(svc: Service, counters: Counters, workdir: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    name = svc.name

    # 1. first app in the process: everything one-time is paid by its first request
    svc.forget_process_state()
    app = svc.make_app(workdir / f"{name}-1", False)
    async with _client(app) as http:
        before = svc.breakdown(counters)
        first = await _timed_get(http, svc)
        first_calls, first_kinds = _since(svc, counters, before)
        before = svc.breakdown(counters)
        warm = [await _timed_get(http, svc) for _ in range(WARM_ROUNDS)]
        warm_calls, _ = _since(svc, counters, before)
        await _check_answer(http, svc)
    rows.append(_row(f"{name} cold, first request in process (imports + one-time setup + data)", _ms(first), "ms"))
    rows.append(_row(f"{name} cold, first request in process: upstream calls ({first_kinds})", first_calls, "calls"))
    rows.append(_row(f"{name} warm p50 ({WARM_ROUNDS} sequential repeats)", _ms(statistics.median(warm)), "ms"))
    rows.append(_row(f"{name} warm p99 ({WARM_ROUNDS} sequential repeats)", _ms(_percentile(warm, 99)), "ms"))
    rows.append(_row(f"{name} warm: upstream calls in {WARM_ROUNDS} repeats", warm_calls, "calls", "0"))

    # 2. a second, fresh app: a cold request once the libraries are loaded
    svc.forget_process_state()
    app = svc.make_app(workdir / f"{name}-2", True)
    async with _client(app) as http:
        if name == "dart":
            before = svc.breakdown(counters)
            startup = await _wait_dart_preload(app)
            _, startup_kinds = _since(svc, counters, before)
            metric = f"dart startup: corp list preload, download + parse ({startup_kinds})"
            rows.append(_row(metric, _ms(startup), "ms"))
        before = svc.breakdown(counters)
        cold = await _timed_get(http, svc)
        cold_calls, cold_kinds = _since(svc, counters, before)
    label = "corp list preloaded" if name == "dart" else "libraries loaded"
    rows.append(_row(f"{name} cold, fresh app ({label})", _ms(cold), "ms"))
    rows.append(_row(f"{name} cold, fresh app: upstream calls ({cold_kinds})", cold_calls, "calls"))

    # 3. a third, fresh app: 50 identical requests at once on an empty cache
    svc.forget_process_state()
    app = svc.make_app(workdir / f"{name}-3", True)
    async with _client(app) as http:
        if name == "dart":
            await _wait_dart_preload(app)
        data_before, before = svc.data_calls(counters), svc.breakdown(counters)
        started = time.perf_counter()
        await asyncio.gather(*(_timed_get(http, svc) for _ in range(CONCURRENT)))
        burst = time.perf_counter() - started
        data_calls = svc.data_calls(counters) - data_before
        total_calls, kinds = _since(svc, counters, before)
    burst_label = f"{name} {CONCURRENT} concurrent identical, fresh cache"
    rows.append(_row(f"{burst_label}: upstream data calls ({svc.data_kind})", data_calls, "calls", "1 upstream call"))
    rows.append(_row(f"{burst_label}: all upstream calls ({kinds})", total_calls, "calls"))
    rows.append(_row(f"{burst_label}: wall time", _ms(burst), "ms"))
    return rows


async def _run_all() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(prefix="finscribe-bench-data-") as tmp,
        responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
    ):
        counters = Counters(register_krx_replay(rsps), register_dart_replay(rsps), register_yahoo_replay(rsps))
        for svc in SERVICES:
            rows.extend(await _measure(svc, counters, Path(tmp)))
    return rows


def run() -> list[dict[str, Any]]:
    return asyncio.run(_run_all())


def _print_table(rows: list[dict[str, Any]]) -> None:
    width = max(len(r["metric"]) for r in rows)
    print(f"{'metric':<{width}}  {'value':>10}  unit   target")
    print("-" * (width + 30))
    for row in rows:
        value = row["value"]
        shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
        print(f"{row['metric']:<{width}}  {shown:>10}  {row['unit']:<5}  {row['target']}")


if __name__ == "__main__":
    started = time.perf_counter()
    results = run()
    _print_table(results)
    print(f"\n(took {time.perf_counter() - started:.1f} s)")
