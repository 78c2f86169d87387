"""One replica against three: upstream calls and quota spent for the same workload, and
what a Redis round trip adds to a warm cached request, measured in one run.

- Replicas: the real dart app (three instances in this process, each with its own
  caches, quota and throttle, reached through httpx's ASGI transport), as three pods.
- Open DART: its recorded replay (`finscribe_testkit.dart.fake_upstream_app`, built
  from fixtures/real) over real HTTP on loopback, answering in 0.2 s like a remote API;
  its counter is the truth about calls that reached DART (and so spent the key's quota).
- Redis: the machine's at 127.0.0.1:6379, else a private `redis-server`.

Workload: 50 identical concurrent requests for one statement plus 8 for other years,
spread round-robin over the replicas. Three setups: one replica; three without REDIS_URL
(today's per-pod state); three with REDIS_URL. Target: one DART call for the 50
identical requests over three replicas, and each pod's quota counter equal to what the
key really spent.

Latency: the same warm request, 500 times in turn, on a replica without Redis, on one with
Redis that already holds the entry (a copy kept until the Redis entry expires), and on
one with Redis whose copy is dropped before each request, so the entry is read from
Redis and decoded (a pod warm in Redis but new to the entry). The p50 differences are
what Redis adds. Target on loopback: under 1 ms.

Standalone: `.venv/bin/python bench/replicas.py` (from the repository root).
"""

import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx

from finscribe_common import upstream_override
from finscribe_common.shared_state import SharedState
from finscribe_dart.main import create_app
from finscribe_testkit import dart as dart_testing
from finscribe_testkit.common.redis import redis_server, test_prefix
from finscribe_testkit.common.server import serve_in_thread

FIN = "/api/fnlttSinglAcntAll.json"
PATH = "/v1/corps/00126380/financials"
SAME = {"year": 2024, "report": "h1", "fs": "consolidated"}
OTHERS = [{"year": y, "report": "annual", "fs": "separate"} for y in range(2016, 2024)]
WARM_ROUNDS = 500
TOKEN = "bench-internal-token"  # a throwaway token for in-process apps


@contextlib.asynccontextmanager
async def _replicas(count: int, redis_url: str | None, prefix: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    async with contextlib.AsyncExitStack() as stack:
        clients = []
        for _ in range(count):
            settings = dart_testing.test_settings(
                data_dir=Path(tempfile.mkdtemp(prefix="finscribe-bench-dart-")),
                internal_token=TOKEN,
                redis_url=redis_url,
                redis_prefix=prefix,
            )
            app = create_app(settings)
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://dart", headers={"X-Internal-Token": TOKEN}
            )
            await stack.enter_async_context(client)
            clients.append(client)
        yield clients


async def _workload(clients: list[httpx.AsyncClient]) -> None:
    requests = [SAME] * 50 + OTHERS
    answers = await asyncio.gather(
        *(clients[i % len(clients)].get(PATH, params=params) for i, params in enumerate(requests))
    )
    # the replay holds the 2024 half-year statement; other years answer 404 (DART status 013), also cached
    assert {a.status_code for a in answers[:50]} == {200}, [a.status_code for a in answers[:50]]
    assert {a.status_code for a in answers[50:]} <= {200, 404}


def _same_calls(counter: Any) -> int:
    """DART calls for the statement the 50 identical requests ask for (2024 half-year)."""
    return sum(1 for path, q in counter.queries if path == FIN and q.get("bsns_year") == "2024")


async def _setup(name: str, count: int, redis_url: str | None, counter: Any) -> list[dict[str, Any]]:
    prefix = test_prefix()
    before_same, before_all = _same_calls(counter), counter.calls
    async with _replicas(count, redis_url, prefix) as clients:
        await _workload(clients)
        statuses = [(await c.get("/v1/status")).json() for c in clients]
    same_calls = _same_calls(counter) - before_same
    await _cleanup(redis_url, prefix)
    spent = counter.calls - before_all
    pods = [s["quota"]["used"] for s in statuses]
    target = "1 (50 identical requests)" if count > 1 else ""
    return [
        {"benchmark": "replicas", "metric": f"{name}: DART calls for the workload", "value": spent, "unit": "calls"},
        {
            "benchmark": "replicas",
            "metric": f"{name}: DART calls for the 50 identical requests",
            "value": same_calls,
            "unit": "calls",
            "target": target,
        },
        {
            "benchmark": "replicas",
            "metric": f"{name}: quota the key spent / the most any pod counted",
            "value": f"{spent} / {max(pods)}",
            "unit": "calls",
            "target": "equal" if count > 1 else "",
        },
    ]


