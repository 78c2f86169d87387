"""What one run hands its graph: the runtime `Context` (LangGraph `context_schema`), and the
`Scope` a node works in.

Following LangGraph's runtime-context pattern (langchain-ai/react-agent `context.py`), every
graph is compiled with `context_schema=Context` and invoked with `context=Context(...)`; a node
declares `runtime: Runtime[Context]` and reads the run's services there. The context holds
services and inputs, not results: what the graph computes (sections, charts, chart catalog,
warnings, LLM usage, timings, text passed on) is returned by nodes as state updates and merged
by the state's reducers (`states.py`), so it is checkpointed and survives a resume.

Two per-run things stay in the context on purpose:
- the data bundle (company, datasets, their facts and citation numbers): parallel sections read
  it, its fact index is not cheap to serialize, and it is rebuilt exactly on resume by running
  `resolve` and `gather` again for the same request and `as_of` (`durable/resume.py`);
- the LLM client's "no model can answer" mark (`LLM.down`): sections running in the same
  LangGraph step cannot see each other's state updates, and the ones starting after a 503
  must not call the router again.

The orchestrator keeps nothing between runs: a context lives exactly as long as its request.
"""

import datetime as dt
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from langgraph.runtime import Runtime

from finscribe_orchestrator.clients import Clients
from finscribe_orchestrator.config import OrchestratorSettings
from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.events import EventSink
from finscribe_orchestrator.llm.client import LLM
from finscribe_orchestrator.messages import SERVICE_LABELS, Say, text
from finscribe_orchestrator.schemas import AnyRunRequest, RunOptions
from finscribe_orchestrator.states import RunState
from finscribe_orchestrator.usage import UsageMeter

# params a warning also carries at the top level of its event (API.md documents them there)
TOP_LEVEL_PARAMS = ("section", "value", "service", "column", "rows", "cells", "step")


@dataclass(frozen=True)
class Context:
    """The per-run services and inputs every node of a graph may use (the graphs' `context_schema`).

    `request`/`options`: the validated run request and its kind's options; `settings`: the
    orchestrator's settings; `sink`: the run's event stream; `clients`: HTTP clients of the data
    services and the gateway's file route; `llm`: the llm-router client (one per run, `X-User`
    and `X-Request-ID` set); `bundle`: the data the run fetched (see the module docstring)."""

    request: AnyRunRequest
    options: RunOptions
    settings: OrchestratorSettings
    sink: EventSink
    clients: Clients
    llm: LLM
    bundle: DataBundle

    @property
    def as_of(self) -> dt.date:
        """The run's as-of date (options, else `ORCH_DEFAULT_AS_OF`, else today in Korea)."""
        return self.bundle.as_of

    @property
    def language(self) -> str:
        """`ko` or `en`: the language of what the run writes, its warnings and step details
        (`service.run_language`; the bundle's summaries are written in it too)."""
        return self.bundle.language


