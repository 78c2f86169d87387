"""A fake orchestrator that speaks the run event protocol of API.md over real HTTP.

`POST /v1/runs` checks the internal token, records the request and streams a script of
SSE events (`event: <type>` + `data: <json>` with `run_id` and `seq` 1, 2, 3 ...). A
script is a list of `Emit` (an event, optionally after a delay), `Crash` (the server
drops the connection mid-stream, as a dying process would) and `Stall` (silence).
`GET /v1/graphs` answers a static description.

The default script's numbers come from the real recorded Yahoo Finance fixture
(`yahoo_005930.KS_close_2024.csv`: Samsung Electronics' 2024 adjusted closes) and the
chart is a real PNG rendered from them; `long_korean_result()` builds a >100 KB Korean
result from the real DART half-year statement rows. Nothing is invented.
"""

import asyncio
import base64
import csv
import functools
import hmac
import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from finscribe_testkit.common.fixtures import fixture_path

YAHOO_FIXTURE = "yahoo_005930.KS_close_2024.csv"
DART_FIXTURE = "dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv"


@dataclass
class Emit:
    event: str
    data: dict[str, Any] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Crash:
    """Drop the connection without finishing the response."""

    delay: float = 0.0


@dataclass
class Stall:
    seconds: float


Step = Emit | Crash | Stall
Script = Callable[[dict[str, Any]], "list[Step] | Awaitable[list[Step]]"]


@functools.lru_cache(maxsize=1)
def samsung_closes() -> list[tuple[str, float]]:
    with fixture_path(YAHOO_FIXTURE).open(encoding="utf-8") as handle:
        return [(row["Date"], float(row["005930"])) for row in csv.DictReader(handle) if row.get("005930")]


@functools.lru_cache(maxsize=1)
def samsung_chart_png() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    closes = samsung_closes()
    figure, axes = plt.subplots(figsize=(6, 3), dpi=80)
    axes.plot(range(len(closes)), [c for _, c in closes], linewidth=1)
    axes.set_title("005930.KS 2024")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def yahoo_source() -> dict[str, Any]:
    closes = samsung_closes()
    return {
        "provider": "Yahoo Finance",
        "dataset": "yfinance history 005930.KS (adjusted close)",
        "url": "https://finance.yahoo.com/quote/005930.KS/history",
        "as_of": closes[-1][0],
        "retrieved_at": "2025-02-01T00:00:00Z",
    }


def chart_payload() -> dict[str, Any]:
    first, last = samsung_closes()[0], samsung_closes()[-1]
    return {
        "png_base64": base64.b64encode(samsung_chart_png()).decode(),
        "title": "삼성전자 2024 수정종가",
        "alt": f"삼성전자 수정종가, {first[0]} {first[1]:,.0f}원에서 {last[0]} {last[1]:,.0f}원",
        "source": yahoo_source(),
    }


def draft_result() -> dict[str, Any]:
    closes = samsung_closes()
    (d0, c0), (d1, c1) = closes[0], closes[-1]
    change = (c1 / c0 - 1) * 100
    paragraph = f"삼성전자(005930.KS)의 수정종가는 {d0} {c0:,.0f}원에서 {d1} {c1:,.0f}원으로 {change:+.1f}% 변했다.[1]"
    return {
        "title": "삼성전자 2024 주가 개요",
        "markdown": f"# 삼성전자 2024 주가 개요\n\n{paragraph}\n",
        "blocks": [
            {"type": "heading", "level": 1, "text": "삼성전자 2024 주가 개요"},
            {"type": "paragraph", "text": paragraph, "citations": [1]},
            {"type": "chart", "chart": chart_payload()},
        ],
        "citations": [
            {
                "n": 1,
                "provider": "Yahoo Finance",
                "title": "005930.KS history",
                "url": yahoo_source()["url"],
                "as_of": d1,
            }
        ],
        "charts": [chart_payload()],
        "warnings": [],
        "usage": {"llm_calls": 2, "prompt_tokens": 812, "completion_tokens": 240, "cost_usd": 0.0, "by_provider": {}},
        "timings": {"fetch": 0.01, "write": 0.02},
    }


