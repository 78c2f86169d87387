"""Keep the files table and rag in agreement when a process died mid-way.

- `reconcile_pending`: a PDF left `pending` by a process that died while rag indexed it
  (or marked failed as interrupted when its process shut down) is `indexed` if rag holds
  its chunks (rag finished), and a pending one `failed` once no indexing can still be
  running (`RAG_INGEST_TIMEOUT_S` + 60 s). Runs at start-up, before serving, and in the
  maintenance loop.
- `sweep_orphans`: every collection rag holds is compared with the database; documents
  whose file row is gone, and collections whose session is gone, are deleted. Runs every
  `RAG_SWEEP_S`. A rag instance must therefore serve one gateway database only.

A file row is written before its PDF is sent to rag, so a document rag holds without a row
was deleted (or its delete failed half-way): removing it is always right.
"""

import datetime as dt
import logging
import math
import time
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_common.errors import ApiError
from finscribe_common.schemas import utc_now
from finscribe_gateway.files import repository
from finscribe_gateway.files.rag_client import RagIndexClient, collection_name, session_of_collection

logger = logging.getLogger("finscribe.gateway.files")

INTERRUPTED = "indexing was interrupted (the gateway stopped); delete the file and upload it again"


def every(period_s: float, job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[object]]:
    """`job` for the maintenance loop, run at most once per `period_s` (never when 0)."""
    last = -math.inf

    async def maybe() -> object:
        nonlocal last
        if period_s <= 0 or time.monotonic() - last < period_s:
            return None
        last = time.monotonic()
        return await job()

    return maybe


class RagReconciler:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        rag: RagIndexClient,
        ingest_timeout_s: float,
        indexing_here: Callable[[], set[str]],
    ) -> None:
        self.engine = engine
        self.rag = rag
        self.ingest_timeout_s = ingest_timeout_s
        self.indexing_here = indexing_here  # file ids this process is indexing right now

    async def reconcile_pending(self) -> dict[str, int]:
        """Settle PDFs no task of this process is indexing: `pending` ones, and ones failed as
        interrupted within twice the longest indexing time. Returns counts by outcome."""
        now = utc_now(microseconds=True)
        expired = now - dt.timedelta(seconds=self.ingest_timeout_s + 60)
        async with self.engine.connect() as conn:
            rows = await repository.list_unsettled(conn, interrupted=INTERRUPTED, since=expired - (now - expired))
        pending = [r for r in rows if r.id not in self.indexing_here()]
        outcome = {"indexed": 0, "failed": 0}
        if not pending:
            return outcome
        counts: dict[str, dict[str, int] | None] = {}
        for row in pending:
            collection = collection_name(row.user_sub, row.session_id)
            if collection not in counts:
                try:
                    counts[collection] = await self.rag.chunk_counts(collection=collection)
                except ApiError as exc:
                    logger.warning("cannot reconcile files of %s with rag: %s", collection, exc.message)
                    counts[collection] = None
            chunks = (counts[collection] or {}).get(row.id, 0)
            if chunks > 0:
                # rag finished after the process that asked it had died
                await self._settle(row.id, "indexed", None, chunks)
                outcome["indexed"] += 1
            elif row.status == "pending" and row.updated_at < expired:
                await self._settle(row.id, "failed", INTERRUPTED, None)
                outcome["failed"] += 1
        if any(outcome.values()):
            logger.warning("reconciled pending files with rag: %s", outcome)
        return outcome

    async def _settle(self, file_id: str, status: str, reason: str | None, chunks: int | None) -> None:
        async with self.engine.begin() as conn:
            await repository.set_status(
                conn, file_id=file_id, status=status, reason=reason, now=utc_now(microseconds=True), chunks=chunks
            )

    async def sweep_orphans(self) -> int:
        """Delete vectors of files (and sessions) that no longer exist. Returns documents removed."""
        names = await self.rag.collections()
        by_session = {sid: name for name in names if (sid := session_of_collection(name)) is not None}
        async with self.engine.connect() as conn:
            known = await repository.sessions_with_files(conn, session_ids=list(by_session))
        removed = 0
        for session_id, name in by_session.items():
            owner = known.get(session_id)
            if owner is None:
                await self.rag.delete_collection(collection=name)
                logger.warning("dropped rag collection %s: its session no longer exists", name)
                continue
            user_sub, pdf_ids = owner
            if collection_name(user_sub, session_id) != name:
                continue  # not a name this database made: leave it alone
            held = await self.rag.chunk_counts(collection=name)
            for doc_id in set(held) - pdf_ids:
                # re-read: a file uploaded since the snapshot above is not an orphan
                async with self.engine.connect() as conn:
                    if await repository.get_any(conn, file_id=doc_id) is not None:
                        continue
                await self.rag.delete_document(collection=name, doc_id=doc_id)
                removed += 1
                logger.warning("dropped the vectors of deleted file %s from %s", doc_id, name)
        return removed
