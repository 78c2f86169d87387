from typing import Annotated

from fastapi import APIRouter, Query, Response

from finscribe_gateway.auth.dependencies import CurrentUser
from finscribe_gateway.sessions.schemas import SessionCreate, SessionDetail, SessionList, SessionOut
from finscribe_gateway.state import StateDep

router = APIRouter(tags=["sessions"])


@router.post(
    "/v1/sessions",
    summary="Open the session for a Google Doc (idempotent per user and doc)",
    response_model=SessionOut,
    responses={201: {"description": "created"}, 200: {"description": "already existed"}},
)
async def create_session(body: SessionCreate, user: CurrentUser, state: StateDep, response: Response) -> SessionOut:
    session, created = await state.session_service.create(user, body)
    response.status_code = 201 if created else 200
    return session


@router.get("/v1/sessions", summary="The caller's sessions, most recently used first", response_model=SessionList)
async def list_sessions(
    user: CurrentUser,
    state: StateDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> SessionList:
    return SessionList(items=await state.session_service.list(user, limit=limit, offset=offset))


@router.get("/v1/sessions/{session_id}", summary="A session with its files and last runs", response_model=SessionDetail)
async def get_session(session_id: str, user: CurrentUser, state: StateDep) -> SessionDetail:
    return await state.session_service.detail(user, session_id)


@router.delete(
    "/v1/sessions/{session_id}",
    summary="Delete the session, its runs, files, charts and RAG collection",
    status_code=204,
    response_class=Response,
)
async def delete_session(session_id: str, user: CurrentUser, state: StateDep) -> Response:
    await state.session_service.delete(user, session_id)
    return Response(status_code=204)
