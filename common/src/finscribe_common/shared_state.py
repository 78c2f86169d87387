"""State that replicas share through Redis (`REDIS_URL`), or nothing when it is unset.

Quotas, throttles, cool-downs and response caches (`throttle.py`, `cache.py`) take a
`SharedState`. With no `REDIS_URL` (the embedded default, `make run`) it is disabled
and they keep their state in the process, as before. With one, every replica sees the
same counters and entries.

Redis going away must never turn into a 500: `run()` raises `SharedStateDown` for any
Redis or socket failure, the caller falls back to its per-process state, a warning is
logged (at most once per `WARN_EVERY_S`), and `readiness()` reports the service as
degraded (still ready: it serves, with per-process limits). After a failure Redis is
left alone for `RETRY_AFTER_S`, so a black-holed Redis costs one timeout per period,
not one per request.
"""

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import redis.asyncio as aioredis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError, ResponseError

logger = logging.getLogger("finscribe.shared_state")

T = TypeVar("T")

DEFAULT_PREFIX = "finscribe"
OP_TIMEOUT_S = 0.5  # a Redis call on loopback/LAN takes < 1 ms; anything near this is an outage
RETRY_AFTER_S = 5.0
WARN_EVERY_S = 30.0


class SharedStateDown(Exception):
    """Redis is not configured or did not answer: use the per-process state."""


class SharedState:
    """One Redis client (connection pool) per process and key prefix.

    `client` is redis-py's asyncio `Redis` (decode_responses off: values are bytes).
    """

    def __init__(
        self,
        url: str | None,
        *,
        prefix: str = DEFAULT_PREFIX,
        op_timeout: float = OP_TIMEOUT_S,
        retry_after: float = RETRY_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url or None
        self.prefix = prefix
        self.retry_after = retry_after
        self._clock = clock
        self._down_until = 0.0
        self._last_warning = float("-inf")
        self.last_error: str | None = None
        self.failures = 0
        self.client: aioredis.Redis | None = None
        self._scripts: dict[str, AsyncScript] = {}
        if self.url:
            self.client = aioredis.from_url(
                self.url,
                socket_timeout=op_timeout,
                socket_connect_timeout=op_timeout,
                health_check_interval=30,
            )

    @classmethod
    def disabled(cls) -> "SharedState":
        return cls(None)

    @classmethod
    def from_settings(cls, settings: Any) -> "SharedState":
        """From a `ServiceSettings` (`REDIS_URL`, `REDIS_PREFIX`)."""
        return cls(settings.redis_url, prefix=settings.redis_prefix)

    @property
    def enabled(self) -> bool:
        return self.client is not None

    @property
    def available(self) -> bool:
        """Configured and not in the back-off window after a failure."""
        return self.client is not None and self._clock() >= self._down_until

    def script(self, source: str) -> AsyncScript:
        """A Lua script registered once (EVALSHA, reloaded by redis-py after a Redis restart)."""
        if self.client is None:
            raise SharedStateDown("REDIS_URL is not set")
        found = self._scripts.get(source)
        if found is None:
            found = self._scripts[source] = self.client.register_script(source)
        return found

    def key(self, *parts: object) -> str:
        return ":".join([self.prefix, *(str(p) for p in parts)])

    async def run(self, what: str, op: Callable[[aioredis.Redis], Awaitable[T]]) -> T:
        """Run one Redis operation; raises `SharedStateDown` instead of any Redis failure."""
        client = self.client
        if client is None:
            raise SharedStateDown("REDIS_URL is not set")
        if not self.available:
            raise SharedStateDown(self.last_error or "Redis is unavailable")
        try:
            result = await op(client)
        except ResponseError as exc:
            # Redis answered, refusing this one command (a bug or a full Redis): not an outage
            logger.warning("Redis refused %s: %s", what, str(exc)[:200])
            raise SharedStateDown(f"Redis refused {what}") from exc
        except (RedisError, OSError, TimeoutError) as exc:
            self._mark_down(what, exc)
            raise SharedStateDown(self.last_error or "Redis failed") from exc
        self.last_error = None
        return result

    def _mark_down(self, what: str, exc: BaseException) -> None:
        self.failures += 1
        self._down_until = self._clock() + self.retry_after
        self.last_error = f"Redis failed during {what}: {type(exc).__name__}: {str(exc)[:200]}"
        now = self._clock()
        if now - self._last_warning >= WARN_EVERY_S:
            self._last_warning = now
            logger.warning("%s; quotas, throttles and caches fall back to this process alone", self.last_error)

    async def readiness(self) -> str | None:
        """A readiness check: None (in-process or Redis answers) or a degraded note; never raises."""
        if self.client is None:
            return "in-process: REDIS_URL not set"
        try:
            # bypasses the back-off window on purpose: readiness is how recovery shows
            await self.client.ping()
        except (RedisError, OSError, TimeoutError) as exc:
            self._mark_down("ping", exc)
            return f"degraded: {self.last_error}; limits and caches are per process"
        self._down_until = 0.0
        self.last_error = None
        return None

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()
