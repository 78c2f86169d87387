"""Create runs (checks, limits, the orchestrator request) and read them back."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_common.contract.runs import PEERS_MAX, RunResume, build_run_request, run_create_adapter
from finscribe_common.contract.templates import PEER_TEMPLATE_ID
from finscribe_common.errors import BadRequest, Conflict, NotFound
from finscribe_common.schemas import utc_now
from finscribe_gateway.auth.schemas import Principal
from finscribe_gateway.charts.service import RunRef
from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.db.rows import FileRow, HistoryRow
from finscribe_gateway.files import repository as files_repository
from finscribe_gateway.files.rag_client import collection_name
from finscribe_gateway.runs import repository
from finscribe_gateway.runs.limits import RunLimiter
from finscribe_gateway.runs.manager import RunManager, StartedRun
from finscribe_gateway.runs.schemas import RunCreate, RunOut, RunPage, RunSummary
from finscribe_gateway.sessions import repository as sessions_repository
from finscribe_gateway.templates.service import TemplateService

HISTORY_MARKDOWN_CHARS = 4000


def internal_file_url(gateway_url: str, file_id: str) -> str:
    return f"{gateway_url.rstrip('/')}/internal/v1/files/{file_id}/content"


def _files_for(body: RunCreate, files: list[FileRow]) -> list[FileRow]:
    """The session's files a run may read: with `options.file_ids` only the PDFs the user
    chose (CSVs stay: a chart names its own `file_id`); without it, all of them."""
    chosen = getattr(body.options, "file_ids", None)
    if chosen is None:
        return files
    return [f for f in files if f.kind != "pdf" or f.id in chosen]


class RunService:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        manager: RunManager,
        settings: GatewaySettings,
        gateway_url: str,
        templates: TemplateService | None = None,
    ) -> None:
        self.engine = engine
        self.manager = manager
        self.settings = settings
        self.gateway_url = gateway_url
        self.templates = templates or TemplateService(engine)
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
            chosen = next((f for f in files if f.id == file_id), None)
            if chosen is None:
                raise NotFound("file not found in this session")
            if chosen.kind != "csv":
                raise BadRequest("a chart run needs a CSV file; this file is a PDF")
        for chosen_id in getattr(body.options, "file_ids", None) or []:
            if not any(f.id == chosen_id and f.kind == "pdf" for f in files):
                raise NotFound(f"file {chosen_id} is not a PDF of this session", code="file_not_found")
        template = await self._template(principal, body)
        run_id = uuid.uuid4().hex
        async with self.limiter.lock(principal.sub):
            now = utc_now(microseconds=True)
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
        payload = await self._payload(
            principal, session_id, body, run_id, files=files, history=history, template=template
        )
        return self.manager.start(RunRef(run_id=run_id, session_id=session_id, user_sub=principal.sub), payload)

    async def _payload(
        self,
        principal: Principal,
        session_id: str,
        body: RunCreate,
        run_id: str,
        *,
        files: list[FileRow],
        history: list[HistoryRow],
        template: dict[str, Any] | None,
        resume: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The orchestrator's request (the kit's `RunRequest`) for a run of this session."""
        request = build_run_request(
            body,
            run_id=run_id,
            user={"sub": principal.sub},
            session_id=session_id,
            rag_collection=collection_name(principal.sub, session_id),
            files=[
                {
                    "file_id": f.id,
                    "name": f.name,
                    "kind": f.kind,
                    "url": internal_file_url(self.gateway_url, f.id),
                    "status": f.status if f.kind == "pdf" else None,
                }
                for f in _files_for(body, files)
            ],
            history=[_history_item(h) for h in reversed(history)],
            resume=resume,
            template=template,
        )
        return request.model_dump(mode="json", exclude_none=True)

    async def _template(self, principal: Principal, body: RunCreate) -> dict[str, Any] | None:
        """`options.template` resolved, before anything is stored: `options.companies` without a
        template is a `peer_comparison`. NotFound `template_not_found`; BadRequest
        `template_needs_companies` (a peer template with fewer companies than it compares) and
        `template_one_company` (several companies for a one-company template)."""
        template_id = getattr(body.options, "template", None)
        companies = getattr(body.options, "companies", None) or []
        if template_id is None and companies:
            template_id = PEER_TEMPLATE_ID
        if template_id is None:
            return None
        resolved = await self.templates.get(principal, template_id)
        if resolved.min_companies > 1 and len(companies) < resolved.min_companies:
            raise BadRequest(
                f"the template '{resolved.name}' compares {resolved.min_companies} to {PEERS_MAX} companies: "
                "name them in options.companies",
                code="template_needs_companies",
            )
        if resolved.min_companies == 1 and companies:
            raise BadRequest(
                f"the template '{resolved.name}' is about one company: use options.company, "
                "or the peer_comparison template for several",
                code="template_one_company",
            )
        return resolved.model_dump(mode="json")

    async def resume(self, principal: Principal, run_id: str, body: RunResume) -> StartedRun:
        """Continue a draft waiting for its outline review with the user's outline (or the
        proposed one). Raises NotFound (not the caller's run), Conflict `run_not_waiting`
        (not waiting, or resumed by another request first) and `review_expired`."""
        now = utc_now(microseconds=True)
        async with self.engine.connect() as conn:
            row = await repository.get_owned(conn, user_sub=principal.sub, run_id=run_id)
        if row is None:
            raise NotFound("run not found")
        if (row.error or {}).get("code") == "review_expired":
            raise Conflict("the outline was not approved in time; start the draft again", code="review_expired")
        if row.status != "waiting":
            raise Conflict(f"the run is not waiting for a review ({row.status})", code="run_not_waiting")
        if row.expires_at is not None and row.expires_at <= now:
            await self.manager.expire_reviews()
            raise Conflict("the outline was not approved in time; start the draft again", code="review_expired")
        stored = run_create_adapter.validate_python({"kind": row.kind, "prompt": row.prompt, "options": row.options})
        async with self.engine.connect() as conn:
            files = await files_repository.list_for_session(conn, user_sub=principal.sub, session_id=row.session_id)
            history = await repository.recent_completed(
                conn, session_id=row.session_id, limit=self.settings.history_runs
            )
        outline = body.outline.model_dump(mode="json", exclude_none=True) if body.outline is not None else None
        payload = await self._payload(
            principal,
            row.session_id,
            stored,
            run_id,
            files=files,
            history=[h for h in history if h.id != run_id],
            template=await self._template(principal, stored),
            resume={"mode": "review", "outline": outline},
        )
        async with self.engine.begin() as conn:
            if not await repository.take_waiting(conn, run_id=run_id, owner=self.manager.owner, now=now):
                raise Conflict("the run is no longer waiting for a review", code="run_not_waiting")
        ctx = RunRef(run_id=run_id, session_id=row.session_id, user_sub=principal.sub)
        return self.manager.start(ctx, payload, seq_start=int(row.last_seq or 0))

    async def get(self, principal: Principal, run_id: str) -> RunOut:
        async with self.engine.connect() as conn:
            row = await repository.get_owned(conn, user_sub=principal.sub, run_id=run_id)
        if row is None:
            raise NotFound("run not found")
        return RunOut.model_validate(row, from_attributes=True)

    async def cancel(self, principal: Principal, run_id: str) -> RunOut:
        run = await self.get(principal, run_id)
        if run.status == "waiting":
            async with self.engine.begin() as conn:
                error = {"code": "cancelled", "message": "the run was cancelled"}
                await repository.end_waiting(
                    conn, run_id=run_id, status="cancelled", error=error, now=utc_now(microseconds=True)
                )
            return await self.get(principal, run_id)
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
                    now=utc_now(microseconds=True),
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
        return RunPage(
            items=[RunSummary.model_validate(r, from_attributes=True) for r in rows[:limit]],
            next_offset=offset + limit if more else None,
        )


def _history_item(row: HistoryRow) -> dict[str, Any]:
    result = row.result if isinstance(row.result, dict) else {}
    markdown = str(result.get("markdown") or "")
    return {
        "run_id": row.id,
        "kind": row.kind,
        "prompt": row.prompt,
        "markdown": markdown[:HISTORY_MARKDOWN_CHARS],
    }
