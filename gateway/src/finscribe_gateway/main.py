"""App factory for the gateway service (`finscribe serve gateway`)."""

import functools
import logging
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from finscribe_common.app_factory import create_service_app
from finscribe_common.http_client import build_client
from finscribe_common.settings import ServiceUrls, is_loopback, resolve_internal_token
from finscribe_common.shared_state import SharedState
from finscribe_gateway.auth.dev import DevAuthenticator
from finscribe_gateway.auth.google import GoogleAuthenticator
from finscribe_gateway.auth.jwks import JwksCache
from finscribe_gateway.auth.schemas import Authenticator
from finscribe_gateway.body_limit import BodyLimitMiddleware
from finscribe_gateway.charts.endpoints import router as charts_router
from finscribe_gateway.charts.service import ChartStore
from finscribe_gateway.companies.endpoints import router as companies_router
from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.db.engine import create_engine
from finscribe_gateway.db.migrate import upgrade
from finscribe_gateway.files.endpoints import router as files_router
from finscribe_gateway.files.rag_client import RagClient
from finscribe_gateway.files.reconcile import RagReconciler, every
from finscribe_gateway.files.service import FileService
from finscribe_gateway.files.storage import FileStorage
from finscribe_gateway.internal.endpoints import router as internal_router
from finscribe_gateway.runs.endpoints import router as runs_router
from finscribe_gateway.runs.event_log import RunEventLog
from finscribe_gateway.runs.manager import RunManager
from finscribe_gateway.runs.service import RunService
from finscribe_gateway.sessions.endpoints import router as sessions_router
from finscribe_gateway.sessions.service import SessionService
from finscribe_gateway.state import GatewayState
from finscribe_gateway.tasks import TaskGroup
from finscribe_gateway.templates.endpoints import router as templates_router
from finscribe_gateway.templates.service import TemplateService
from finscribe_gateway.users.endpoints import router as users_router
from finscribe_gateway.users.service import UserService

DESCRIPTION = """The public API: Google sign-in, sessions, files, runs, charts.

Authenticate with `Authorization: Bearer <Google ID token or access token>`
(`Bearer dev:<email>` when AUTH_MODE=dev on a loopback bind)."""


logger = logging.getLogger("finscribe.gateway")

DEV_EXTENSION_ORIGINS = r"^chrome-extension://[a-p]{32}$"


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # loading the CA bundle takes ~60 ms; once per process, not once per client
    return ssl.create_default_context()


def _transport() -> httpx.AsyncHTTPTransport:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    return httpx.AsyncHTTPTransport(verify=_ssl_context(), limits=limits)


def check_settings(settings: GatewaySettings) -> None:
    if settings.auth_mode == "dev" and not is_loopback(settings.bind_host):
        raise RuntimeError(
            f"AUTH_MODE=dev accepts unsigned tokens and is for local use only; refusing to bind {settings.bind_host}"
        )


