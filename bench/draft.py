"""Draft benchmark: a 6-section draft with a fake LLM at a fixed per-call latency.

Everything but the LLM is real and in-process: the orchestrator app, and the krx, dart
and yahoo services (their upstreams replayed from the real recorded fixtures through
`responses`). The LLM is the scripted OpenAI-protocol fake (finscribe_testkit.orchestrator.llm)
served over loopback HTTP, each call waiting LATENCY_S before it answers.

Figures: wall time of the parallel draft; its critical path (outline + slowest section +
assembly, from the run's own timings); the same draft with sections one after another
(max_concurrency=1); wall / critical path (target <= 1.25) and wall / sequential
(target < 0.35). Run: `.venv/bin/python bench/draft.py`.
"""

import asyncio
import logging
import time
from typing import Any

import httpx

from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, Runner, completed
from finscribe_testkit.orchestrator.stack import replayed_data_services

LATENCY_S = 1.0
SECTIONS = ["개요", "주가 동향", "밸류에이션", "실적", "재무 상태", "결론"]


class _LoopbackLLM(httpx.AsyncHTTPTransport):
    """Sends every LLM call to the fake's real loopback port (OpenAI protocol over TCP)."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base = httpx.URL(base_url)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme=self.base.scheme, host=self.base.host, port=self.base.port)
        return await super().handle_async_request(request)


async def one_draft(runner: Runner) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    events = await runner.run(
        "draft", "삼성전자 분석 보고서", company="삼성전자", length="long", sections=SECTIONS, as_of=AS_OF
    )
    wall = time.perf_counter() - started
    return wall, completed(events)


def critical_path(result: dict[str, Any]) -> float:
    timings = result["timings"]
    slowest = max(v for k, v in timings.items() if k.startswith("section:"))
    return timings["outline"] + slowest + timings["assemble"]


async def measure(llm_url: str, stack: Any) -> dict[str, float]:
    transports = {**stack.transports, "llm": _LoopbackLLM(llm_url)}
    parallel = Runner(transports, max_concurrency=8)
    sequential = Runner(transports, max_concurrency=1)
    await one_draft(parallel)  # warm-up: the dart service loads the corp code list once per process
    wall, result = await one_draft(parallel)
    crit = critical_path(result)
    seq_wall, _seq_result = await one_draft(sequential)
    sections = sum(1 for k in result["timings"] if k.startswith("section:"))
    assert sections == len(SECTIONS), result["timings"]
    return {
        "wall": wall,
        "critical": crit,
        "sequential": seq_wall,
        "llm_calls": result["usage"]["llm_calls"],
        "gather": result["timings"]["gather"] + result["timings"]["resolve"],
    }


def run() -> list[dict[str, Any]]:
    logging.disable(logging.WARNING)
    llm = ScriptedLLM(sections=SECTIONS, latency=LATENCY_S)
    with serve_in_thread(llm.app) as url, replayed_data_services() as stack:
        figures = asyncio.run(measure(url, stack))
    logging.disable(logging.NOTSET)
    name = f"draft (6 sections, LLM {LATENCY_S:.1f} s/call)"
    return [
        {"benchmark": name, "metric": "wall time", "value": figures["wall"], "unit": "s", "target": ""},
        {
            "benchmark": name,
            "metric": "critical path (outline + slowest section + assembly)",
            "value": figures["critical"],
            "unit": "s",
            "target": "",
        },
        {
            "benchmark": name,
            "metric": "sections one after another",
            "value": figures["sequential"],
            "unit": "s",
            "target": "",
        },
        {
            "benchmark": name,
            "metric": "wall / critical path",
            "value": figures["wall"] / figures["critical"],
            "unit": "x",
            "target": "<= 1.25",
        },
        {
            "benchmark": name,
            "metric": "wall / sequential",
            "value": figures["wall"] / figures["sequential"],
            "unit": "x",
            "target": "< 0.35",
        },
        {
            "benchmark": name,
            "metric": "resolve + gather (before the outline)",
            "value": figures["gather"],
            "unit": "s",
            "target": "",
        },
        {"benchmark": name, "metric": "LLM calls", "value": figures["llm_calls"], "unit": "", "target": ""},
    ]


if __name__ == "__main__":
    for row in run():
        value = row["value"]
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        target = f"  (target {row['target']})" if row["target"] else ""
        print(f"{row['metric']:<55} {shown:>8} {row['unit']}{target}")
