"""Gateway overhead: requests/s and added latency (p50/p99) of an authenticated call relayed
to a trivial upstream, against calling that upstream directly, in one run.

- Upstream: an internal service built with the kit (`finscribe_testkit.gateway.
  trivial_upstream`): internal-token guard, request ids, access log, a small static JSON
  answer at `GET /v1/graphs`.
- Gateway: the real app in `AUTH_MODE=google`, SQLite storage, relaying `GET /v1/graphs`
  to that upstream as its orchestrator. Every request carries a Google ID token (RS256)
  that the gateway verifies in full (signature, alg, iss, aud, exp/iat, email_verified)
  against a JWKS served by `FakeGoogle` on a loopback port (fetched once, then cached).
- Both run under uvicorn as separate processes on loopback ports, as in production, so
  the client, gateway and upstream do not share one interpreter lock.

Latency: direct and gateway calls alternate, one at a time, so load from elsewhere on
the machine hits both alike. Throughput: a fixed number of requests with a fixed number
in flight, direct then through the gateway. Target on a 2-core machine: added p50 < 2 ms.

Standalone: `.venv/bin/python bench/gateway.py` (from the repository root).
"""

import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from finscribe_testkit.common.server import background_process, free_port
from finscribe_testkit.google import FakeGoogle

INTERNAL_TOKEN = "bench-internal-token"  # a throwaway token for loopback processes
ROUNDS = 1000
WARMUP = 100
THROUGHPUT_REQUESTS = 2000
IN_FLIGHT = 8
TARGET_ADDED_P50_MS = 2.0


@contextlib.contextmanager
def servers(workdir: Path, google: FakeGoogle) -> Iterator[tuple[str, str, int]]:
    upstream_port, gateway_port = free_port(), free_port()
    upstream = f"http://127.0.0.1:{upstream_port}"
    gateway = f"http://127.0.0.1:{gateway_port}"
    env = dict(os.environ)
    env.update(
        FINSCRIBE_INTERNAL_TOKEN=INTERNAL_TOKEN,
        FINSCRIBE_DATA_DIR=str(workdir),
        FINSCRIBE_BIND_HOST="127.0.0.1",
        FINSCRIBE_ORCHESTRATOR_URL=upstream,
        FINSCRIBE_GATEWAY_URL=gateway,
        AUTH_MODE="google",
        GOOGLE_CLIENT_IDS=google.client_id,
        GOOGLE_JWKS_URL=google.jwks_url,
        GOOGLE_TOKENINFO_URL=google.tokeninfo_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'gateway.db'}",
        LOG_LEVEL="INFO",  # production level: both write one access-log line per request
    )
    uvicorn = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--no-access-log", "--factory"]
    with (
        background_process(
            [*uvicorn, "--port", str(upstream_port), "finscribe_testkit.gateway.trivial_upstream:create_app"],
            upstream + "/healthz",
            env,
            workdir,
        ),
        background_process(
            [*uvicorn, "--port", str(gateway_port), "finscribe_gateway.main:create_app"],
            gateway + "/healthz",
            env,
            workdir,
        ) as gateway_pid,
    ):
        yield upstream, gateway, gateway_pid


