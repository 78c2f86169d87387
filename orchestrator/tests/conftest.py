"""Fixtures: the real data services in-process (upstreams replayed from the real fixtures),
a scripted OpenAI-protocol LLM, and a runner for the orchestrator app."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from finscribe_orchestrator.testing.llm import ScriptedLLM
from finscribe_orchestrator.testing.runner import Runner
from finscribe_orchestrator.testing.stack import ReplayedServices, data_service_apps, replayed_data_services


@pytest.fixture(scope="session")
def service_apps() -> dict[str, Any]:
    """Built once: the dart app parses the real 100k-company corp list on first use and keeps it."""
    return data_service_apps()


@pytest.fixture
def services(service_apps: dict[str, Any]) -> Iterator[ReplayedServices]:
    # the upstream mock (it patches requests process-wide) is active only during each test
    with replayed_data_services(apps=service_apps) as stack:
        yield stack


@pytest.fixture
def llm() -> ScriptedLLM:
    return ScriptedLLM()


@pytest.fixture
def runner_for(services: ReplayedServices, llm: ScriptedLLM):
    def make(extra: dict[str, httpx.AsyncBaseTransport] | None = None, **settings: Any) -> Runner:
        transports = {**services.transports, "llm": httpx.ASGITransport(llm.app), **(extra or {})}
        return Runner(transports, **settings)

    return make
