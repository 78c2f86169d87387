"""Everything one run needs, handed to every node through the LangGraph run config.

Nodes are plain async functions; the context carries the per-run clients, the LLM, the
event sink and what the run has collected (data bundle, warnings, usage, timings). The
orchestrator keeps nothing between runs: a context lives exactly as long as its run.
"""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import RunnableConfig

from finscribe_orchestrator.clients import Clients
from finscribe_orchestrator.config import OrchestratorSettings
from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.events import EventSink
from finscribe_orchestrator.llm.client import LLM
from finscribe_orchestrator.messages import SERVICE_LABELS, Say, text
from finscribe_orchestrator.schemas import AnyRunRequest, RunOptions
from finscribe_orchestrator.usage import UsageMeter

# the warnings of the graph node running in this task (durable/carry.py sets it)
NODE_WARNINGS: ContextVar[list[dict[str, Any]] | None] = ContextVar("finscribe_node_warnings", default=None)

# params a warning also carries at the top level of its event (API.md documents them there)
TOP_LEVEL_PARAMS = ("section", "value", "service", "column", "rows", "cells", "step")


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

    @property
    def language(self) -> str:
        return self.bundle.language

    def say(self, key: str, **params: Any) -> str:
        """The sentence of message `key` (messages.py) in the run's language."""
        return text(self.language, key, **params)

    def warn(self, code: str, *, key: str | None = None, **params: Any) -> None:
        """A `warning` event and `result.warnings` entry: `{code, message, params, <documented params>}`,
        `message` the sentence of `key` (default: the code) in the run's language."""
        message = text(self.language, key or code, **params)
        seen = (code, message)
        if seen in self._warned:
            return
        self._warned.add(seen)
        shown = {k: params[k] for k in TOP_LEVEL_PARAMS if k in params}
        warning = {"code": code, "message": message, "params": params, **shown}
        self.warnings.append(warning)
        node_warnings = NODE_WARNINGS.get()
        if node_warnings is not None:
            node_warnings.append(warning)  # checkpointed with the node's writes (durable/carry.py)
        self.sink.emit("warning", **warning)

    def keep_warning(self, warning: dict[str, Any]) -> None:
        """A warning raised before a resume (from the checkpoint): kept for the result, not emitted again."""
        seen = (str(warning.get("code")), str(warning.get("message")))
        if seen not in self._warned:
            self._warned.add(seen)
            self.warnings.append(warning)

    def warn_failed_services(self) -> None:
        for service, reason in sorted(self.bundle.failed.items()):
            if service in self._warned_services:
                continue
            self._warned_services.add(service)
            label = SERVICE_LABELS[self.language].get(service, service)
            self.warn("source_unavailable", service_label=label, service=service, reason=reason)

    def llm_down(self, reason: str) -> None:
        if self.llm_available:
            self.llm_available = False
            self.warn("llm_unavailable", reason=reason)

    @asynccontextmanager
    async def step(
        self, name: str, *, start: float | None = None, end: float | None = None, detail: Say | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """`step` events around a piece of work, and its duration in `timings`. Yields a dict for the done
        detail (`info["detail"] = say(code, **params)`)."""
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
        self.sink.step(name, info.get("status", "done"), info.get("progress", end), info.get("detail"))


def get_ctx(config: RunnableConfig) -> RunContext:
    ctx = (config.get("configurable") or {}).get("ctx")
    if not isinstance(ctx, RunContext):
        raise RuntimeError("run context missing from the graph config")
    return ctx
