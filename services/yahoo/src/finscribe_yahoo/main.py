"""App factory for the yahoo service (`finscribe serve yahoo`)."""

from typing import Any

from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.shared_state import SharedState
from finscribe_yahoo.config import YahooSettings
from finscribe_yahoo.endpoints import router
from finscribe_yahoo.service import YahooService
from finscribe_yahoo.upstream import YahooUpstream


def create_app(settings: YahooSettings | None = None, *, session: Any | None = None) -> FastAPI:
    """`session`: a requests.Session for tests (default: built from YAHOO_HTTP_CLIENT)."""
    settings = settings or YahooSettings()
    shared = SharedState.from_settings(settings)
    upstream = YahooUpstream(settings, session=session, shared=shared)
    return create_service_app(
        name="yahoo",
        title="FinScribe Yahoo Finance service",
        description=(
            "Quotes, history, FX and global indices through yfinance. Every payload carries its "
            "`source` (Yahoo Finance, dataset, quote page, as-of date). Example values in these "
            "docs come from the recorded 2024 data, except the FX rate, which is illustrative."
        ),
        settings=settings,
        routers=[router],
        internal=True,
        shared=shared,
        service=YahooService(settings, upstream),
    )
