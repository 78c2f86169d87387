"""Everything one run needs, handed to every node through the LangGraph run config.

Nodes are plain async functions; the context carries the per-run clients, the LLM, the
event sink and what the run has collected (data bundle, warnings, usage, timings). The
orchestrator keeps nothing between runs: a context lives exactly as long as its run.
"""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import RunnableConfig

from finscribe_orchestrator.clients import Clients
from finscribe_orchestrator.config import OrchestratorSettings
from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.events import EventSink
from finscribe_orchestrator.llm.client import LLM
from finscribe_orchestrator.schemas import AnyRunRequest, RunOptions
from finscribe_orchestrator.usage import UsageMeter

SERVICE_LABELS = {"krx": "KRX 시세", "dart": "DART 공시·재무", "yahoo": "Yahoo Finance", "rag": "업로드 문서 검색"}


@dataclass
class RunContext:
    request: AnyRunRequest
    options: RunOptions
    settings: OrchestratorSettings
    sink: EventSink
    clients: Clients
    llm: LLM
    bundle: DataBundle
    usage: UsageMeter = field(default_factory=UsageMeter)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    llm_available: bool = True
    sections_done: int = 0
    chart_catalog: dict[str, Any] = field(default_factory=dict)
    _warned: set[tuple[str, str]] = field(default_factory=set)
    _warned_services: set[str] = field(default_factory=set)

    def warn(self, code: str, message: str, **extra: Any) -> None:
        key = (code, message)
        if key in self._warned:
            return
        self._warned.add(key)
        warning = {"code": code, "message": message, **extra}
        self.warnings.append(warning)
        self.sink.emit("warning", **warning)

    def warn_failed_services(self) -> None:
        for service, reason in sorted(self.bundle.failed.items()):
            if service in self._warned_services:
                continue
            self._warned_services.add(service)
            label = SERVICE_LABELS.get(service, service)
            self.warn(
                "source_unavailable",
                f"{label}({service}) 데이터 일부를 가져오지 못해 빼고 작성했습니다 ({reason}).",
                service=service,
            )

    def llm_down(self, reason: str) -> None:
        if self.llm_available:
            self.llm_available = False
            self.warn("llm_unavailable", f"LLM을 사용할 수 없어 데이터만으로 작성했습니다 ({reason}).")

    @asynccontextmanager
    async def step(
        self, name: str, *, start: float | None = None, end: float | None = None, detail: str | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """`step` events around a piece of work, and its duration in `timings`. Yields a dict for the done detail."""
        self.sink.step(name, "started", start, detail)
        began = time.perf_counter()
        info: dict[str, Any] = {}
        try:
            yield info
        except Exception:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - began, 4)
            self.sink.step(name, "failed", None, info.get("detail"))
            raise
        self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - began, 4)
        self.sink.step(
            name, info.get("status", "done"), info.get("progress", end), info.get("detail"), info.get("items")
        )


def get_ctx(config: RunnableConfig) -> RunContext:
    ctx = (config.get("configurable") or {}).get("ctx")
    if not isinstance(ctx, RunContext):
        raise RuntimeError("run context missing from the graph config")
    return ctx