def dart_rows() -> list[dict[str, str]]:
    with fixture_path(DART_FIXTURE).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def long_korean_result(min_bytes: int) -> dict[str, Any]:
    """A draft-shaped result of at least `min_bytes` (UTF-8 JSON) from the real DART rows."""
    rows = dart_rows()
    blocks: list[dict[str, Any]] = []
    markdown: list[str] = ["# 삼성전자 2024 반기 재무제표 상세"]
    size = 0
    section = 0
    while size < min_bytes:
        section += 1
        blocks.append({"type": "heading", "level": 2, "text": f"{section}. 재무제표 항목"})
        markdown.append(f"## {section}. 재무제표 항목")
        for row in rows:
            text = (
                f"{row['sj_nm']}의 {row['account_nm']}은(는) {row['thstrm_nm']} {row['thstrm_amount']}원, "
                f"{row['frmtrm_nm']} {row['frmtrm_amount']}원이다(접수번호 {row['rcept_no']})."
            )
            blocks.append({"type": "paragraph", "text": text, "citations": [1]})
            markdown.append(text)
            size += len(text.encode()) * 2
    return {
        "title": "삼성전자 2024 반기 재무제표 상세",
        "markdown": "\n\n".join(markdown),
        "blocks": blocks,
        "citations": [
            {
                "n": 1,
                "provider": "DART",
                "title": "삼성전자 반기보고서 (2024.06)",
                "url": f"https://dart.fss.or.kr/dsaf001/main.do?rcpNo={rows[0]['rcept_no']}",
                "as_of": "2024-06-30",
            }
        ],
        "charts": [],
        "warnings": [],
        "usage": {"llm_calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "cost_usd": 0.0, "by_provider": {}},
        "timings": {},
    }


def default_script(request: dict[str, Any]) -> list[Step]:
    result = draft_result()
    return [
        Emit("run.started", {"kind": request.get("kind", "draft")}),
        Emit("step", {"name": "fetch", "status": "started", "progress": 0.1}),
        Emit("step", {"name": "fetch", "status": "done", "progress": 0.5}),
        Emit("section.delta", {"section_id": "s1", "text": result["blocks"][1]["text"][:20]}),
        Emit("section.done", {"section_id": "s1", "title": result["title"], "markdown": result["markdown"]}),
        Emit("run.completed", {"result": result}),
    ]


class FakeOrchestrator:
    def __init__(self, script: Script | None = None, *, internal_token: str | None = None) -> None:
        self.script = script or default_script
        self.internal_token = internal_token
        self.requests: list[dict[str, Any]] = []
        self.request_headers: list[dict[str, str]] = []
        self.finished: dict[str, str] = {}  # run_id -> how its stream ended
        self._initial = (self.script, internal_token)
        self.graphs: dict[str, Any] = {
            "graphs": {
                kind: {"nodes": ["resolve", "fetch", "write", "check", "assemble"]}
                for kind in ("draft", "paragraph", "rewrite", "chart", "ask")
            }
        }
        self.app = Starlette(
            routes=[
                Route("/v1/runs", self._runs, methods=["POST"]),
                Route("/v1/graphs", self._graphs, methods=["GET"]),
                Route("/healthz", self._healthz, methods=["GET"]),
            ]
        )

    def reset(self) -> None:
        """Back to the script and token it was made with, nothing recorded (for reuse across tests)."""
        self.script, self.internal_token = self._initial
        self.requests.clear()
        self.request_headers.clear()
        self.finished.clear()

    def _authorised(self, request: Request) -> bool:
        if self.internal_token is None:
            return True
        given = request.headers.get("x-internal-token", "")
        return hmac.compare_digest(given.encode(), self.internal_token.encode())

    def _unauthorised(self) -> Response:
        return JSONResponse(
            {"error": {"code": "unauthenticated", "message": "invalid internal token", "request_id": None}},
            status_code=401,
        )

    async def _healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def _graphs(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._unauthorised()
        return JSONResponse(self.graphs)

    async def _runs(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._unauthorised()
        body = await request.json()
        self.requests.append(body)
        self.request_headers.append(dict(request.headers))
        scripted = self.script(body)
        steps = await scripted if isinstance(scripted, Awaitable) else scripted
        return StreamingResponse(self._stream(body["run_id"], list(steps)), media_type="text/event-stream")

    async def _stream(self, run_id: str, steps: list[Step]) -> AsyncIterator[bytes]:
        seq = 0
        self.finished[run_id] = "streaming"
        try:
            for step in steps:
                if isinstance(step, Stall):
                    await asyncio.sleep(step.seconds)
                    continue
                if step.delay:
                    await asyncio.sleep(step.delay)
                if isinstance(step, Crash):
                    self.finished[run_id] = "crashed"
                    raise ConnectionAbortedError("scripted orchestrator crash")
                seq += 1
                data = {**step.data, "run_id": run_id, "seq": seq}
                yield f"event: {step.event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()
            self.finished[run_id] = "completed"
        except asyncio.CancelledError:
            self.finished[run_id] = "disconnected"
            raise
