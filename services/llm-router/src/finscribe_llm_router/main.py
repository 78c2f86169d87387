"""App factory for the llm-router service (`finscribe serve llm-router`)."""

from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(
        name="llm-router",
        title="FinScribe LLM router",
        description="One OpenAI-compatible endpoint over RunPod, OpenAI and local servers.",
        settings=settings or ServiceSettings(),
        internal=True,
    )
