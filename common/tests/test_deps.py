"""The kit's typed dependencies: settings and service handed out from the one app-state slot."""

from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.deps import (
    clear_service,
    service_dependency,
    service_of,
    set_service,
    settings_dependency,
)
from finscribe_common.settings import ServiceSettings


class Counter:
    def __init__(self) -> None:
        self.calls = 0


class OtherSettings(ServiceSettings):
    pass


def _app(service: object | None) -> FastAPI:
    app = create_service_app(
        name="t",
        title="t",
        description="t",
        settings=ServiceSettings(),
        internal=False,
        configure_logs=False,
        service=service,
    )

    @app.get("/count")
    async def count(counter: Annotated[Counter, Depends(service_dependency(Counter))]) -> dict[str, int]:
        counter.calls += 1
        return {"calls": counter.calls}

    @app.get("/level")
    async def level(settings: Annotated[ServiceSettings, Depends(settings_dependency(ServiceSettings))]) -> str:
        return settings.log_level

    @app.get("/other")
    async def other(settings: Annotated[OtherSettings, Depends(settings_dependency(OtherSettings))]) -> str:
        return settings.log_level

    return app


async def _get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path)


async def test_the_stored_service_and_settings_reach_the_route() -> None:
    counter = Counter()
    app = _app(counter)
    assert (await _get(app, "/count")).json() == {"calls": 1}
    assert counter.calls == 1
    assert (await _get(app, "/level")).json() == "INFO"
    assert service_of(app, Counter) is counter


async def test_a_service_stored_by_the_lifespan_is_handed_out_and_forgotten_at_shutdown() -> None:
    app = _app(None)
    assert service_of(app, Counter) is None
    answer = await _get(app, "/count")
    # not started: a server error in the kit's envelope, never a client error
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal_error"
    counter = Counter()
    set_service(app, counter)
    assert (await _get(app, "/count")).json() == {"calls": 1}
    clear_service(app)
    assert service_of(app, Counter) is None


async def test_a_service_or_settings_of_another_type_is_a_wiring_error() -> None:
    app = _app(object())
    with pytest.raises(TypeError, match="not a Counter"):
        service_of(app, Counter)
    assert (await _get(app, "/count")).status_code == 500
    # the app holds plain ServiceSettings, a route asking for a subclass must not get them
    assert (await _get(app, "/other")).status_code == 500
