import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from finscribe_common.errors import UpstreamError
from finscribe_common.http_client import upstream_errors
from finscribe_common.shared_state import SharedStateDown
from finscribe_gateway.auth.dependencies import CurrentUser
from finscribe_gateway.auth.schemas import Principal
from finscribe_gateway.runs.event_log import RunEventLog
from finscribe_gateway.runs.hub import RunChannel
from finscribe_gateway.runs.manager import StartedRun
from finscribe_gateway.runs.schemas import RunCreate, RunOut, RunPage, RunResume
from finscribe_gateway.runs.service import RunService
from finscribe_gateway.runs.sse import HEARTBEAT, format_event
from finscribe_gateway.state import GatewayState, StateDep

router = APIRouter(tags=["runs"])

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def wants_event_stream(request: Request) -> bool:
    return "text/event-stream" in request.headers.get("accept", "").lower()


def last_event_id(request: Request) -> int:
    """The SSE `Last-Event-ID` (the last `seq` the client saw); 0 when absent or not a number."""
    raw = request.headers.get("last-event-id", "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


async def _event_stream(channel: RunChannel, heartbeat_s: float, after: int = 0) -> AsyncIterator[bytes]:
    # The client going away only ends this generator; the run's own task carries on.
    async for event in channel.listen(heartbeat_s):
        if event is None:
            yield HEARTBEAT
        elif int(event.data.get("seq") or 0) > after:
            yield format_event(event.event, event.data)


@router.post(
    "/v1/sessions/{session_id}/runs",
    summary="Start a run; with Accept: text/event-stream, stream its events, else wait and return it",
    response_model=RunOut,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def create_run(
    session_id: str,
    body: RunCreate,
    request: Request,
    user: CurrentUser,
    state: StateDep,
) -> StreamingResponse | RunOut:
    started = await state.run_service.create(user, session_id, body)
    return await _stream_or_wait(started, request, user, state)


async def _stream_or_wait(
    started: StartedRun, request: Request, user: Principal, state: GatewayState
) -> StreamingResponse | RunOut:
    """With `Accept: text/event-stream` the run's events, else wait for it and return it."""
    if wants_event_stream(request):
        return StreamingResponse(
            _event_stream(started.channel, state.settings.run_heartbeat_s),
            media_type="text/event-stream; charset=utf-8",
            headers=SSE_HEADERS,
        )
    # shield: the caller hanging up must not cancel the run it started
    await asyncio.shield(started.task)
    return await state.run_service.get(user, started.channel.run_id)


@router.get("/v1/sessions/{session_id}/runs", summary="The session's runs, newest first", response_model=RunPage)
async def list_runs(
    session_id: str,
    user: CurrentUser,
    state: StateDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> RunPage:
    return await state.run_service.list(user, session_id, limit=limit, offset=offset)


@router.get("/v1/runs/{run_id}", summary="One run with its result or error", response_model=RunOut)
async def get_run(run_id: str, user: CurrentUser, state: StateDep) -> RunOut:
    return await state.run_service.get(user, run_id)


@router.post(
    "/v1/runs/{run_id}/resume",
    summary="Approve (or edit, then approve) the outline of a draft waiting for review; the run continues",
    response_model=RunOut,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def resume_run(
    run_id: str,
    body: RunResume,
    request: Request,
    user: CurrentUser,
    state: StateDep,
) -> StreamingResponse | RunOut:
    started = await state.run_service.resume(user, run_id, body)
    return await _stream_or_wait(started, request, user, state)


@router.post("/v1/runs/{run_id}/cancel", summary="Stop a running run (status becomes cancelled)", response_model=RunOut)
async def cancel_run(run_id: str, user: CurrentUser, state: StateDep) -> RunOut:
    return await state.run_service.cancel(user, run_id)


@router.get(
    "/v1/runs/{run_id}/events",
    summary="Re-attach to a run's event stream: events after Last-Event-ID, then live (any replica with REDIS_URL)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def run_events(run_id: str, request: Request, user: CurrentUser, state: StateDep) -> StreamingResponse:
    run = await state.run_service.get(user, run_id)
    after = last_event_id(request)
    heartbeat_s = state.settings.run_heartbeat_s
    live = state.runs.live(run_id)
    stream: AsyncIterator[bytes]
    if live is not None:
        stream = _event_stream(live.channel, heartbeat_s, after)
    elif await state.run_events.exists(run_id):
        # driven by another replica (or just over): its events are in Redis
        stream = _logged_events(state.run_events, state.run_service, user, run, after)
    else:
        stream = _stored_outcome(state.run_service, user, run, heartbeat_s)
    return StreamingResponse(stream, media_type="text/event-stream; charset=utf-8", headers=SSE_HEADERS)


async def _logged_events(
    log: RunEventLog, service: RunService, user: Principal, run: RunOut, after: int
) -> AsyncIterator[bytes]:
    """Replay and follow the run's Redis stream; fall back to the stored outcome when the
    stream stops short of its end (the driving replica died, or Redis went away)."""
    last = after
    try:
        async for event in log.listen(run.run_id, after):
            if event is not None:
                last = int(event.data.get("seq") or last)
                yield format_event(event.event, event.data)
                continue
            yield HEARTBEAT
            # idle: a run that ended without a terminal event in the stream ends from its row
            current = await service.get(user, run.run_id)
            if current.status != "running":
                async for chunk in _stored_outcome(service, user, current, 0.0, seq=last + 1):
                    yield chunk
                return
        return
    except SharedStateDown:
        pass
    async for chunk in _stored_outcome(service, user, run, 2.0, seq=last + 1):
        yield chunk


async def _stored_outcome(
    service: RunService, user: Principal, run: RunOut, heartbeat_s: float, seq: int = 1
) -> AsyncIterator[bytes]:
    # no live events to follow here (run over, or Redis unavailable): poll its row
    while run.status == "running":
        yield HEARTBEAT
        await asyncio.sleep(min(heartbeat_s, 2.0))
        run = await service.get(user, run.run_id)
    if run.status == "waiting":
        # the outline awaits the user: the panel reopened later gets it again
        yield format_event("outline.review", {**(run.review or {}), "run_id": run.run_id, "seq": seq})
        expires = run.expires_at.isoformat() if run.expires_at else None
        waiting = {"reason": "outline_review", "expires_at": expires, "run_id": run.run_id, "seq": seq + 1}
        yield format_event("run.waiting", waiting)
    elif run.status == "completed":
        yield format_event("run.completed", {"result": run.result, "run_id": run.run_id, "seq": seq})
    else:
        error = run.error or {"code": run.status, "message": f"the run ended as {run.status}"}
        yield format_event("run.failed", {"error": error, "run_id": run.run_id, "seq": seq})


@router.get(
    "/v1/graphs",
    summary="The run kinds and their steps, as the orchestrator describes them (relayed as-is)",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
async def graphs(user: CurrentUser, state: StateDep) -> Response:
    async with upstream_errors("orchestrator"):
        response = await state.orchestrator.get("/v1/graphs")
    if response.status_code != 200:
        raise UpstreamError(f"the orchestrator answered HTTP {response.status_code}")
    if not response.headers.get("content-type", "").startswith("application/json"):
        raise UpstreamError("the orchestrator answered with something other than JSON")
    # relayed byte for byte: the gateway adds auth, not a re-serialisation
    return Response(response.content, media_type="application/json")
