"""App factory for the yahoo service (`finscribe serve yahoo`)."""

from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(
        name="yahoo",
        title="FinScribe Yahoo Finance service",
        description="Quotes, history, FX and global indices through yfinance.",
        settings=settings or ServiceSettings(),
        internal=True,
    )
