"""Pytest fixtures of the real data services with replayed upstreams, shared by the
orchestrator's tests and the real-inference-server suite (import them into a conftest)."""

from collections.abc import Iterator
from typing import Any

import pytest

from finscribe_testkit.orchestrator.stack import ReplayedServices, data_service_apps, replayed_data_services


@pytest.fixture(scope="session")
def service_apps() -> dict[str, Any]:
    """Built once: the dart app parses the real 100k-company corp list on first use and keeps it."""
    return data_service_apps()


@pytest.fixture
def services(service_apps: dict[str, Any]) -> Iterator[ReplayedServices]:
    # the upstream mock (it patches requests process-wide) is active only during each test
    with replayed_data_services(apps=service_apps) as stack:
        yield stack
