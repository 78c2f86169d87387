"""Drive runs in the background: call the orchestrator, store charts, persist the outcome,
fan events out to listeners. Also keeps run rows honest across crashes (heartbeats and a
sweep that fails runs whose process stopped)."""

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_common.contract.runs import CHECKPOINTED_KINDS
from finscribe_common.demo import label_result
from finscribe_common.envelope import read_error
from finscribe_common.schemas import utc_now
from finscribe_gateway.charts.service import ChartStore, RunRef
from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.runs import repository
from finscribe_gateway.runs.event_log import RunEventLog
from finscribe_gateway.runs.hub import RunChannel, RunEvent
from finscribe_gateway.runs.sse import SseProtocolError, parse_sse
from finscribe_gateway.tasks import DetachedTasks

logger = logging.getLogger("finscribe.gateway.runs")

_CHANNEL_GRACE_S = 30.0
_MAX_ERROR_MESSAGE = 2000


class RunRelayError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class StartedRun:
    channel: RunChannel
    task: "asyncio.Task[None]"


def _error_from_body(body: bytes, status: int) -> RunRelayError:
    error = read_error(body)
    if error is None:
        return RunRelayError("orchestrator_error", f"the orchestrator answered HTTP {status}")
    return RunRelayError("orchestrator_error", f"the orchestrator refused the run ({status}): {error.message[:500]}")


def _normalise_error(error: Any) -> dict[str, str]:
    if isinstance(error, dict):
        code = str(error.get("code") or "run_failed")[:100]
        message = str(error.get("message") or "the run failed")[:_MAX_ERROR_MESSAGE]
        return {"code": code, "message": message}
    return {"code": "run_failed", "message": str(error or "the run failed")[:_MAX_ERROR_MESSAGE]}


class _StreamEnded(Exception):
    """The orchestrator's stream ended without run.completed / run.failed / run.waiting."""


class _NotResumable(Exception):
    """The orchestrator has no checkpoint to continue this run from."""


