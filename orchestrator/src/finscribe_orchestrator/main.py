"""App factory for the orchestrator service (`finscribe serve orchestrator`)."""

from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(
        name="orchestrator",
        title="FinScribe orchestrator",
        description="LangGraph graphs for the five run kinds; streams run events.",
        settings=settings or ServiceSettings(),
        internal=True,
    )
