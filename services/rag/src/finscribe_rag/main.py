"""App factory for the rag service (`finscribe serve rag`)."""

from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(
        name="rag",
        title="FinScribe RAG service",
        description="Per-user Chroma collections of uploaded PDFs with hybrid search.",
        settings=settings or ServiceSettings(),
        internal=True,
    )
