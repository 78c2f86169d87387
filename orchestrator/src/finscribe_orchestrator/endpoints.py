"""Routes: `POST /v1/runs` (the run event stream) and `GET /v1/graphs`."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from finscribe_orchestrator.deps import SettingsDep, StateDep
from finscribe_orchestrator.graphs.registry import describe
from finscribe_orchestrator.schemas import RunRequest
from finscribe_orchestrator.service import build_context, stream_run

router = APIRouter(prefix="/v1", tags=["runs"])

RUN_EXAMPLE = {
    "run_id": "r_01",
    "kind": "draft",
    "prompt": "삼성전자 2024년 상반기 실적 분석 보고서",
    "options": {"company": "삼성전자", "length": "short", "as_of": "2024-09-30"},
    "user": {"sub": "1234567890"},
    "session_id": "s_01",
    "rag_collection": "u0123456789abcdef-s0a1b2c3d",
    "files": [],
    "history": [],
}


@router.post(
    "/runs",
    summary="Start a run and stream its events (SSE)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "run.started ... run.completed|failed"}},
    openapi_extra={"requestBody": {"content": {"application/json": {"example": RUN_EXAMPLE}}}},
)
async def start_run(
    body: RunRequest,
    settings: SettingsDep,
    state: StateDep,
) -> StreamingResponse:
    ctx = build_context(body, body.options, settings, state.urls, state.internal_token, state.transports)
    return StreamingResponse(
        stream_run(ctx, state.keepalive_s, state.checkpoints),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/graphs", summary="The graphs of the five run kinds and their nodes")
async def list_graphs() -> dict[str, Any]:
    return {"graphs": describe()}
