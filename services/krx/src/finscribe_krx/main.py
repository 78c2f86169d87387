"""App factory for the krx service (`finscribe serve krx`)."""

from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(
        name="krx",
        title="FinScribe KRX service",
        description="KRX market data through pykrx.",
        settings=settings or ServiceSettings(),
        internal=True,
    )