async def _cleanup(redis_url: str | None, prefix: str) -> None:
    if redis_url is None:
        return
    state = SharedState(redis_url, prefix=prefix)
    assert state.client is not None
    keys = [k async for k in state.client.scan_iter(match=f"{prefix}:*")]
    if keys:
        await state.client.delete(*keys)
    await state.aclose()


async def _timed(client: httpx.AsyncClient, forget: bool = False) -> float:
    if forget:
        # this pod has not seen the entry: it must come from Redis (another pod loaded it)
        client._transport.app.state.service.financials_cache.clear()  # type: ignore[attr-defined]
    started = time.perf_counter()
    response = await client.get(PATH, params=SAME)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed * 1000


def _row(metric: str, value: float, target: str = "") -> dict[str, Any]:
    return {"benchmark": "replicas", "metric": metric, "value": value, "unit": "ms", "target": target}


async def _latency(redis_url: str) -> list[dict[str, Any]]:
    prefix = test_prefix()
    async with _replicas(1, None, prefix) as (local,), _replicas(1, redis_url, prefix) as (shared,):
        await _timed(local)  # warm both
        await _timed(shared)
        times: dict[str, list[float]] = {"local": [], "shared": [], "from_redis": []}
        for _ in range(WARM_ROUNDS):  # in turn: load from elsewhere on the machine hits all alike
            times["local"].append(await _timed(local))
            times["shared"].append(await _timed(shared))
            times["from_redis"].append(await _timed(shared, forget=True))
        state = SharedState(redis_url, prefix=prefix)
        assert state.client is not None
        rtt = []
        for _ in range(WARM_ROUNDS):
            started = time.perf_counter()
            await state.client.get(f"{prefix}:probe")
            rtt.append(time.perf_counter() - started)
        await state.aclose()
    await _cleanup(redis_url, prefix)
    p50 = {name: statistics.median(values) for name, values in times.items()}
    return [
        _row("warm request p50, no Redis (entry in the pod)", p50["local"]),
        _row("warm request p50, Redis (entry in the pod)", p50["shared"]),
        _row("added by Redis when the pod holds the entry", p50["shared"] - p50["local"], "< 1"),
        _row("warm request p50, entry only in Redis (read + decode)", p50["from_redis"]),
        _row("added by the Redis round trip (entry only in Redis)", p50["from_redis"] - p50["local"], "< 1"),
        _row("one Redis GET p50 (redis-py asyncio, loopback)", statistics.median(rtt) * 1000),
    ]


@contextlib.contextmanager
def _dart_upstream() -> Iterator[Any]:
    app = dart_testing.fake_upstream_app(delay=0.2)
    with serve_in_thread(app) as url:
        upstream_override.install({"opendart.fss.or.kr": url})
        try:
            yield app.state.counter
        finally:
            upstream_override.install({})


async def _run_all(redis_url: str, counter: Any) -> list[dict[str, Any]]:
    rows = await _setup("1 replica", 1, None, counter)
    rows += await _setup("3 replicas, no Redis", 3, None, counter)
    rows += await _setup("3 replicas, Redis", 3, redis_url, counter)
    rows += await _latency(redis_url)
    return rows


def run() -> list[dict[str, Any]]:
    with redis_server() as redis_url, _dart_upstream() as counter:
        return asyncio.run(_run_all(redis_url, counter))


if __name__ == "__main__":
    started = time.perf_counter()
    results = run()
    width = max(len(r["metric"]) for r in results)
    for row in results:
        value = row["value"]
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        print(f"{row['metric']:<{width}}  {shown:>10}  {row['unit']:<5}  {row.get('target', '')}")
    print(f"\n(took {time.perf_counter() - started:.1f} s)", file=sys.stderr)
