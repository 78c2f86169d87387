"""App factory for the orchestrator service (`finscribe serve orchestrator`)."""

from collections.abc import Mapping

import httpx
from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceUrls
from finscribe_orchestrator.config import OrchestratorSettings
from finscribe_orchestrator.endpoints import router


def create_app(
    settings: OrchestratorSettings | None = None,
    *,
    urls: ServiceUrls | None = None,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    keepalive_s: float = 15.0,
) -> FastAPI:
    """`transports` (tests, benchmarks) routes a service name (krx, dart, yahoo, rag, gateway, llm) in-process."""
    app = create_service_app(
        name="orchestrator",
        title="FinScribe orchestrator",
        description="LangGraph graphs for the five run kinds; streams run events.",
        settings=settings or OrchestratorSettings(),
        routers=[router],
        internal=True,
    )
    app.state.urls = urls or ServiceUrls()
    app.state.transports = dict(transports or {})
    app.state.keepalive_s = keepalive_s
    return app
