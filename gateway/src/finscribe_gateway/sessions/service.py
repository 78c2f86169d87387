"""Sessions: create (idempotent per doc), read with files and runs, delete everything."""

from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_common.errors import NotFound
from finscribe_common.schemas import utc_now
from finscribe_common.threads import run_blocking
from finscribe_gateway.auth.schemas import Principal
from finscribe_gateway.files import repository as files_repository
from finscribe_gateway.files.rag_client import RagIndexClient, collection_name
from finscribe_gateway.files.schemas import FileOut
from finscribe_gateway.files.storage import FileStorage
from finscribe_gateway.runs import repository as runs_repository
from finscribe_gateway.runs.schemas import RunSummary
from finscribe_gateway.sessions import repository
from finscribe_gateway.sessions.schemas import SessionCreate, SessionDetail, SessionOut

_DETAIL_RUNS = 10


class SessionService:
    def __init__(self, *, engine: AsyncEngine, rag: RagIndexClient, storage: FileStorage) -> None:
        self.engine = engine
        self.rag = rag
        self.storage = storage

    async def create(self, principal: Principal, body: SessionCreate) -> tuple[SessionOut, bool]:
        async with self.engine.begin() as conn:
            row, created = await repository.create_or_get(
                conn, user_sub=principal.sub, doc_id=body.doc_id, title=body.title, now=utc_now(microseconds=True)
            )
        return SessionOut.model_validate(row, from_attributes=True), created

    async def list(self, principal: Principal, *, limit: int, offset: int) -> list[SessionOut]:
        async with self.engine.connect() as conn:
            rows = await repository.list_owned(conn, user_sub=principal.sub, limit=limit, offset=offset)
        return [SessionOut.model_validate(r, from_attributes=True) for r in rows]

    async def detail(self, principal: Principal, session_id: str) -> SessionDetail:
        async with self.engine.connect() as conn:
            row = await repository.get_owned(conn, user_sub=principal.sub, session_id=session_id)
            if row is None:
                raise NotFound("session not found")
            files = await files_repository.list_for_session(conn, user_sub=principal.sub, session_id=session_id)
            runs = await runs_repository.list_for_session(
                conn, user_sub=principal.sub, session_id=session_id, limit=_DETAIL_RUNS, offset=0
            )
        return SessionDetail(
            **SessionOut.model_validate(row, from_attributes=True).model_dump(),
            files=[FileOut.model_validate(f, from_attributes=True) for f in files],
            runs=[RunSummary.model_validate(r, from_attributes=True) for r in runs],
        )

    async def delete(self, principal: Principal, session_id: str) -> None:
        async with self.engine.connect() as conn:
            row = await repository.get_owned(conn, user_sub=principal.sub, session_id=session_id)
        if row is None:
            raise NotFound("session not found")
        # rag first: if it is down, nothing is deleted and the caller can retry, rather
        # than leaving vectors no session points at any more
        await self.rag.delete_collection(collection=collection_name(principal.sub, session_id))
        async with self.engine.begin() as conn:
            await repository.delete_cascade(conn, user_sub=principal.sub, session_id=session_id)
        await run_blocking(self.storage.remove_session, session_id, timeout=30, pool="files")
