"""Build the gateway's process-wide state (`open_state`) and take it down (`close_state`)."""

import functools
import logging
import ssl

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from finscribe_common.http_client import build_client
from finscribe_common.settings import ServiceUrls
from finscribe_common.shared_state import SharedState
from finscribe_gateway.auth.dev import DevAuthenticator
from finscribe_gateway.auth.google import GoogleAuthenticator
from finscribe_gateway.auth.jwks import JwksCache
from finscribe_gateway.auth.schemas import Authenticator
from finscribe_gateway.charts.service import ChartStore
from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.db.engine import create_engine
from finscribe_gateway.db.migrate import upgrade
from finscribe_gateway.files.rag_client import RagIndexClient
from finscribe_gateway.files.reconcile import RagReconciler, every
from finscribe_gateway.files.service import FileService
from finscribe_gateway.files.storage import FileStorage
from finscribe_gateway.runs.event_log import RunEventLog
from finscribe_gateway.runs.manager import RunManager
from finscribe_gateway.runs.service import RunService
from finscribe_gateway.sessions.service import SessionService
from finscribe_gateway.state import GatewayState
from finscribe_gateway.tasks import DetachedTasks
from finscribe_gateway.templates.service import TemplateService
from finscribe_gateway.users.service import UserService

logger = logging.getLogger("finscribe.gateway")


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # loading the CA bundle takes ~60 ms; once per process, not once per client
    return ssl.create_default_context()


def _transport() -> httpx.AsyncHTTPTransport:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    return httpx.AsyncHTTPTransport(verify=_ssl_context(), limits=limits)


def _authenticator(settings: GatewaySettings, google_client: httpx.AsyncClient) -> Authenticator:
    if settings.auth_mode == "dev":
        return DevAuthenticator()
    jwks = JwksCache(
        settings.google_jwks_url, google_client, refetch_min_interval_s=settings.jwks_refetch_min_interval_s
    )
    return GoogleAuthenticator(
        client_ids=settings.google_client_ids,
        jwks=jwks,
        tokeninfo_url=settings.google_tokeninfo_url,
        client=google_client,
    )


async def _reconcile_files(engine: AsyncEngine, rag: RagIndexClient, files: FileService, runs: RunManager) -> None:
    """Files a killed process left `pending` show what rag really holds, before serving; then
    the run manager's maintenance loop keeps reconciling and sweeps orphaned collections."""
    settings = files.settings
    reconciler = RagReconciler(
        engine=engine, rag=rag, ingest_timeout_s=settings.rag_ingest_timeout_s, indexing_here=lambda: files.indexing
    )
    try:
        await reconciler.reconcile_pending()
    except Exception:
        logger.exception("reconciling pending files with rag failed; the maintenance loop retries")
    runs.add_maintenance(reconciler.reconcile_pending)
    runs.add_maintenance(every(settings.rag_sweep_s, reconciler.sweep_orphans))


async def open_state(
    settings: GatewaySettings, *, urls: ServiceUrls, internal_token: str, shared: SharedState
) -> GatewayState:
    """Migrate the database, open the outbound clients, build the services, start the run manager.

    `shared` (Redis or in-process) stays the app factory's to close."""
    engine = create_engine(settings.resolved_database_url)
    await upgrade(engine)
    tasks = DetachedTasks()
    timeout = settings.http_timeout_s
    google_client = build_client(timeout=timeout, transport=_transport())
    orchestrator = build_client(
        base_url=urls.orchestrator, internal_token=internal_token, timeout=timeout, transport=_transport()
    )
    rag_http = build_client(base_url=urls.rag, internal_token=internal_token, timeout=timeout, transport=_transport())
    storage = FileStorage(settings.resolved_files_dir)
    storage.ensure()
    rag = RagIndexClient(rag_http, ingest_timeout_s=settings.rag_ingest_timeout_s)
    charts = ChartStore(
        engine,
        public_base_url=settings.public_base_url,
        ttl_s=settings.chart_url_ttl,
        max_bytes=settings.max_chart_bytes,
    )
    run_events = RunEventLog(shared, retention_s=settings.run_events_retention_s, block_s=settings.run_heartbeat_s)
    runs = RunManager(
        engine=engine, orchestrator=orchestrator, charts=charts, settings=settings, tasks=tasks, events=run_events
    )
    files = FileService(engine=engine, storage=storage, rag=rag, settings=settings, tasks=tasks)
    templates = TemplateService(engine)
    state = GatewayState(
        settings=settings,
        engine=engine,
        authenticator=_authenticator(settings, google_client),
        users=UserService(engine),
        rag=rag,
        orchestrator=orchestrator,
        runs=runs,
        tasks=tasks,
        internal_token=internal_token,
        file_storage=storage,
        run_events=run_events,
        session_service=SessionService(engine=engine, rag=rag, storage=storage),
        file_service=files,
        template_service=templates,
        run_service=RunService(
            engine=engine, manager=runs, settings=settings, gateway_url=urls.gateway, templates=templates
        ),
        http_clients=(google_client, orchestrator, rag_http),
    )
    await _reconcile_files(engine, rag, files, runs)
    await runs.startup()
    return state


async def close_state(state: GatewayState) -> None:
    """Let running runs and background work finish within SHUTDOWN_GRACE_S, then close everything."""
    grace_s = state.settings.shutdown_grace_s
    await state.runs.shutdown(grace_s)
    await state.tasks.close(grace_s)
    for client in state.http_clients:
        await client.aclose()
    await state.run_events.aclose()
    await state.engine.dispose()