def create_app(settings: GatewaySettings | None = None, *, urls: ServiceUrls | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    check_settings(settings)
    urls = urls or ServiceUrls()
    internal_token = resolve_internal_token(settings)
    # run events for re-attaching on any replica (REDIS_URL); closed by the app factory
    shared = SharedState.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.resolved_database_url)
        await upgrade(engine)
        tasks = TaskGroup()
        google_client = build_client(timeout=settings.http_timeout_s, transport=_transport())
        orchestrator = build_client(
            base_url=urls.orchestrator,
            internal_token=internal_token,
            timeout=settings.http_timeout_s,
            transport=_transport(),
        )
        rag_http = build_client(
            base_url=urls.rag, internal_token=internal_token, timeout=settings.http_timeout_s, transport=_transport()
        )
        storage = FileStorage(settings.resolved_files_dir)
        storage.ensure()
        authenticator: Authenticator
        if settings.auth_mode == "dev":
            authenticator = DevAuthenticator()
        else:
            jwks = JwksCache(
                settings.google_jwks_url,
                google_client,
                refetch_min_interval_s=settings.jwks_refetch_min_interval_s,
            )
            authenticator = GoogleAuthenticator(
                client_ids=settings.google_client_ids,
                jwks=jwks,
                tokeninfo_url=settings.google_tokeninfo_url,
                client=google_client,
            )
        rag = RagClient(rag_http, ingest_timeout_s=settings.rag_ingest_timeout_s)
        charts = ChartStore(
            engine,
            public_base_url=settings.public_base_url,
            ttl_s=settings.chart_url_ttl,
            max_bytes=settings.max_chart_bytes,
        )
        run_events = RunEventLog(shared, retention_s=settings.run_events_retention_s, block_s=settings.run_heartbeat_s)
        runs = RunManager(
            engine=engine,
            orchestrator=orchestrator,
            charts=charts,
            settings=settings,
            tasks=tasks,
            events=run_events,
        )
        app.state.gateway = GatewayState(
            settings=settings,
            engine=engine,
            authenticator=authenticator,
            users=UserService(engine),
            rag=rag,
            orchestrator=orchestrator,
            runs=runs,
            tasks=tasks,
            internal_token=internal_token,
            file_storage=storage,
            run_events=run_events,
        )
        app.state.session_service = SessionService(engine=engine, rag=rag, storage=storage)
        app.state.file_service = FileService(engine=engine, storage=storage, rag=rag, settings=settings, tasks=tasks)
        reconciler = RagReconciler(
            engine=engine,
            rag=rag,
            ingest_timeout_s=settings.rag_ingest_timeout_s,
            indexing_here=lambda: app.state.file_service.indexing,
        )
        # before serving: files a killed process left `pending` show what rag really holds
        try:
            await reconciler.reconcile_pending()
        except Exception:
            logger.exception("reconciling pending files with rag failed; the maintenance loop retries")
        runs.add_maintenance(reconciler.reconcile_pending)
        runs.add_maintenance(every(settings.rag_sweep_s, reconciler.sweep_orphans))
        app.state.template_service = TemplateService(engine)
        app.state.run_service = RunService(
            engine=engine,
            manager=runs,
            settings=settings,
            gateway_url=urls.gateway,
            templates=app.state.template_service,
        )
        await runs.startup()
        try:
            yield
        finally:
            await runs.shutdown(settings.shutdown_grace_s)
            await tasks.close(settings.shutdown_grace_s)
            for client in (google_client, orchestrator, rag_http):
                await client.aclose()
            await run_events.aclose()
            await engine.dispose()

    async def database_ready() -> None:
        state = getattr(app.state, "gateway", None)
        if state is None:
            raise RuntimeError("not started")
        async with state.engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))

    async def auth_ready() -> None:
        if settings.auth_mode == "google" and not settings.google_client_ids:
            raise RuntimeError("GOOGLE_CLIENT_IDS is not set")

    app = create_service_app(
        name="gateway",
        title="FinScribe gateway",
        description=DESCRIPTION,
        settings=settings,
        routers=[
            users_router,
            sessions_router,
            files_router,
            runs_router,
            templates_router,
            companies_router,
            charts_router,
            internal_router,
        ],
        readiness={"database": database_ready, "auth": auth_ready},
        lifespan=lifespan,
        internal=False,
        shared=shared,
    )
    # right inside the request-id middleware (so its 413 carries the id) and outside the
    # kit's body guard, so an oversized body is refused before anything buffers it whole
    app.user_middleware.insert(1, Middleware(BodyLimitMiddleware, max_bytes=settings.max_json_body_kb * 1024))
    # outermost: error answers need CORS headers too, or the extension only sees a network error
    # dev mode (loopback only) without ALLOWED_ORIGINS: any unpacked extension may call,
    # since an unpacked extension's id differs per machine
    dev_origins = DEV_EXTENSION_ORIGINS if settings.auth_mode == "dev" and not settings.allowed_origins else None
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_origin_regex=dev_origins,
        allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Accept", "X-Request-ID", "Last-Event-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
        max_age=600,
    )
    return app