class Scope:
    """One node invocation's view of the run: the context's services, plus what the node
    records along the way (warnings, LLM usage through its own metered LLM view, step timings),
    handed back as state by `recorded()`.

    Warnings are streamed as `warning` events the moment they are raised (once per run: the
    sink remembers what it sent) and returned in the node's update for `result.warnings`."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.request = context.request
        self.options = context.options
        self.settings = context.settings
        self.sink = context.sink
        self.clients = context.clients
        self.bundle = context.bundle
        self.usage = UsageMeter()
        self.llm = context.llm.metered(self.usage)
        self.warnings: list[dict[str, Any]] = []
        self.timings: dict[str, float] = {}

    @classmethod
    def of(cls, runtime: Runtime[Context]) -> "Scope":
        return cls(runtime.context)

    @property
    def llm_available(self) -> bool:
        return self.llm.down is None

    @property
    def language(self) -> str:
        return self.context.language

    def say(self, key: str, **params: Any) -> str:
        """The sentence of message `key` (messages.py) in the run's language."""
        return text(self.language, key, **params)

    def warn(self, code: str, *, key: str | None = None, once_per: str | None = None, **params: Any) -> None:
        """A `warning` event and an entry of `result.warnings`: `{code, key, message, params, <documented
        params>}`. `key` is the message key (messages.py) of `message`, default the code: a code
        may have more than one sentence, and the panel rebuilds the warning in its own language
        from `key` + `params`. A param that is itself a sentence is given as a `Say`: `message`
        holds its text, `params` its `{key, params}`. The same (code, `once_per` or message) is
        warned once per run."""
        key = key or code
        message = text(self.language, key, **{k: _said(self.language, v) for k, v in params.items()})
        sent = {k: _sent(v) for k, v in params.items()}
        shown = {k: sent[k] for k in TOP_LEVEL_PARAMS if k in sent}
        warning = {"code": code, "key": key, "message": message, "params": sent, **shown}
        if self.sink.warning(warning, key=(code, once_per if once_per is not None else message)):
            self.warnings.append(warning)

    def warn_failed_services(self) -> None:
        """One `source_unavailable` per data service that failed (bundle.failed), per run. In demo
        mode what the replays hold no rows for is `not_recorded_in_demo` instead (`what`: the
        datasets): the replay answers it as KRX/DART/Yahoo answer for no data (krx: 502
        `upstream_no_rows`), which a live service reports as an upstream failure, but the demo
        simply never recorded it. Any other code (`upstream_error`: an HTTP error, a malformed
        answer) stays `source_unavailable`, in demo mode too."""
        for service, reason in sorted(self.bundle.failed.items()):
            label = SERVICE_LABELS[self.language].get(service, service)
            unrecorded, other = split_unrecorded(reason) if self.settings.demo else ([], reason)
            if unrecorded:
                what = ", ".join(unrecorded)
                self.warn("not_recorded_in_demo", once_per=service, service_label=label, service=service, what=what)
            if other:
                self.warn("source_unavailable", once_per=service, service_label=label, service=service, reason=other)

    def llm_down(self, reason: str) -> None:
        """The router said no model can answer: the rest of the run writes from the data alone."""
        if self.llm.mark_down(reason):
            self.warn("llm_unavailable", reason=reason)

    @asynccontextmanager
    async def step(
        self, name: str, *, start: float | None = None, end: float | None = None, detail: Say | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """`step` events around a piece of work, and its duration (seconds) in `timings`. Yields
        a dict for the done event: `status`, `progress`, `detail` (`info["detail"] = say(code, **params)`)."""
        self.sink.step(name, "started", start, detail)
        began = time.perf_counter()
        info: dict[str, Any] = {}
        try:
            yield info
        except Exception:
            self._time(name, began)
            self.sink.step(name, "failed", None, info.get("detail"))
            raise
        self._time(name, began)
        self.sink.step(
            name, info.get("status", "done"), info.get("progress", end), info.get("detail"), info.get("items")
        )

    def _time(self, name: str, began: float) -> None:
        self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - began, 4)

    def recorded(self) -> RunState:
        """What this node recorded (`warnings`, `usage`, `timings`), to return with its state
        update for the state's reducers: `return {"text": text, **scope.recorded()}`."""
        recorded: RunState = {}
        if self.warnings:
            recorded["warnings"] = list(self.warnings)
        if self.usage.llm_calls:
            recorded["usage"] = self.usage.as_dict()
        if self.timings:
            recorded["timings"] = dict(self.timings)
        return recorded


# what a data service answers for a request its upstream has no rows for (the krx service:
# 502 `upstream_no_rows`, no rows although trading days lie in the range; dart/yahoo: nothing
# found). Never `upstream_error`: that is a real failure (HTTP error, malformed answer), which
# a demo run must report as `source_unavailable` like a live run does.
UNRECORDED_CODES = frozenset({"upstream_no_rows", "no_data", "not_found"})


def split_unrecorded(reason: str) -> tuple[list[str], str]:
    """A `bundle.failed` reason ("title: code; title: code") split into the titles whose code
    says the upstream had no rows, and the rest of the reason ("" when nothing is left)."""
    unrecorded: list[str] = []
    rest: list[str] = []
    for part in reason.split("; "):
        title, _, code = part.rpartition(": ")
        if title and code in UNRECORDED_CODES:
            unrecorded.append(title)
        else:
            rest.append(part)
    return unrecorded, "; ".join(rest)


def _said(language: str, value: Any) -> Any:
    """A param as it goes into the run's sentence: a nested `Say` rendered in the run's language."""
    return value.render(language) if isinstance(value, Say) else value


def _sent(value: Any) -> Any:
    """A param as the event carries it: a nested `Say` as `{key, params}` (JSON, any language)."""
    return (
        {"key": value.code, "params": {k: _sent(v) for k, v in value.params.items()}}
        if isinstance(value, Say)
        else value
    )
