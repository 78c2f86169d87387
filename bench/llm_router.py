"""LLM router overhead: added latency to the first streamed chunk and to a whole answer,
compared with calling the provider directly, and chunks per second through the router.

The provider is `FakeOpenAI` (the OpenAI protocol, answering at once) on a loopback port;
the router is the real app on another, configured with that fake as OpenAI. Both run as
separate processes (uvicorn), as in production, so the client, router and provider do
not share one interpreter lock. Target: under 5 ms added to the first token.
"""

import contextlib
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from finscribe_testkit.common.server import background_process, free_port
from finscribe_testkit.llm_router import BENCH_STREAM_CHUNKS as STREAM_CHUNKS
from finscribe_testkit.llm_router import INTERNAL_TOKEN, OPENAI_KEY

TESTING = "finscribe_testkit.llm_router"
ROUNDS = 200
WARMUP = 30
PROMPT = {"role": "user", "content": "삼성전자 2024년 실적을 한 문단으로 요약해 줘."}


@contextlib.contextmanager
def servers(workdir: Path) -> Iterator[tuple[str, str, int]]:
    provider_port, router_port = free_port(), free_port()
    provider = f"http://127.0.0.1:{provider_port}"
    router = f"http://127.0.0.1:{router_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "RUNPOD_", "LOCAL_LLM_", "LLM_"))}
    env.update(
        FINSCRIBE_INTERNAL_TOKEN=INTERNAL_TOKEN,
        FINSCRIBE_DATA_DIR=str(workdir),
        OPENAI_API_KEY=OPENAI_KEY,
        OPENAI_BASE_URL=provider + "/v1",
        LLM_TOKENIZER="chars",
        LOG_LEVEL="WARNING",
    )
    uvicorn = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--log-level", "warning", "--no-access-log"]
    with (
        background_process(
            [
                *uvicorn,
                "--port",
                str(provider_port),
                "--factory",
                "finscribe_testkit.llm_router:benchmark_provider_app",
            ],
            provider + "/v1/models",
            env,
            workdir,
        ),
        background_process(
            [*uvicorn, "--port", str(router_port), "--factory", "finscribe_llm_router.main:create_app"],  # router
            router + "/healthz",
            env,
            workdir,
        ) as router_pid,
    ):
        yield provider, router, router_pid


def _first_chunk_s(client: httpx.Client, url: str, body: dict) -> float:
    started = time.perf_counter()
    first = 0.0
    with client.stream("POST", url, json=body) as response:
        response.raise_for_status()
        for _ in response.iter_raw():
            first = first or time.perf_counter() - started
    return first


def _complete_s(client: httpx.Client, url: str, body: dict) -> float:
    started = time.perf_counter()
    response = client.post(url, json=body)
    response.raise_for_status()
    return time.perf_counter() - started


def _chunks_per_s(client: httpx.Client, url: str, body: dict) -> float:
    started = time.perf_counter()
    chunks = 0
    with client.stream("POST", url, json=body) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if line.startswith("data: "):
                chunks += 1
    return chunks / (time.perf_counter() - started)


def _paired(fn, direct: httpx.Client, routed: httpx.Client, body: dict) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Direct and routed calls alternate, so load from elsewhere on the machine hits both alike."""
    path = "/v1/chat/completions"
    for _ in range(WARMUP):
        fn(direct, path, body)
        fn(routed, path, body)
    pairs = [(fn(direct, path, body), fn(routed, path, body)) for _ in range(ROUNDS)]
    return [d for d, _ in pairs], [r for _, r in pairs]


def _cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process (Linux), to report the router's own CPU per request."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def run() -> list[dict]:
    import tempfile

    rows: list[dict] = []

    def row(metric: str, value: float, unit: str, target: str = "") -> None:
        rows.append({"benchmark": "llm_router", "metric": metric, "value": value, "unit": unit, "target": target})

    with tempfile.TemporaryDirectory() as tmp, servers(Path(tmp)) as (provider, router, router_pid):
        direct = httpx.Client(base_url=provider, headers={"Authorization": f"Bearer {OPENAI_KEY}"}, timeout=30)
        routed = httpx.Client(base_url=router, headers={"X-Internal-Token": INTERNAL_TOKEN}, timeout=30)
        with direct, routed:
            stream_body = {"model": "auto", "messages": [PROMPT], "stream": True}
            plain_body = {"model": "auto", "messages": [PROMPT]}
            long_body = {**stream_body, "max_tokens": STREAM_CHUNKS}
            path = "/v1/chat/completions"

            cpu_before = _cpu_seconds(router_pid)
            ttft_direct, ttft_routed = _paired(_first_chunk_s, direct, routed, stream_body)
            cpu_after = _cpu_seconds(router_pid)
            whole_direct, whole_routed = _paired(_complete_s, direct, routed, plain_body)
            cps_direct = [_chunks_per_s(direct, path, long_body) for _ in range(5)]
            cps_routed = [_chunks_per_s(routed, path, long_body) for _ in range(5)]

    ms = 1000.0
    added_first = (statistics.median(ttft_routed) - statistics.median(ttft_direct)) * ms
    row("first chunk, direct p50", statistics.median(ttft_direct) * ms, "ms")
    row("first chunk, via router p50", statistics.median(ttft_routed) * ms, "ms")
    row("first chunk, via router p95", _p(ttft_routed, 95) * ms, "ms")
    row("added to first chunk p50", added_first, "ms", "< 5 ms")
    row("added to first chunk p95", (_p(ttft_routed, 95) - _p(ttft_direct, 95)) * ms, "ms")
    if cpu_before is not None and cpu_after is not None:
        streamed = ROUNDS + WARMUP
        row("router CPU per streamed request", (cpu_after - cpu_before) / streamed * ms, "ms")
    row("whole answer, direct p50", statistics.median(whole_direct) * ms, "ms")
    row("whole answer, via router p50", statistics.median(whole_routed) * ms, "ms")
    row("added to whole answer p50", (statistics.median(whole_routed) - statistics.median(whole_direct)) * ms, "ms")
    row("stream chunks/s, direct", statistics.median(cps_direct), "chunks/s")
    row("stream chunks/s, via router", statistics.median(cps_routed), "chunks/s")
    return rows


def main() -> None:
    print(
        f"llm_router: {ROUNDS} requests per latency figure after {WARMUP} warm-up; {STREAM_CHUNKS}-chunk streams",
        flush=True,
    )
    for r in run():
        print(f"  {r['metric']:<34} {r['value']:>12.3f} {r['unit']:<9} {r['target']}")


if __name__ == "__main__":
    main()
