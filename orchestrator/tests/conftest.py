"""Fixtures: the real data services in-process (upstreams replayed from the real fixtures),
a scripted OpenAI-protocol LLM, and a runner for the orchestrator app."""

from typing import Any

import httpx
import pytest

from finscribe_orchestrator.events import EventSink
from finscribe_orchestrator.messages import MESSAGES
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


def rebuilt(language: str, key: str, params: dict[str, Any]) -> str:
    """A warning's sentence rebuilt from its key and params as the panel does (a nested
    `{key, params}` is a sentence of its own), in `language`."""
    filled = {
        name: rebuilt(language, value["key"], value["params"])
        if isinstance(value, dict) and set(value) == {"key", "params"}
        else value
        for name, value in params.items()
    }
    return MESSAGES[language][key].format(**filled)


@pytest.fixture(autouse=True)
def warnings_carry_their_message_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every warning any test raises names a message key that exists in both languages, and its
    `message` is that key's sentence rebuilt from `params`: the panel can then say it in its own
    language (extension/src/lib/server-messages.js)."""
    emit = EventSink.warning

    def checked(self: EventSink, warning: dict[str, Any], *, key: tuple[str, str]) -> bool:
        assert warning["key"] in MESSAGES["ko"] and warning["key"] in MESSAGES["en"], warning
        both = {language: rebuilt(language, warning["key"], warning["params"]) for language in ("ko", "en")}
        assert warning["message"] in both.values(), (warning, both)
        return emit(self, warning, key=key)

    monkeypatch.setattr(EventSink, "warning", checked)
