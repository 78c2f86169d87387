"""App factory for the orchestrator service (`finscribe serve orchestrator`)."""

from collections.abc import Mapping

import httpx
from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceUrls, resolve_internal_token
from finscribe_orchestrator.charts.fonts import korean_font
from finscribe_orchestrator.companies import router as companies_router
from finscribe_orchestrator.config import OrchestratorSettings
from finscribe_orchestrator.deps import OrchestratorState
from finscribe_orchestrator.durable.checkpoints import Checkpoints, default_checkpoint_url
from finscribe_orchestrator.endpoints import router
from finscribe_orchestrator.graphs.registry import graphs


def create_app(
    settings: OrchestratorSettings | None = None,
    *,
    urls: ServiceUrls | None = None,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    keepalive_s: float = 15.0,
) -> FastAPI:
    """`transports` (tests, benchmarks) routes a service name (krx, dart, yahoo, rag, gateway, llm) in-process."""
    settings = settings or OrchestratorSettings()

    async def graphs_compiled() -> None:
        graphs()

    async def chart_font() -> None:
        # without a Hangul font every Korean chart label is a row of empty boxes: a deployment error
        if korean_font(settings.chart_font) is None:
            raise RuntimeError("no Korean font for charts: install fonts-nanum or set ORCH_CHART_FONT")

    checkpoints = Checkpoints(settings.checkpoint_url or default_checkpoint_url(settings.data_dir))
    state = OrchestratorState(
        urls=urls or ServiceUrls(),
        internal_token=resolve_internal_token(settings),
        checkpoints=checkpoints,
        keepalive_s=keepalive_s,
        transports=dict(transports or {}),
    )
    app = create_service_app(
        name="orchestrator",
        title="FinScribe orchestrator",
        description="LangGraph graphs for the five run kinds; streams run events.",
        settings=settings,
        routers=[router, companies_router],
        readiness={"graphs": graphs_compiled, "chart_font": chart_font},
        internal=True,
        service=state,
    )
    # draft runs are checkpointed (outline review, resuming after a crash): closed at shutdown
    app.router.add_event_handler("shutdown", checkpoints.aclose)
    return app