def _timed_get(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{client.base_url}{path} answered {response.status_code}: {response.text[:200]}")
    return elapsed


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _throughput(base_url: str, headers: dict[str, str]) -> float:
    remaining = THROUGHPUT_REQUESTS
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                response = await client.get("/v1/graphs")
                if response.status_code != 200:
                    raise RuntimeError(f"{base_url} answered {response.status_code}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
        return THROUGHPUT_REQUESTS / (time.perf_counter() - started)


def measure() -> dict[str, float]:
    google = FakeGoogle()
    with google.serve(), tempfile.TemporaryDirectory(prefix="finscribe-bench-gw-") as tmp:
        # one token for the run, as an extension reuses its ID token until it expires
        token = google.id_token(exp=int(time.time()) + 3600)
        with servers(Path(tmp), google) as (upstream, gateway, gateway_pid):
            direct_headers = {"X-Internal-Token": INTERNAL_TOKEN}
            gateway_headers = {"Authorization": f"Bearer {token}"}
            with (
                httpx.Client(base_url=upstream, headers=direct_headers, timeout=30) as direct,
                httpx.Client(base_url=gateway, headers=gateway_headers, timeout=30) as through,
            ):
                if direct.get("/v1/graphs").content != through.get("/v1/graphs").content:
                    raise RuntimeError("the gateway did not relay the upstream's answer unchanged")
                for _ in range(WARMUP):
                    _timed_get(direct, "/v1/graphs")
                    _timed_get(through, "/v1/graphs")
                cpu_before = _cpu_seconds(gateway_pid)
                pairs = [(_timed_get(direct, "/v1/graphs"), _timed_get(through, "/v1/graphs")) for _ in range(ROUNDS)]
                cpu_after = _cpu_seconds(gateway_pid)
            direct_rps = asyncio.run(_throughput(upstream, direct_headers))
            gateway_rps = asyncio.run(_throughput(gateway, gateway_headers))
    direct_ms = [d * 1000 for d, _ in pairs]
    gateway_ms = [g * 1000 for _, g in pairs]
    added = [g - d for d, g in zip(direct_ms, gateway_ms, strict=True)]
    figures = {
        "direct_p50_ms": statistics.median(direct_ms),
        "direct_p99_ms": _percentile(direct_ms, 0.99),
        "gateway_p50_ms": statistics.median(gateway_ms),
        "gateway_p99_ms": _percentile(gateway_ms, 0.99),
        "added_p50_ms": statistics.median(gateway_ms) - statistics.median(direct_ms),
        "added_p99_ms": _percentile(gateway_ms, 0.99) - _percentile(direct_ms, 0.99),
        "paired_added_p50_ms": statistics.median(added),
        "latency_ratio_p50": statistics.median(gateway_ms) / statistics.median(direct_ms),
        "direct_rps": direct_rps,
        "gateway_rps": gateway_rps,
        "rps_ratio": gateway_rps / direct_rps,
    }
    if cpu_before is not None and cpu_after is not None:
        # includes the gateway's share of the direct calls' interleaving: none, it is idle then
        figures["gateway_cpu_ms_per_request"] = (cpu_after - cpu_before) * 1000 / ROUNDS
    return figures


UNITS = {"rps": "req/s", "ms": "ms"}


def run() -> list[dict]:
    figures = measure()
    rows = []
    for metric, value in figures.items():
        unit = "req/s" if metric.endswith("_rps") else "ms" if "_ms" in metric else "x"
        target = f"< {TARGET_ADDED_P50_MS:g} ms" if metric == "added_p50_ms" else ""
        rows.append(
            {"benchmark": "gateway", "metric": metric, "value": round(value, 3), "unit": unit, "target": target}
        )
    return rows


def main() -> None:
    rows = run()
    figures = {r["metric"]: r["value"] for r in rows}
    print(f"gateway relay of GET /v1/graphs to a trivial upstream, {ROUNDS} paired calls, one at a time")
    print(f"  direct : p50 {figures['direct_p50_ms']:.3f} ms   p99 {figures['direct_p99_ms']:.3f} ms")
    print(f"  gateway: p50 {figures['gateway_p50_ms']:.3f} ms   p99 {figures['gateway_p99_ms']:.3f} ms")
    print(
        f"  added  : p50 {figures['added_p50_ms']:.3f} ms (target < {TARGET_ADDED_P50_MS:g} ms)   "
        f"p99 {figures['added_p99_ms']:.3f} ms   ratio p50 {figures['latency_ratio_p50']:.2f}x"
    )
    if "gateway_cpu_ms_per_request" in figures:
        print(f"  gateway CPU per request: {figures['gateway_cpu_ms_per_request']:.3f} ms")
    print(f"throughput, {THROUGHPUT_REQUESTS} requests, {IN_FLIGHT} in flight")
    print(f"  direct : {figures['direct_rps']:.0f} req/s")
    print(f"  gateway: {figures['gateway_rps']:.0f} req/s   ratio {figures['rps_ratio']:.2f}")


if __name__ == "__main__":
    main()
