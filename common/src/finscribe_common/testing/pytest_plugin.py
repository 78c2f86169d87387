"""pytest plugin loaded for every FinScribe test run.

- `fixtures_dir`: the real recorded upstream data.
- `mysql_server_url` / `mysql_url`: a real MySQL (see testing.mysql); tests using it are
  marked `mysql`.
- With FINSCRIBE_REQUIRE_ALL=1 (set by .ci/run), a skip of a test marked `mysql` or
  `browser` is a failure: CI must really run them.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from finscribe_common.testing.fixtures import fixtures_dir as _fixtures_dir
from finscribe_common.testing.mysql import MySQLUnavailable, mysql_server, scratch_database

MUST_RUN_MARKERS = ("mysql", "browser")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "mysql: needs a real MySQL/MariaDB server")
    config.addinivalue_line("markers", "browser: drives real headless Chromium")
    config.addinivalue_line("markers", "fullstack: starts the whole system as real processes")
    config.addinivalue_line("markers", "slow: takes more than a few seconds")


def _require_all() -> bool:
    return os.environ.get("FINSCRIBE_REQUIRE_ALL", "") not in ("", "0", "false")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
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
