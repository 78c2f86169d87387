"""Upload, list and delete a session's files; PDFs are indexed in rag in the background."""

import asyncio
import contextlib
import functools
import hashlib
import logging
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from finscribe_common.errors import Conflict, NotFound
from finscribe_common.schemas import utc_now
from finscribe_common.threads import run_blocking
from finscribe_gateway.auth.schemas import Principal
from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.db.rows import FileRow, SessionRow
from finscribe_gateway.files import repository, validation
from finscribe_gateway.files.rag_client import RagError, RagIndexClient, collection_name
from finscribe_gateway.files.reconcile import INTERRUPTED
from finscribe_gateway.files.schemas import FileOut
from finscribe_gateway.files.storage import FileStorage
from finscribe_gateway.files.upload import discard, receive_upload
from finscribe_gateway.sessions import repository as sessions_repository
from finscribe_gateway.tasks import DetachedTasks, KeyedLocks

logger = logging.getLogger("finscribe.gateway.files")

_VALIDATE_TIMEOUT_S = 60.0


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class FileService:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        storage: FileStorage,
        rag: RagIndexClient,
        settings: GatewaySettings,
        tasks: DetachedTasks,
    ) -> None:
        self.engine = engine
        self.storage = storage
        self.rag = rag
        self.settings = settings
        self.tasks = tasks
        self.indexing: set[str] = set()  # file ids whose indexing task runs in this process
        self._session_locks = KeyedLocks()

    async def _require_session(self, principal: Principal, session_id: str) -> SessionRow:
        async with self.engine.connect() as conn:
            session = await sessions_repository.get_owned(conn, user_sub=principal.sub, session_id=session_id)
        if session is None:
            raise NotFound("session not found")
        return session

    def _too_many(self) -> Conflict:
        return Conflict(
            f"a session holds at most {self.settings.max_files_per_session} files; delete one first",
            code="too_many_files",
        )

    async def _check_count(self, session_id: str) -> None:
        # an early, cheap refusal before the body is read; the insert re-checks atomically
        async with self.engine.connect() as conn:
            count = await repository.count_in_session(conn, session_id=session_id)
        if count >= self.settings.max_files_per_session:
            raise self._too_many()

    async def upload(self, request: Request, principal: Principal, session_id: str) -> FileOut:
        await self._require_session(principal, session_id)
        await self._check_count(session_id)
        temp = await run_blocking(self.storage.temp_path, timeout=10, pool="files")
        try:
            received, _fields = await receive_upload(request, temp, self.settings.max_upload_bytes)
            head = await run_blocking(_read_head, temp, timeout=10, pool="files")
            kind = validation.sniff_kind(head, received.filename, received.content_type)
            values: dict[str, Any] = {"pages": None, "rows": None, "encoding": None}
            if kind == "pdf":
                info = await run_blocking(
                    validation.inspect_pdf,
                    temp,
                    self.settings.max_pdf_pages,
                    timeout=_VALIDATE_TIMEOUT_S,
                    pool="files",
                    what="PDF check",
                )
                values["pages"] = info.pages
            else:
                csv_info = await run_blocking(
                    functools.partial(
                        validation.inspect_csv,
                        max_columns=self.settings.max_csv_columns,
                        max_cells=self.settings.max_csv_cells,
                    ),
                    temp,
                    self.settings.max_csv_rows,
                    timeout=_VALIDATE_TIMEOUT_S,
                    pool="files",
                    what="CSV check",
                )
                values["rows"] = csv_info.rows
                values["encoding"] = csv_info.encoding
                # stored as UTF-8 so the orchestrator never has to guess the encoding
                await run_blocking(temp.write_bytes, csv_info.utf8, timeout=30, pool="files")
            size = await run_blocking(lambda: temp.stat().st_size, timeout=10, pool="files")
            digest = await run_blocking(_sha256, temp, timeout=60, pool="files")
            file_id = uuid.uuid4().hex
            relative = self.storage.relative_path(session_id, file_id, kind)
            await run_blocking(self.storage.commit, temp, relative, timeout=30, pool="files")
        except BaseException:
            await run_blocking(discard, temp, timeout=10, pool="files")
            raise
        now = utc_now(microseconds=True)
        row = FileRow(
            id=file_id,
            session_id=session_id,
            user_sub=principal.sub,
            name=validation.sanitize_name(received.filename, kind),
            kind=kind,
            bytes=size,
            sha256=digest,
            storage_path=relative,
            status="pending" if kind == "pdf" else "stored",
            created_at=now,
            updated_at=now,
            **values,
        )
        try:
            async with self._session_locks.hold(session_id), self.engine.begin() as conn:
                inserted = await repository.insert_within_limit(
                    conn, row, max_files=self.settings.max_files_per_session
                )
                if inserted:
                    await sessions_repository.touch(conn, session_id=session_id, now=now)
        except BaseException:
            await run_blocking(self.storage.remove, relative, timeout=10, pool="files")
            raise
        if not inserted:
            await run_blocking(self.storage.remove, relative, timeout=10, pool="files")
            raise self._too_many()
        if kind == "pdf":
            self.indexing.add(file_id)
            task = self.tasks.spawn(self._index(principal.sub, row), name=f"index-{file_id}")
            task.add_done_callback(lambda _t: self.indexing.discard(file_id))
            # the answer waits a little so small PDFs come back indexed; indexing itself
            # is never tied to this request (a disconnect does not stop it)
            if self.settings.rag_index_wait_s > 0:
                await asyncio.wait({task}, timeout=self.settings.rag_index_wait_s)
            async with self.engine.connect() as conn:
                fresh = await repository.get_owned(conn, user_sub=principal.sub, session_id=session_id, file_id=file_id)
            if fresh is not None:
                row = fresh
        return FileOut.model_validate(row, from_attributes=True)

    async def _index(self, user_sub: str, row: FileRow) -> None:
        status, reason, chunks = "indexed", None, None
        try:
            answer = await self.rag.index_pdf(
                collection=collection_name(user_sub, row.session_id),
                doc_id=row.id,
                name=row.name,
                path=self.storage.absolute(row.storage_path),
            )
            chunks = answer.get("chunks") if isinstance(answer.get("chunks"), int) else None
        except RagError as exc:
            status, reason = "failed", str(exc)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._set_status(row.id, "failed", INTERRUPTED, None))
            raise
        except Exception:
            logger.exception("indexing file %s failed", row.id)
            status, reason = "failed", "indexing failed with an internal error"
        await self._set_status(row.id, status, reason, chunks)
        if status == "indexed":
            await self._drop_if_deleted_meanwhile(user_sub, row)

    async def _drop_if_deleted_meanwhile(self, user_sub: str, row: FileRow) -> None:
        # the file (or its session) was deleted while rag indexed it: its vectors must go too
        async with self.engine.connect() as conn:
            still_there = await repository.get_any(conn, file_id=row.id)
        if still_there is None:
            with contextlib.suppress(Exception):
                await self.rag.delete_document(collection=collection_name(user_sub, row.session_id), doc_id=row.id)

    async def _set_status(self, file_id: str, status: str, reason: str | None, chunks: int | None) -> None:
        async with self.engine.begin() as conn:
            await repository.set_status(
                conn, file_id=file_id, status=status, reason=reason, now=utc_now(microseconds=True), chunks=chunks
            )

    async def list(self, principal: Principal, session_id: str) -> list[FileOut]:
        await self._require_session(principal, session_id)
        async with self.engine.connect() as conn:
            rows = await repository.list_for_session(conn, user_sub=principal.sub, session_id=session_id)
        return [FileOut.model_validate(r, from_attributes=True) for r in rows]

    async def delete(self, principal: Principal, session_id: str, file_id: str) -> None:
        async with self.engine.connect() as conn:
            row = await repository.get_owned(conn, user_sub=principal.sub, session_id=session_id, file_id=file_id)
        if row is None:
            raise NotFound("file not found")
        if row.kind == "pdf":
            # vectors first, whatever the status: a `failed` or `pending` file may still have
            # chunks in rag (its process died while rag finished). If rag is down the file
            # stays listed and the caller can retry; rag answers 204 for a document it lacks.
            await self.rag.delete_document(collection=collection_name(principal.sub, session_id), doc_id=file_id)
        async with self.engine.begin() as conn:
            await repository.delete(conn, file_id=file_id)
        await run_blocking(self.storage.remove, row.storage_path, timeout=10, pool="files")


def _read_head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(16)
