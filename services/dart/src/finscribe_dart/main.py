"""App factory for the dart service (`finscribe serve dart`)."""

from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(
        name="dart",
        title="FinScribe DART service",
        description="Open DART corp lookup, filings and financial statements through dart-fss.",
        settings=settings or ServiceSettings(),
        internal=True,
    )
