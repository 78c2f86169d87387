"""App factory for the gateway service (`finscribe serve gateway`)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from finscribe_common.app_factory import create_service_app
from finscribe_common.deps import clear_service, service_of, set_service
from finscribe_common.settings import ServiceUrls, is_loopback, resolve_internal_token
from finscribe_common.shared_state import SharedState
from finscribe_gateway.body_limit import BodyLimitMiddleware
from finscribe_gateway.charts.endpoints import router as charts_router
from finscribe_gateway.companies.endpoints import router as companies_router
from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.files.endpoints import router as files_router
from finscribe_gateway.internal.endpoints import router as internal_router
from finscribe_gateway.runs.endpoints import router as runs_router
from finscribe_gateway.sessions.endpoints import router as sessions_router
from finscribe_gateway.state import GatewayState
from finscribe_gateway.templates.endpoints import router as templates_router
from finscribe_gateway.users.endpoints import router as users_router
from finscribe_gateway.wiring import close_state, open_state

DESCRIPTION = """The public API: Google sign-in, sessions, files, runs, charts.

Authenticate with `Authorization: Bearer <Google ID token or access token>`
(`Bearer dev:<email>` when AUTH_MODE=dev on a loopback bind)."""

DEV_EXTENSION_ORIGINS = r"^chrome-extension://[a-p]{32}$"


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
        state = await open_state(settings, urls=urls, internal_token=internal_token, shared=shared)
        set_service(app, state)
        try:
            yield
        finally:
            clear_service(app)
            await close_state(state)

    async def database_ready() -> None:
        state = service_of(app, GatewayState)
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
    _add_edge_middleware(app, settings)
    return app


def _add_edge_middleware(app: FastAPI, settings: GatewaySettings) -> None:
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
