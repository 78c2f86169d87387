"""Fixtures: the real data services in-process (upstreams replayed from the real fixtures),
a scripted OpenAI-protocol LLM, and a runner for the orchestrator app."""

from typing import Any

import httpx
import pytest

from finscribe_testkit.orchestrator import fixtures
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import Runner
from finscribe_testkit.orchestrator.stack import ReplayedServices

# the real krx/dart/yahoo apps with replayed upstreams (shared fixtures)
service_apps = fixtures.service_apps
services = fixtures.services


@pytest.fixture
def llm() -> ScriptedLLM:
    return ScriptedLLM()


@pytest.fixture
def runner_for(services: ReplayedServices, llm: ScriptedLLM):
    def make(extra: dict[str, httpx.AsyncBaseTransport] | None = None, **settings: Any) -> Runner:
        transports = {**services.transports, "llm": httpx.ASGITransport(llm.app), **(extra or {})}
        return Runner(transports, **settings)

    return make
