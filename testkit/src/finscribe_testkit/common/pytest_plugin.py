"""pytest plugin loaded for every FinScribe test run.

- `fixtures_dir`: the real recorded upstream data.
- `mysql_server_url` / `mysql_url`: a real MySQL (see common.mysql); tests using it are
  marked `mysql`.
- `redis_url` / `shared_state`: a real Redis (see common.redis), one key prefix per test.
- With FINSCRIBE_REQUIRE_ALL=1 (set by .ci/run), a skip of a test marked `mysql` or
  `browser` is a failure: CI must really run them.
"""

import os
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy
import pytest

from finscribe_testkit.common.fixtures import fixtures_dir as _fixtures_dir
from finscribe_testkit.common.mysql import MySQLUnavailable, mysql_server, scratch_database

if TYPE_CHECKING:
    from finscribe_common.shared_state import SharedState

MUST_RUN_MARKERS = ("mysql", "browser")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "mysql: needs a real MySQL/MariaDB server")
    config.addinivalue_line("markers", "browser: drives real headless Chromium")
    config.addinivalue_line("markers", "fullstack: starts the whole system as real processes")
    config.addinivalue_line("markers", "slow: takes more than a few seconds")


def _require_all() -> bool:
    return os.environ.get("FINSCRIBE_REQUIRE_ALL", "") not in ("", "0", "false")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _require_all() and any(item.get_closest_marker(m) for m in MUST_RUN_MARKERS):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"skipped under FINSCRIBE_REQUIRE_ALL=1, which CI forbids: {reason}"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return _fixtures_dir()


@pytest.fixture(scope="session")
def mysql_server_url() -> Iterator[str]:
    try:
        with mysql_server() as url:
            yield url
    except MySQLUnavailable as exc:
        pytest.skip(f"no MySQL available: {exc}")


@pytest.fixture
def mysql_url(mysql_server_url: str) -> Iterator[str]:
    """A fresh empty database for one test."""
    with scratch_database(mysql_server_url) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis (the machine's, else a private redis-server); skips when neither exists."""
    from finscribe_testkit.common.redis import RedisUnavailable, redis_server

    try:
        with redis_server() as url:
            yield url
    except RedisUnavailable as exc:
        # CI (FINSCRIBE_REQUIRE_ALL=1) must not pass with the shared-state tests skipped
        if _require_all():
            pytest.fail(f"no Redis available, which FINSCRIBE_REQUIRE_ALL forbids: {exc}")
        pytest.skip(f"no Redis available: {exc}")


@pytest.fixture
async def shared_state(redis_url: str) -> "AsyncIterator[SharedState]":
    """A SharedState on the real Redis with a key prefix of its own; its keys are removed after."""
    from finscribe_common.shared_state import SharedState
    from finscribe_testkit.common.redis import test_prefix

    state = SharedState(redis_url, prefix=test_prefix())
    try:
        yield state
    finally:
        assert state.client is not None
        keys = [k async for k in state.client.scan_iter(match=f"{state.prefix}:*")]
        if keys:
            await state.client.delete(*keys)
        await state.aclose()
