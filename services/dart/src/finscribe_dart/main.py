"""App factory for the dart service (`finscribe serve dart`)."""

import asyncio
import contextlib
import logging
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from finscribe_common import upstream_override
from finscribe_common.app_factory import create_service_app
from finscribe_common.shared_state import SharedState
from finscribe_dart.config import DartSettings
from finscribe_dart.corp_store import CorpStore
from finscribe_dart.endpoints import router
from finscribe_dart.service import DartService
from finscribe_dart.upstream import DartUpstream

logger = logging.getLogger("finscribe.dart")

DESCRIPTION = """Open DART through dart-fss: corp lookup, filings, financial statements and key metrics.

Every data payload carries `source` (provider DART, dataset, the DART viewer URL of the
filing when known, as_of, retrieved_at). Without `DART_API_KEY` the data routes answer
503 `not_configured`. Requests are counted against the key's daily quota
(`DART_DAILY_LIMIT`) and refused with 429 before Open DART would refuse them."""


async def _preload(corps: CorpStore) -> None:
    """Load the corp list at startup so the first resolve does not wait for it."""
    try:
        await corps.get()
    except Exception as exc:  # the first request retries and reports the error properly
        logger.warning("corp list preload failed: %s", exc)


def create_app(settings: DartSettings | None = None) -> FastAPI:
    settings = settings or DartSettings()
    upstream_override.install_from_env()
    # urllib3 logs each request line at DEBUG, query string (and so the API key) included
    level = logging.getLevelNamesMapping().get(settings.log_level.upper(), logging.INFO)
    logging.getLogger("urllib3.connectionpool").setLevel(max(logging.INFO, level))
    shared = SharedState.from_settings(settings)
    upstream = DartUpstream(settings, shared)
    corps = CorpStore(settings, upstream)
    service = DartService(settings, upstream, corps)

    async def cache_dir_writable() -> None:
        directory = settings.cache_dir
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".ready-"):
            pass
        if not os.access(directory, os.W_OK):
            raise RuntimeError(f"{directory} is not writable")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        preload: asyncio.Task[None] | None = None
        if settings.dart_preload_corp_codes and (upstream.configured or corps.path.exists()):
            preload = asyncio.create_task(_preload(corps))
        try:
            yield
        finally:
            if preload is not None and not preload.done():
                preload.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await preload
            await corps.aclose()

    app = create_service_app(
        name="dart",
        title="FinScribe DART service",
        description=DESCRIPTION,
        settings=settings,
        routers=[router],
        readiness={"cache_dir": cache_dir_writable},
        lifespan=lifespan,
        internal=True,
        shared=shared,
        service=service,
    )
    return app