class _Emitter:
    """Numbers and publishes a run's events (local fan-out, then Redis Streams)."""

    def __init__(self, run_id: str, channel: RunChannel, events: RunEventLog | None, seq: int) -> None:
        self.run_id = run_id
        self.channel = channel
        self.events = events
        self.seq = seq

    async def __call__(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        published = RunEvent(event, {**data, "run_id": self.run_id, "seq": self.seq})
        await self.channel.publish(published)
        if self.events is not None:
            # after the local publish: this replica's listeners never wait on Redis
            await self.events.append(self.run_id, published)


class RunManager:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        orchestrator: httpx.AsyncClient,
        charts: ChartStore,
        settings: GatewaySettings,
        tasks: DetachedTasks,
        events: RunEventLog | None = None,
    ) -> None:
        self.engine = engine
        self.events = events
        self.orchestrator = orchestrator
        self.charts = charts
        self.settings = settings
        self.tasks = tasks
        self.owner = uuid.uuid4().hex  # this process; rows it drives carry it
        self._runs: dict[str, StartedRun] = {}
        self._cancel_requested: set[str] = set()
        self._maintenance: asyncio.Task[None] | None = None
        self._extra_maintenance: list[Callable[[], Awaitable[object]]] = []

    @property
    def heartbeat_interval_s(self) -> float:
        """How often this process stamps the runs it drives (and runs maintenance)."""
        return max(0.2, min(10.0, self.settings.run_stale_s / 3))

    def add_maintenance(self, job: Callable[[], Awaitable[object]]) -> None:
        """Another periodic job for the maintenance loop (e.g. failing stuck uploads)."""
        self._extra_maintenance.append(job)

    # --- lifecycle -------------------------------------------------------------------

    @property
    def live_window_s(self) -> float:
        """A running row not stamped for this long has no live driver (two missed stamps)."""
        return 2 * self.heartbeat_interval_s + 1

    async def startup(self) -> None:
        # before serving: rows whose driver died (kill -9, crash) are failed now, with the
        # shorter live window, so they neither count against limits nor look running
        failed = await self.sweep_stale(code="gateway_restarted", older_than_s=self.live_window_s)
        if failed:
            logger.warning("marked %d runs left running by a previous gateway process as failed", failed)
        self._maintenance = asyncio.create_task(self._maintain(), name="runs-maintenance")

    async def shutdown(self, grace_s: float) -> None:
        if self._maintenance is not None:
            self._maintenance.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._maintenance
        running = [r.task for r in self._runs.values() if not r.task.done()]
        if running:
            _, pending = await asyncio.wait(running, timeout=grace_s)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=5)

    async def sweep_stale(self, *, code: str, older_than_s: float | None = None) -> int:
        now = utc_now(microseconds=True)
        older_than_s = min(self.settings.run_stale_s, older_than_s or self.settings.run_stale_s)
        error = {
            "code": code,
            "message": "the gateway process driving this run stopped before it finished; start the run again",
        }
        async with self.engine.begin() as conn:
            # runs this process drives are stamped every round, so they never look stale;
            # one whose task ended without storing an outcome does, and is failed here too
            return await repository.fail_stale(
                conn,
                before=now - dt.timedelta(seconds=older_than_s),
                exclude_owner=None,
                error=error,
                now=now,
            )

    async def _maintain(self) -> None:
        interval = self.heartbeat_interval_s
        while True:
            await asyncio.sleep(interval)
            try:
                active = [run_id for run_id, r in self._runs.items() if not r.task.done()]
                if active:
                    async with self.engine.begin() as conn:
                        await repository.heartbeat(conn, run_ids=active, now=utc_now(microseconds=True))
                await self.sweep_stale(code="gateway_restarted")
                await self.expire_reviews()
                await self.charts.purge_expired()
                for job in self._extra_maintenance:
                    await job()
            except Exception:
                logger.exception("run maintenance failed; retrying next round")

    # --- runs --------------------------------------------------------------------------

    def start(self, ctx: RunRef, payload: dict[str, Any], *, seq_start: int = 0) -> StartedRun:
        """Drive a run; `seq_start` is the last `seq` already relayed (a resumed run continues it)."""
        channel = RunChannel(ctx.run_id)
        task = self.tasks.spawn(self._drive(ctx, payload, channel, seq_start), name=f"run-{ctx.run_id}")
        started = StartedRun(channel=channel, task=task)
        self._runs[ctx.run_id] = started
        return started

    def live(self, run_id: str) -> StartedRun | None:
        return self._runs.get(run_id)

    async def _drive(self, ctx: RunRef, payload: dict[str, Any], channel: RunChannel, seq_start: int = 0) -> None:
        started = time.perf_counter()
        emit = _Emitter(ctx.run_id, channel, self.events, seq_start)

        try:
            try:
                async with asyncio.timeout(self.settings.run_timeout_s):
                    await self._relay_durably(ctx, payload, emit, started)
            except TimeoutError as exc:
                raise RunRelayError(
                    "run_timeout", f"the run did not finish within {self.settings.run_timeout_s:g} s"
                ) from exc
            except httpx.ConnectError as exc:
                raise RunRelayError("orchestrator_unavailable", "the orchestrator is unreachable") from exc
            except httpx.TimeoutException as exc:
                raise RunRelayError("run_timeout", "the orchestrator stopped answering") from exc
            except _StreamEnded as exc:
                raise RunRelayError(
                    "orchestrator_disconnected", "the orchestrator ended the stream before the run finished"
                ) from exc
            except (httpx.HTTPError, SseProtocolError) as exc:
                raise RunRelayError(
                    "orchestrator_disconnected",
                    f"the connection to the orchestrator broke mid-run ({type(exc).__name__})",
                ) from exc
        except RunRelayError as failure:
            await self._fail(ctx, {"code": failure.code, "message": failure.message}, emit, started)
        except asyncio.CancelledError:
            if ctx.run_id in self._cancel_requested:
                error, status = {"code": "cancelled", "message": "the run was cancelled"}, "cancelled"
            else:
                error = {"code": "gateway_shutdown", "message": "the gateway shut down before the run finished"}
                status = "failed"
            with contextlib.suppress(Exception):
                await asyncio.shield(self._fail(ctx, error, emit, started, status=status))
            if status == "failed":
                raise
        except Exception:
            logger.exception("run %s failed inside the gateway", ctx.run_id)
            error = {"code": "internal_error", "message": "the gateway failed while relaying the run"}
            await self._fail(ctx, error, emit, started)
        finally:
            self._cancel_requested.discard(ctx.run_id)
            await channel.close()
            asyncio.get_running_loop().call_later(_CHANNEL_GRACE_S, self._runs.pop, ctx.run_id, None)

    async def _relay_durably(self, ctx: RunRef, payload: dict[str, Any], emit: "_Emitter", started: float) -> None:
        """Relay the run; a checkpointed run (draft) whose orchestrator is lost (refused
        connection, dropped stream) continues on a live orchestrator from its last
        checkpoint (`resume: {mode: continue}`), up to `RUN_RESUME_ATTEMPTS` times with
        backoff; when nothing was checkpointed yet (`not_resumable`), it starts over. The
        client sees a `warning` `run_resumed` and the events go on with the same `seq`."""
        attempts = self.settings.run_resume_attempts if payload.get("kind") in CHECKPOINTED_KINDS else 0
        current = payload
        for attempt in range(attempts + 1):
            seq_before = emit.seq
            try:
                await self._relay(ctx, current, emit, started)
                return
            except _NotResumable:
                if current.get("resume", {}).get("mode") != "continue":
                    raise RunRelayError("not_resumable", "the orchestrator has no checkpoint of this run") from None
                current = {k: v for k, v in payload.items() if k != "resume"}  # nothing kept: start over
                if payload.get("resume"):
                    current["resume"] = payload["resume"]
                continue
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, SseProtocolError, _StreamEnded):
                if attempt >= attempts:
                    raise
            await asyncio.sleep(self.settings.run_resume_backoff_s * 2**attempt)
            if emit.seq > seq_before:
                message = "the orchestrator stopped mid-run; the run continues from its last checkpoint"
                await emit("warning", {"code": "run_resumed", "message": message})
            current = {**payload, "resume": {"mode": "continue"}}
        raise _StreamEnded()

    async def _relay(self, ctx: RunRef, payload: dict[str, Any], emit: Any, started: float) -> None:
        timeout = httpx.Timeout(self.settings.run_timeout_s, connect=5.0)
        async with self.orchestrator.stream(
            "POST", "/v1/runs", json=payload, headers={"Accept": "text/event-stream"}, timeout=timeout
        ) as response:
            if response.status_code != 200:
                raise _error_from_body(await response.aread(), response.status_code)
            review: dict[str, Any] | None = None
            async for sse in parse_sse(response.aiter_lines()):
                try:
                    data = json.loads(sse.data)
                except ValueError as exc:
                    raise RunRelayError(
                        "orchestrator_protocol", "the orchestrator sent an event that is not JSON"
                    ) from exc
                if not isinstance(data, dict):
                    raise RunRelayError("orchestrator_protocol", "the orchestrator sent an event that is not an object")
                warnings: list[str] = []
                data = await self.charts.swap(data, ctx, warnings)
                for message in warnings:
                    await emit("warning", {"code": "chart_dropped", "message": message})
                data.pop("run_id", None)
                data.pop("seq", None)
                if sse.event == "run.completed":
                    await self._complete(ctx, data, emit, started)
                    return
                if sse.event == "run.failed":
                    error = _normalise_error(data.get("error"))
                    if error["code"] == "not_resumable" and payload.get("resume"):
                        raise _NotResumable()
                    await self._fail(ctx, error, emit, started)
                    return
                if sse.event == "outline.review":
                    review = data
                if sse.event == "run.waiting":
                    await self._wait(ctx, review, emit)
                    return
                await emit(sse.event, data)
        raise _StreamEnded()

    async def _complete(self, ctx: RunRef, data: dict[str, Any], emit: Any, started: float) -> None:
        result = data.get("result")
        if not isinstance(result, dict):
            raise RunRelayError("orchestrator_protocol", "run.completed carried no result object")
        if self.settings.demo:
            # a demo gateway labels whatever it stores, even from an orchestrator that did not
            label_result(result)
        timings = dict(result.get("timings") or {}) if isinstance(result.get("timings"), dict) else {}
        timings["gateway_total"] = round(time.perf_counter() - started, 3)
        usage = result.get("usage") if isinstance(result.get("usage"), dict) else None
        # stored before it is relayed: a client that sees run.completed can always fetch it
        async with self.engine.begin() as conn:
            stored = await repository.finish(
                conn,
                run_id=ctx.run_id,
                status="completed",
                now=utc_now(microseconds=True),
                result=result,
                usage=usage,
                timings=timings,
            )
        if not stored:
            # ended meanwhile (cancelled from another process, or failed by the sweep):
            # the stored outcome stands and is what listeners hear
            async with self.engine.connect() as conn:
                row = await repository.get(conn, run_id=ctx.run_id)
            error = _normalise_error((row.error if row is not None else None) or {"code": "run_expired"})
            raise RunRelayError(error["code"], error["message"])
        logger.info("run %s completed in %.1f s", ctx.run_id, timings["gateway_total"], extra={"run_id": ctx.run_id})
        await emit("run.completed", {"result": result})

    async def _wait(self, ctx: RunRef, review: dict[str, Any] | None, emit: "_Emitter") -> None:
        """The draft waits for its outline review: stored as `waiting` (listed in history,
        resumable until `expires_at`) before `run.waiting` is relayed."""
        if review is None:
            raise RunRelayError("orchestrator_protocol", "run.waiting came without an outline.review")
        expires_at = utc_now(microseconds=True) + dt.timedelta(seconds=self.settings.run_review_ttl_s)
        async with self.engine.begin() as conn:
            stored = await repository.wait(
                conn, run_id=ctx.run_id, review=review, expires_at=expires_at, last_seq=emit.seq + 1
            )
        if not stored:
            raise RunRelayError("run_expired", "the run ended while its outline was prepared")
        await emit("run.waiting", {"reason": "outline_review", "expires_at": expires_at.isoformat()})

    async def expire_reviews(self) -> int:
        """Fail waiting runs whose review time ran out (`RUN_REVIEW_TTL_S`)."""
        error = {"code": "review_expired", "message": "the outline was not approved in time; start the draft again"}
        async with self.engine.begin() as conn:
            return await repository.expire_waiting(conn, now=utc_now(microseconds=True), error=error)

    async def _fail(
        self, ctx: RunRef, error: dict[str, str], emit: Any, started: float, *, status: str = "failed"
    ) -> None:
        timings = {"gateway_total": round(time.perf_counter() - started, 3)}
        try:
            async with self.engine.begin() as conn:
                await repository.finish(
                    conn, run_id=ctx.run_id, status=status, now=utc_now(microseconds=True), error=error, timings=timings
                )
        except Exception:
            # listeners still hear how it ended; the row is failed by the stale sweep
            # once this process stops stamping it
            logger.exception("could not store the failure of run %s", ctx.run_id)
        logger.warning(
            "run %s %s: %s",
            ctx.run_id,
            status,
            error["code"],
            extra={"run_id": ctx.run_id, "error_code": error["code"], "error_message": error["message"]},
        )
        await emit("run.failed", {"error": error})

    async def cancel(self, run_id: str) -> bool:
        """Cancel a run this process drives; False when it is not running here."""
        started = self._runs.get(run_id)
        if started is None or started.task.done():
            return False
        self._cancel_requested.add(run_id)
        started.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait({started.task}, timeout=5)
        return True
