"""Run one request: build its runtime context, drive its graph, stream its events (SSE) with `seq`."""

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
from langchain_core.runnables import RunnableConfig

from finscribe_common.demo import label_result
from finscribe_common.demo.provenance import decode
from finscribe_common.request_context import current_request_id, new_request_id
from finscribe_common.settings import ServiceUrls
from finscribe_common.sse import HEARTBEAT
from finscribe_orchestrator.clients import build_clients
from finscribe_orchestrator.config import OrchestratorSettings
from finscribe_orchestrator.context import Context
from finscribe_orchestrator.data.bundle import DataBundle
from finscribe_orchestrator.data.gather import today_kst
from finscribe_orchestrator.durable.checkpoints import Checkpoints
from finscribe_orchestrator.durable.resume import prepare_graph
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.events import DONE, EventSink, sse_frame
from finscribe_orchestrator.graphs.registry import graphs
from finscribe_orchestrator.llm.client import LLM, LLMUnavailable
from finscribe_orchestrator.schemas import AnyRunRequest, RunOptions
from finscribe_orchestrator.usage import UsageMeter

logger = logging.getLogger("finscribe.orchestrator.runs")
KEEPALIVE = HEARTBEAT


def _as_of(options: RunOptions, default: dt.date | None) -> dt.date:
    value = getattr(options, "as_of", None)
    if isinstance(value, dt.date):
        return value
    return default or today_kst()


def run_language(options: RunOptions) -> str:
    """The language the run writes its document and messages in: the option (ko when absent)."""
    return "en" if getattr(options, "language", "ko") == "en" else "ko"


def build_context(
    request: AnyRunRequest,
    options: RunOptions,
    settings: OrchestratorSettings,
    urls: ServiceUrls,
    token: str,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
) -> Context:
    """The run's `Context`: its clients (`transports` route a service in-process: tests, benchmarks),
    its LLM client and event sink, and an empty data bundle for the run's `as_of` and language."""
    transports = transports or {}
    llm = LLM(
        base_url=urls.llm_router,
        token=token,
        user=request.user.sub,
        request_id=current_request_id() or new_request_id(),
        route=settings.llm_route,
        timeout=settings.llm_timeout_s,
        usage=UsageMeter(),  # unused: every node meters its calls (`LLM.metered`)
        transport=transports.get("llm"),
        max_tokens=settings.llm_max_tokens,
    )
    return Context(
        request=request,
        options=options,
        settings=settings,
        sink=EventSink(request.run_id, run_language(options)),
        clients=build_clients(settings, urls, token, transports),
        llm=llm,
        bundle=DataBundle(
            as_of=_as_of(options, settings.default_as_of),
            language=run_language(options),
            demo_recordings=decode(settings.demo_recordings) if settings.demo else None,
        ),
    )


async def drive(ctx: Context, checkpoints: Checkpoints | None = None) -> None:
    """Run the graph; always ends the stream with exactly one run.completed or run.failed,
    or (a draft waiting for its outline review) `outline.review` then `run.waiting`."""
    sink = ctx.sink
    started = time.perf_counter()
    sink.emit("run.started", kind=ctx.request.kind, **({"resumed": True} if ctx.request.resume else {}))
    try:
        config: RunnableConfig = {
            "configurable": {},
            "max_concurrency": ctx.settings.max_concurrency,
            "recursion_limit": 60,
        }
        graph, graph_input = await prepare_graph(ctx, checkpoints, config, graphs()[ctx.request.kind])
        final: dict[str, Any] = await graph.ainvoke(graph_input, config=config, context=ctx)
        interrupts = final.get("__interrupt__")
        if interrupts:
            # the outline waits for the user; the checkpoint keeps everything done so far
            sink.emit("outline.review", **interrupts[0].value)
            sink.emit("run.waiting", reason="outline_review")
            return
        result = final.get("result")
        if not isinstance(result, dict):
            raise RunFailed("internal_error", "the graph ended without a result")
        warnings: list[dict[str, Any]] = final.get("warnings") or []
        usage: dict[str, Any] = final.get("usage") or UsageMeter().as_dict()
        timings = {**(final.get("timings") or {}), "total": round(time.perf_counter() - started, 4)}
        result.update(warnings=warnings, usage=usage, timings=timings, demo=False)
        if ctx.settings.demo:
            label_result(result, ctx.language)  # made from the recordings: labelled in every form it takes
        sink.step("done", "done", 1.0)
        sink.emit("run.completed", result=result)
        if checkpoints is not None and "thread_id" in config["configurable"]:
            await checkpoints.forget(ctx.request.run_id)
        logger.info(
            "run %s (%s) completed in %.2f s",
            ctx.request.run_id,
            ctx.request.kind,
            timings["total"],
            extra={
                "run_id": ctx.request.run_id,
                "kind": ctx.request.kind,
                "llm_calls": usage["llm_calls"],
                "warnings": len(warnings),
                "llm_available": ctx.llm.down is None,
            },
        )
    except RunFailed as exc:
        logger.info("run %s (%s) failed: %s", ctx.request.run_id, ctx.request.kind, exc.code)
        sink.emit("run.failed", error={"code": exc.code, "message": exc.message})
    except LLMUnavailable as exc:
        sink.emit("run.failed", error={"code": "llm_unavailable", "message": f"LLM을 사용할 수 없습니다: {exc}"})
    except asyncio.CancelledError:
        raise
    except Exception:
        logger.exception("run %s failed", ctx.request.run_id)
        sink.emit(
            "run.failed",
            error={"code": "internal_error", "message": "orchestrator error; quote the request id when reporting it"},
        )
    finally:
        sink.close()


async def stream_run(
    ctx: Context, keepalive_s: float = 15.0, checkpoints: Checkpoints | None = None
) -> AsyncIterator[bytes]:
    task = asyncio.create_task(drive(ctx, checkpoints))
    try:
        while True:
            try:
                item = await asyncio.wait_for(ctx.sink.queue.get(), timeout=keepalive_s)
            except TimeoutError:
                yield KEEPALIVE  # an SSE comment keeps proxies from closing a quiet stream
                continue
            if item is DONE:
                break
            event_type, data = item
            yield sse_frame(event_type, data)
    finally:
        if not task.done():
            task.cancel()  # the caller went away: stop spending LLM tokens on nobody
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await ctx.clients.aclose()
        await ctx.llm.aclose()
