from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import responses

from finscribe_krx.main import create_app
from finscribe_testkit.krx import TEST_INTERNAL_TOKEN, KrxReplay, register_krx_replay, test_settings

OpenClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def replay(rsps: responses.RequestsMock) -> KrxReplay:
    return register_krx_replay(rsps)


@pytest.fixture
def open_client(tmp_path: Path) -> OpenClient:
    """`async with open_client(**settings_overrides) as http:` a krx app in-process."""

    @asynccontextmanager
    async def _open(token: str | None = TEST_INTERNAL_TOKEN, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(test_settings(data_dir=tmp_path, **overrides))
        headers = {"X-Internal-Token": token} if token else {}
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://krx", headers=headers) as http:
                http.app = app  # type: ignore[attr-defined]  # lets tests reach app.state
                yield http

    return _open


@pytest.fixture
async def client(open_client: OpenClient, replay: KrxReplay) -> AsyncIterator[httpx.AsyncClient]:
    async with open_client() as http:
        yield http
