"""Build a FinScribe FastAPI app with the kit installed: logging, request ids, error
envelope, health endpoints and (for internal services) the internal-token guard."""

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI

from finscribe_common.body_guard import BodyGuardMiddleware
from finscribe_common.deps import set_service
from finscribe_common.errors import install_error_handlers
from finscribe_common.health import ReadinessCheck, health_router
from finscribe_common.logging import configure_logging
from finscribe_common.middleware import InternalTokenMiddleware, RequestContextMiddleware
from finscribe_common.openapi import document_errors
from finscribe_common.settings import ServiceSettings, is_loopback, resolve_internal_token
from finscribe_common.shared_state import SharedState
from finscribe_common.text import SafeJSONResponse

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_service_app(
    *,
    name: str,
    title: str,
    description: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter] = (),
    readiness: Mapping[str, ReadinessCheck] | None = None,
    lifespan: Lifespan | None = None,
    internal: bool = True,
    version: str = "0.1.0",
    configure_logs: bool = True,
    shared: SharedState | None = None,
    service: object | None = None,
) -> FastAPI:
    """`shared`: the service's Redis state; adds the `shared_state` readiness check (a Redis
    outage reads as degraded, never as not ready) and closes its connections on shutdown.

    `settings` and `service` are what routes get through `finscribe_common.deps`
    (`settings_dependency`, `service_dependency`); a service built in the lifespan is stored
    there with `deps.set_service` instead of `service=`."""
    if settings.demo and not is_loopback(settings.bind_host):
        # demo data must never be served as if it were live: demo mode stays on this machine
        raise RuntimeError(
            f"FINSCRIBE_DEMO serves recorded data and binds loopback only; refusing {settings.bind_host}"
        )
    if configure_logs:
        configure_logging(name, settings.log_level)

    @asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            if lifespan is None:
                yield
            else:
                async with lifespan(app):
                    yield
        finally:
            if shared is not None:
                await shared.aclose()

    # SafeJSONResponse: a row stored with a lone surrogate (before the body guard) still reads
    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=_lifespan,
        default_response_class=SafeJSONResponse,
    )
    app.state.settings = settings
    set_service(app, service)
    app.state.shared = shared
    install_error_handlers(app)
    checks = dict(readiness or {})
    if shared is not None:
        checks["shared_state"] = shared.readiness
    app.include_router(health_router(checks))
    for router in routers:
        app.include_router(router)
    app.openapi = document_errors(app)  # type: ignore[method-assign]
    # inside the token guard: an unauthenticated caller cannot make us buffer a body
    app.add_middleware(
        BodyGuardMiddleware,
        idle_timeout_s=settings.body_idle_timeout_s,
        max_json_bytes=settings.max_json_bytes,
        max_json_depth=settings.max_json_depth,
    )
    if internal:
        app.add_middleware(InternalTokenMiddleware, token=resolve_internal_token(settings))
    # added last, so it is the outermost: even the token guard's 401 carries a request id
    app.add_middleware(RequestContextMiddleware)
    return app
