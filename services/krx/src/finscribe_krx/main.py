"""App factory for the krx service (`finscribe serve krx`)."""

from fastapi import FastAPI

from finscribe_common import upstream_override
from finscribe_common.app_factory import create_service_app
from finscribe_common.errors import NotConfigured
from finscribe_common.shared_state import SharedState
from finscribe_krx import calendar
from finscribe_krx.config import KrxSettings
from finscribe_krx.endpoints import router
from finscribe_krx.service import KrxService
from finscribe_krx.upstream import NOT_CONFIGURED_MESSAGE


def create_app(settings: KrxSettings | None = None, service: KrxService | None = None) -> FastAPI:
    settings = settings or KrxSettings()
    # staging and the full-stack tests point pykrx's hard-coded data.krx.co.kr elsewhere
    upstream_override.install_from_env()
    shared = service.upstream.shared if service is not None else SharedState.from_settings(settings)
    krx = service or KrxService(settings, shared=shared)

    async def credentials() -> None:
        # no network probe: readiness checks must not spend KRX's patience
        if settings.credentials is None:
            raise NotConfigured(NOT_CONFIGURED_MESSAGE)

    async def trading_calendar() -> str | None:
        # degraded, not down: without this year's closures every weekday counts as a trading day
        return calendar.calendar_note(calendar.today_kst())

    app = create_service_app(
        name="krx",
        title="FinScribe KRX service",
        description=(
            "KRX market data through pykrx: ticker lookup (names, codes, aliases, misspelled Korean), "
            "stock OHLCV, market cap, fundamentals and index series. Every answer carries its `source`. "
            "Needs KRX_ID/KRX_PW (KRX requires a login since 2025); without them data routes answer 503."
        ),
        settings=settings,
        routers=[router],
        readiness={"krx_credentials": credentials, "krx_calendar": trading_calendar},
        internal=True,
        shared=shared,
        service=krx,
    )
    return app
