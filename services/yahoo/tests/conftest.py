"""Shared fixtures: the app in-process (httpx.ASGITransport) with Yahoo replayed by `responses`."""

import csv
import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import responses

from finscribe_testkit.yahoo import TEST_INTERNAL_TOKEN, YahooCallCounter, handle, register_yahoo_replay, test_settings
from finscribe_yahoo.config import YahooSettings
from finscribe_yahoo.main import create_app
from finscribe_yahoo.service import YahooService
from finscribe_yahoo.upstream import clear_library_cache


class Switchable:
    """A replay handler a test can swap mid-test (to inject a fault, then recover)."""

    def __init__(self) -> None:
        self.handler: Callable[..., Any] = handle

    def __call__(self, method: str, url: str, params: Any, body: Any) -> Any:
        return self.handler(method, url, params, body)


@pytest.fixture(autouse=True)
def _fresh_library_cache() -> Iterator[None]:
    # yfinance keeps whole HTTP responses in a process-wide lru_cache; tests count upstream calls
    clear_library_cache()
    yield
    clear_library_cache()


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def upstream(rsps: responses.RequestsMock) -> Switchable:
    return Switchable()


@pytest.fixture
def counter(rsps: responses.RequestsMock, upstream: Switchable) -> YahooCallCounter:
    return register_yahoo_replay(rsps, handler=upstream)


@pytest.fixture
def settings() -> YahooSettings:
    return test_settings()


@pytest.fixture
async def client(settings: YahooSettings, counter: YahooCallCounter) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://yahoo.test",
        headers={"X-Internal-Token": TEST_INTERNAL_TOKEN},
    ) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http


@pytest.fixture
def service(client: httpx.AsyncClient) -> YahooService:
    return client.app.state.service  # type: ignore[attr-defined]


def read_recorded(path: Path, column: str) -> dict[dt.date, float]:
    """The recorded CSV read directly (independently of the replay code under test)."""
    out: dict[dt.date, float] = {}
    with path.open(newline="", encoding="utf-8") as handle_:
        for row in csv.DictReader(handle_):
            if row[column].strip():
                out[dt.date.fromisoformat(row["Date"])] = float(row[column])
    return out


@pytest.fixture(scope="session")
def samsung_closes(fixtures_dir: Path) -> dict[dt.date, float]:
    return read_recorded(fixtures_dir / "yahoo_005930.KS_close_2024.csv", "005930")


@pytest.fixture(scope="session")
def us_closes(fixtures_dir: Path) -> Callable[[str], dict[dt.date, float]]:
    return lambda column: read_recorded(fixtures_dir / "yahoo_us_close_2020_2024.csv", column)
