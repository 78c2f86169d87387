from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
import pytest
import responses

from finscribe_dart.config import DartSettings
from finscribe_dart.main import create_app
from finscribe_testkit.dart import DartReplayCounter, register_dart_replay, test_settings

TOKEN = "test-internal-token"

OpenClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def settings(tmp_path: Path) -> DartSettings:
    return test_settings(data_dir=tmp_path, internal_token=TOKEN)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def replay(rsps: responses.RequestsMock) -> DartReplayCounter:
    return register_dart_replay(rsps)


@asynccontextmanager
async def _open(settings: DartSettings, token: str | None = TOKEN) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    headers = {"X-Internal-Token": token} if token else {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://dart", headers=headers) as http:
            http.app = app  # type: ignore[attr-defined]
            yield http


@pytest.fixture
def open_client() -> OpenClient:
    """`async with open_client(settings) as http:` an in-process client of a fresh app."""
    return _open


@pytest.fixture
async def client(settings: DartSettings, replay: DartReplayCounter) -> AsyncIterator[httpx.AsyncClient]:
    async with _open(settings) as http:
        yield http
