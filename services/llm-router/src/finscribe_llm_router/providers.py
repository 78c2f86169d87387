"""The upstream providers: where they are, how to authenticate and how long to wait for them."""

import time
from dataclasses import dataclass, field
from typing import Any

from finscribe_llm_router.circuit import CircuitBreaker
from finscribe_llm_router.config import RouterSettings

PROVIDER_ENV = {
    "openai": "OPENAI_API_KEY (optionally OPENAI_BASE_URL)",
    "runpod": "RUNPOD_API_KEY with RUNPOD_ENDPOINT_ID (or RUNPOD_BASE_URL)",
    "local": "LOCAL_LLM_BASE_URL (optionally LOCAL_LLM_API_KEY)",
}


@dataclass
class Provider:
    name: str
    base_url: str | None
    api_key: str | None
    first_token_timeout_s: float
    breaker: CircuitBreaker
    # RunPod only: the endpoint's queue/worker health, polled while a cold start is pending
    health_url: str | None = None
    health_poll_s: float = 5.0
    cold_start_allowance_s: float = 0.0
    missing: list[str] = field(default_factory=list)
    rate_limited_until: float = 0.0  # monotonic time before which a 429's Retry-After asks us to wait
    last_health: dict[str, Any] | None = None
    last_health_at: float = 0.0

    @property
    def configured(self) -> bool:
        return not self.missing

    @property
    def chat_url(self) -> str:
        assert self.base_url is not None
        return self.base_url.rstrip("/") + "/chat/completions"

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

    def rate_limit_wait_s(self, now: float | None = None) -> float:
        return max(0.0, self.rate_limited_until - (time.monotonic() if now is None else now))

    def usable(self) -> bool:
        return self.configured and self.rate_limit_wait_s() == 0.0 and self.breaker.available()

    def describe(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "name": self.name,
            "configured": self.configured,
            "base_url": self.base_url,
            "first_token_timeout_s": self.first_token_timeout_s,
            "circuit": self.breaker.snapshot(),
            "rate_limited_for_s": round(self.rate_limit_wait_s(), 3),
        }
        if not self.configured:
            info["missing"] = self.missing
            info["set"] = PROVIDER_ENV[self.name]
        if self.health_url is not None:
            info["runpod_health"] = self.last_health
        return info


def _secret(value: Any) -> str | None:
    raw = value.get_secret_value() if value is not None else None
    return raw or None


def build_providers(settings: RouterSettings) -> dict[str, Provider]:
    def breaker() -> CircuitBreaker:
        return CircuitBreaker(settings.circuit_failures, settings.circuit_cooldown_s)

    openai_key = _secret(settings.openai_api_key)
    openai = Provider(
        name="openai",
        base_url=settings.openai_base_url,
        api_key=openai_key,
        first_token_timeout_s=settings.first_token_timeout_s,
        breaker=breaker(),
        missing=[] if openai_key else ["OPENAI_API_KEY"],
    )

    runpod_key = _secret(settings.runpod_api_key)
    runpod_base: str | None = settings.runpod_base_url or None
    health_url: str | None = None
    if settings.runpod_endpoint_id:
        endpoint = f"{settings.runpod_api_url.rstrip('/')}/{settings.runpod_endpoint_id}"
        health_url = f"{endpoint}/health"
        runpod_base = runpod_base or f"{endpoint}/openai/v1"
    runpod_missing = [] if runpod_key else ["RUNPOD_API_KEY"]
    if runpod_base is None:
        runpod_missing.append("RUNPOD_ENDPOINT_ID")
    runpod = Provider(
        name="runpod",
        base_url=runpod_base,
        api_key=runpod_key,
        first_token_timeout_s=settings.runpod_first_token_timeout_s,
        breaker=breaker(),
        health_url=health_url,
        health_poll_s=settings.runpod_health_poll_s,
        cold_start_allowance_s=settings.runpod_first_token_timeout_s,
        missing=runpod_missing,
    )

    local = Provider(
        name="local",
        base_url=settings.local_llm_base_url or None,
        api_key=_secret(settings.local_llm_api_key),
        first_token_timeout_s=settings.first_token_timeout_s,
        breaker=breaker(),
        missing=[] if settings.local_llm_base_url else ["LOCAL_LLM_BASE_URL"],
    )
    return {p.name: p for p in (openai, runpod, local)}
