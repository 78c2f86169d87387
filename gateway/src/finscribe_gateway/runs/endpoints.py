import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from finscribe_common.errors import UpstreamError
from finscribe_common.http_client import upstream_errors
from finscribe_gateway.auth.dependencies import CurrentUser
from finscribe_gateway.auth.schemas import Principal
from finscribe_gateway.runs.hub import RunChannel
from finscribe_gateway.runs.schemas import RunCreate, RunOut, RunPage
from finscribe_gateway.runs.service import RunService
from finscribe_gateway.runs.sse import HEARTBEAT, format_event
from finscribe_gateway.state import StateDep

router = APIRouter(tags=["runs"])

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


async def get_run_service(request: Request) -> RunService:
    return request.app.state.run_service


RunServiceDep = Annotated[RunService, Depends(get_run_service)]


def wants_event_stream(request: Request) -> bool:
    return "text/event-stream" in request.headers.get("accept", "").lower()


async def _event_stream(channel: RunChannel, heartbeat_s: float) -> AsyncIterator[bytes]:
    # The client going away only ends this generator; the run's own task carries on.
    async for event in channel.listen(heartbeat_s):
        yield HEARTBEAT if event is None else format_event(event.event, event.data)


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
    service: RunServiceDep,
    state: StateDep,
) -> StreamingResponse | RunOut:
    started = await service.create(user, session_id, body)
    if wants_event_stream(request):
        return StreamingResponse(
            _event_stream(started.channel, state.settings.run_heartbeat_s),
            media_type="text/event-stream; charset=utf-8",
            headers=SSE_HEADERS,
        )
    # shield: the caller hanging up must not cancel the run it started
    await asyncio.shield(started.task)
    return await service.get(user, started.channel.run_id)


@router.get("/v1/sessions/{session_id}/runs", summary="The session's runs, newest first", response_model=RunPage)
async def list_runs(
    session_id: str,
    user: CurrentUser,
    service: RunServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> RunPage:
    return await service.list(user, session_id, limit=limit, offset=offset)


@router.get("/v1/runs/{run_id}", summary="One run with its result or error", response_model=RunOut)
async def get_run(run_id: str, user: CurrentUser, service: RunServiceDep) -> RunOut:
    return await service.get(user, run_id)


@router.post("/v1/runs/{run_id}/cancel", summary="Stop a running run (status becomes cancelled)", response_model=RunOut)
async def cancel_run(run_id: str, user: CurrentUser, service: RunServiceDep) -> RunOut:
    return await service.cancel(user, run_id)


@router.get(
    "/v1/runs/{run_id}/events",
    summary="Re-attach to a run's event stream (all events so far, then live; or the stored outcome)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def run_events(run_id: str, user: CurrentUser, service: RunServiceDep, state: StateDep) -> StreamingResponse:
    run = await service.get(user, run_id)
    live = state.runs.live(run_id)
    if live is not None:
        stream = _event_stream(live.channel, state.settings.run_heartbeat_s)
    else:
        stream = _stored_outcome(service, user, run, state.settings.run_heartbeat_s)
    return StreamingResponse(stream, media_type="text/event-stream; charset=utf-8", headers=SSE_HEADERS)


async def _stored_outcome(
    service: RunService, user: Principal, run: RunOut, heartbeat_s: float
) -> AsyncIterator[bytes]:
    # the run is driven by another gateway process (or already over): poll its row
    while run.status == "running":
        yield HEARTBEAT
        await asyncio.sleep(min(heartbeat_s, 2.0))
        run = await service.get(user, run.run_id)
    if run.status == "completed":
        yield format_event("run.completed", {"result": run.result, "run_id": run.run_id, "seq": 1})
    else:
        error = run.error or {"code": run.status, "message": f"the run ended as {run.status}"}
        yield format_event("run.failed", {"error": error, "run_id": run.run_id, "seq": 1})


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
