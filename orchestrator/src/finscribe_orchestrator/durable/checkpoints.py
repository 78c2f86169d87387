"""Where checkpointed graphs keep their state: one LangGraph checkpointer per process.

`ORCH_CHECKPOINT_URL` picks the store:
- `sqlite:///<path>` (default `<FINSCRIBE_DATA_DIR>/orchestrator-checkpoints.sqlite`):
  langgraph-checkpoint-sqlite's `AsyncSqliteSaver`, the embedded default (one host; a
  restarted orchestrator on the same volume resumes from it);
- `postgresql://user:pass@host:5432/db`: langgraph-checkpoint-postgres's `AsyncPostgresSaver`,
  the production store shared by every orchestrator replica (see the README for why
  Postgres and not the gateway's MySQL).

The saver opens lazily on the first checkpointed run (in-process test apps never run a
lifespan) and is closed with the app. The draft graph is compiled once per saver.
"""

import asyncio
import contextlib
import logging
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver

from finscribe_common.contract.runs import CHECKPOINTED_KINDS
from finscribe_orchestrator.graphs import RunGraph

logger = logging.getLogger("finscribe.orchestrator.checkpoints")
__all__ = ["CHECKPOINTED_KINDS", "Checkpoints", "default_checkpoint_url"]


def default_checkpoint_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'orchestrator-checkpoints.sqlite').resolve()}"


def _saver_context(url: str) -> AbstractAsyncContextManager[BaseCheckpointSaver[Any]]:
    if url.startswith("sqlite:///"):
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return AsyncSqliteSaver.from_conn_string(str(path))
    if url.startswith(("postgresql://", "postgres://")):
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

        return AsyncPostgresSaver.from_conn_string(url)
    raise ValueError("ORCH_CHECKPOINT_URL must start with sqlite:/// or postgresql://")


class Checkpoints:
    """The process's checkpointer and the graphs compiled with it."""

    def __init__(self, url: str) -> None:
        if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("ORCH_CHECKPOINT_URL must start with sqlite:/// or postgresql://")
        self.url = url
        self._stack = contextlib.AsyncExitStack()
        self._saver: BaseCheckpointSaver[Any] | None = None
        self._graphs: dict[str, RunGraph] = {}
        self._lock = asyncio.Lock()

    async def saver(self) -> BaseCheckpointSaver[Any]:
        async with self._lock:
            if self._saver is None:
                saver = await self._stack.enter_async_context(_saver_context(self.url))
                setup = getattr(saver, "setup", None)
                if setup is not None:
                    await setup()  # creates the saver's tables once (idempotent)
                self._saver = saver
            return self._saver

    async def graph(self, kind: str) -> RunGraph:
        """The graph of `kind` compiled with this process's checkpointer."""
        from finscribe_orchestrator.graphs import draft

        builders = {"draft": draft.builder}
        saver = await self.saver()
        if kind not in self._graphs:
            self._graphs[kind] = builders[kind]().compile(checkpointer=saver, name=kind)
        return self._graphs[kind]

    async def forget(self, thread_id: str) -> None:
        """Drop a run's checkpoints (finished, failed or expired runs keep nothing)."""
        saver = await self.saver()
        with contextlib.suppress(Exception):
            await saver.adelete_thread(thread_id)

    async def aclose(self) -> None:
        await self._stack.aclose()
        self._saver = None
        self._graphs.clear()
