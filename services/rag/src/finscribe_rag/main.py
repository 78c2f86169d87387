"""App factory for the rag service (`finscribe serve rag`).

One process owns the embedded Chroma directory: run a single worker, or set CHROMA_URL
(a Chroma server) for any number of workers and replicas. BM25 terms live in Chroma with
their chunks, so the service itself keeps no state (see the README).
"""

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.deps import clear_service, service_of, set_service
from finscribe_common.errors import Unavailable
from finscribe_common.threads import run_blocking
from finscribe_rag import tokens
from finscribe_rag.bm25_store import Bm25Store
from finscribe_rag.config import LOCAL_EMBEDDINGS, RagSettings
from finscribe_rag.embeddings import build_embedding_function, embedding_label, load_model, models_loaded
from finscribe_rag.endpoints import router
from finscribe_rag.ownership import DirectoryLock
from finscribe_rag.service import RagService
from finscribe_rag.vector_store import VectorStore, build_client

logger = logging.getLogger("finscribe.rag")

# Chroma reads this before its Settings object: no telemetry client is even constructed.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

WARMUP_TIMEOUT_S = 300.0


def _warm_up(settings: RagSettings) -> None:
    """Load the models once, at startup, so the first upload does not pay for it."""
    tokens.load()
    load_model(settings)


def create_app(settings: RagSettings | None = None) -> FastAPI:
    settings = settings or RagSettings()
    state: dict[str, object] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        chroma_path = settings.resolved_chroma_path
        locks = [] if settings.chroma_url else [DirectoryLock(chroma_path, "Chroma")]
        try:
            for lock in locks:
                lock.acquire()
            async with _serve(app, chroma_path):
                yield
        finally:
            for lock in locks:
                lock.release()

    @asynccontextmanager
    async def _serve(app: FastAPI, chroma_path: Path) -> AsyncIterator[None]:
        client = await run_blocking(
            build_client, str(chroma_path), settings.chroma_url, timeout=60, pool="rag-store", what="opening Chroma"
        )
        vectors = VectorStore(client, build_embedding_function(settings), embedding_label(settings))
        bm25 = Bm25Store(vectors, settings.bm25_cache_collections)
        set_service(app, RagService(settings, vectors, bm25))
        warmup = asyncio.create_task(
            run_blocking(_warm_up, settings, timeout=WARMUP_TIMEOUT_S, pool="rag-ingest", what="loading models")
        )
        state["warmup"] = warmup
        try:
            yield
        finally:
            clear_service(app)
            if not warmup.done():
                warmup.cancel()

    async def models_ready() -> None:
        warmup = state.get("warmup")
        if isinstance(warmup, asyncio.Task) and warmup.done() and warmup.exception() is not None:
            raise Unavailable(f"model loading failed: {warmup.exception()}")
        if not tokens.is_loaded():
            raise Unavailable("the Korean tokenizer is still loading")
        if settings.embeddings in LOCAL_EMBEDDINGS and not models_loaded():
            raise Unavailable("the embedding model is still loading")

    async def chroma_ready() -> None:
        service = service_of(app, RagService)
        if service is None:
            raise Unavailable("not started")
        await run_blocking(service.vectors.heartbeat, timeout=3, pool="rag-query", what="Chroma heartbeat")

    app = create_service_app(
        name="rag",
        title="FinScribe RAG service",
        description="Per-user Chroma collections of uploaded PDFs with hybrid (dense + BM25) search.",
        settings=settings,
        routers=[router],
        readiness={"models": models_ready, "chroma": chroma_ready},
        lifespan=lifespan,
        internal=True,
    )
    return app
