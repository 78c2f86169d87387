"""App factory for the llm-router service (`finscribe serve llm-router`)."""

import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.http_client import build_client
from finscribe_llm_router.config import RouterSettings
from finscribe_llm_router.endpoints import router as llm_routes
from finscribe_llm_router.policy import Policy
from finscribe_llm_router.providers import Provider, build_providers
from finscribe_llm_router.service import LLMRouter
from finscribe_llm_router.tokens import TokenCounter


def _readiness(llm: LLMRouter) -> dict[str, Callable[[], Coroutine[Any, Any, str | None]]]:
    """Ready while some configured provider can serve: one open circuit is reported, not
    fatal, because fallback still answers (taking the router out of a load balancer then
    would turn a degraded provider into an outage)."""

    def circuit_text(provider: Provider) -> str:
        snap = provider.breaker.snapshot()
        return (
            f"circuit {snap['state']} after {snap['consecutive_failures']} consecutive failures "
            f"(last: {snap['last_error']}); next probe in {snap['retry_in_s']:.1f} s"
        )

    def configured() -> list[Provider]:
        return [p for p in llm.providers.values() if p.configured]

    async def any_configured() -> None:
        if not configured():
            raise RuntimeError(llm.not_configured_message())

    def circuit(provider: Provider) -> Callable[[], Coroutine[Any, Any, str | None]]:
        async def check() -> str | None:
            if provider.breaker.available():
                return None
            if not any(p.breaker.available() for p in configured()):
                raise RuntimeError(circuit_text(provider) + "; no other provider can serve")
            return circuit_text(provider) + "; other providers serve"

        return check

    checks: dict[str, Callable[[], Coroutine[Any, Any, str | None]]] = {"providers": any_configured}
    for provider in configured():
        checks[f"provider:{provider.name}"] = circuit(provider)
    return checks


def create_app(settings: RouterSettings | None = None) -> FastAPI:
    settings = settings or RouterSettings()
    policy = Policy.load(settings)  # a broken routing file stops the start, not the first request
    providers = build_providers(settings)
    # our own deadlines (first byte, whole answer, stream idle) are the real limits; httpx's only backstop them
    backstop = settings.request_timeout_s + settings.runpod_first_token_timeout_s + settings.stream_idle_timeout_s
    client = build_client(timeout=backstop, connect_timeout=settings.connect_timeout_s, attempts=1)
    counter = TokenCounter(settings.tokenizer)
    llm = LLMRouter(settings, policy, providers, client, counter)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # tiktoken may fetch its encoding over the network: never hold up the start (or the
        # exit: a daemon thread) for it; until it loads, estimates use the character rule
        threading.Thread(target=counter.load, name="tiktoken-load", daemon=True).start()
        try:
            yield
        finally:
            await client.aclose()

    return create_service_app(
        name="llm-router",
        title="FinScribe LLM router",
        description="One OpenAI-compatible endpoint over RunPod, OpenAI and local servers.",
        settings=settings,
        routers=[llm_routes],
        readiness=_readiness(llm),
        lifespan=lifespan,
        internal=True,
        service=llm,
    )
