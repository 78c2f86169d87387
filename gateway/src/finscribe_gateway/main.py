"""App factory for the gateway service (`finscribe serve gateway`)."""

from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(
        name="gateway",
        title="FinScribe gateway",
        description="The public API: Google sign-in, sessions, files, runs, charts.",
        settings=settings or ServiceSettings(),
        internal=False,
    )
