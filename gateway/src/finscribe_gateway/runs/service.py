"""Create runs (checks, limits, the orchestrator request) and read them back."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_common.contract.runs import build_run_request
from finscribe_common.errors import BadRequest, Conflict, NotFound
from finscribe_gateway.auth.schemas import Principal
from finscribe_gateway.charts.service import RunContext
from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.db.types import utcnow
from finscribe_gateway.files import repository as files_repository
from finscribe_gateway.files.rag_client import collection_name
from finscribe_gateway.runs import repository
from finscribe_gateway.runs.limits import RunLimiter
from finscribe_gateway.runs.manager import RunManager, StartedRun
from finscribe_gateway.runs.schemas import RunCreate, RunOut, RunPage, run_out, run_summary
from finscribe_gateway.sessions import repository as sessions_repository

HISTORY_MARKDOWN_CHARS = 4000


def internal_file_url(gateway_url: str, file_id: str) -> str:
    return f"{gateway_url.rstrip('/')}/internal/v1/files/{file_id}/content"


class RunService:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        manager: RunManager,
        settings: GatewaySettings,
        gateway_url: str,
    ) -> None:
        self.engine = engine
        self.manager = manager
        self.settings = settings
        self.gateway_url = gateway_url
        self.limiter = RunLimiter(
            per_minute=settings.runs_per_minute,
            concurrent=settings.max_concurrent_runs,
            live_window_s=manager.live_window_s,
        )

    def _check_prompt(self, body: RunCreate) -> None:
        # the contract caps the prompt at PROMPT_MAX_CHARS; an operator may set a lower limit
        if len(body.prompt) > self.settings.max_prompt_chars:
            raise BadRequest(
                f"the prompt has {len(body.prompt)} characters; the limit is {self.settings.max_prompt_chars}",
                code="prompt_too_long",
            )

    async def create(self, principal: Principal, session_id: str, body: RunCreate) -> StartedRun:
        self._check_prompt(body)
        options = body.options.model_dump(mode="json", exclude_none=True)
        async with self.engine.connect() as conn:
            session = await sessions_repository.get_owned(conn, user_sub=principal.sub, session_id=session_id)
            if session is None:
                raise NotFound("session not found")
            files = await files_repository.list_for_session(conn, user_sub=principal.sub, session_id=session_id)
            history = await repository.recent_completed(conn, session_id=session_id, limit=self.settings.history_runs)
        file_id = getattr(body.options, "file_id", None)
        if file_id is not None:
            chosen = next((f for f in files if f["id"] == file_id), None)
            if chosen is None:
                raise NotFound("file not found in this session")
            if chosen["kind"] != "csv":
                raise BadRequest("a chart run needs a CSV file; this file is a PDF")
        run_id = uuid.uuid4().hex
        async with self.limiter.lock(principal.sub):
            now = utcnow()
            async with self.engine.begin() as conn:
                await self.limiter.check(conn, user_sub=principal.sub, now=now)
                await repository.insert(
                    conn,
                    {
                        "id": run_id,
                        "session_id": session_id,
                        "user_sub": principal.sub,
                        "kind": body.kind,
                        "prompt": body.prompt,
                        "options": options,
                        "status": "running",
                        "owner": self.manager.owner,
                        "created_at": now,
                        "heartbeat_at": now,
                    },
                )
                await sessions_repository.touch(conn, session_id=session_id, now=now)
        request = build_run_request(
            body,
            run_id=run_id,
            user={"sub": principal.sub},
            session_id=session_id,
            rag_collection=collection_name(principal.sub, session_id),
            files=[
                {
                    "file_id": f["id"],
                    "name": f["name"],
                    "kind": f["kind"],
                    "url": internal_file_url(self.gateway_url, f["id"]),
                    "status": f["status"] if f["kind"] == "pdf" else None,
                }
                for f in files
            ],
            history=[_history_item(h) for h in reversed(history)],
        )
        payload = request.model_dump(mode="json", exclude_none=True)
        return self.manager.start(RunContext(run_id=run_id, session_id=session_id, user_sub=principal.sub), payload)

    async def get(self, principal: Principal, run_id: str) -> RunOut:
        async with self.engine.connect() as conn:
            row = await repository.get_owned(conn, user_sub=principal.sub, run_id=run_id)
        if row is None:
            raise NotFound("run not found")
        return run_out(row)

    async def cancel(self, principal: Principal, run_id: str) -> RunOut:
        run = await self.get(principal, run_id)
        if run.status != "running":
            raise Conflict(f"the run already ended ({run.status})", code="run_finished")
        if not await self.manager.cancel(run_id):
            # driven by another gateway process: the row decides, that process's late
            # result will not overwrite it
            async with self.engine.begin() as conn:
                await repository.finish(
                    conn,
                    run_id=run_id,
                    status="cancelled",
                    now=utcnow(),
                    error={"code": "cancelled", "message": "the run was cancelled"},
                )
        return await self.get(principal, run_id)

    async def list(self, principal: Principal, session_id: str, *, limit: int, offset: int) -> RunPage:
        async with self.engine.connect() as conn:
            session = await sessions_repository.get_owned(conn, user_sub=principal.sub, session_id=session_id)
            if session is None:
                raise NotFound("session not found")
            rows = await repository.list_for_session(
                conn, user_sub=principal.sub, session_id=session_id, limit=limit + 1, offset=offset
            )
        more = len(rows) > limit
        return RunPage(items=[run_summary(r) for r in rows[:limit]], next_offset=offset + limit if more else None)


def _history_item(row: dict[str, Any]) -> dict[str, Any]:
    result = row["result"] if isinstance(row["result"], dict) else {}
    markdown = str(result.get("markdown") or "")
    return {
        "run_id": row["id"],
        "kind": row["kind"],
        "prompt": row["prompt"],
        "markdown": markdown[:HISTORY_MARKDOWN_CHARS],
    }
