"""Google's signing keys (JWKS), cached; an unknown `kid` refetches at most once a minute.

Google rotates keys roughly weekly and publishes the next key ahead of use, so an unknown
`kid` is almost always a forgery; the refetch floor keeps forged tokens from making us
hammer Google.
"""

import asyncio
import logging
import re
import time
from collections.abc import Callable
from typing import Any

import httpx

from finscribe_common.errors import Unavailable

logger = logging.getLogger("finscribe.gateway.jwks")

_MAX_AGE = re.compile(r"max-age=(\d+)")
_DEFAULT_TTL_S = 3600.0


class JwksCache:
    def __init__(
        self,
        url: str,
        client: httpx.AsyncClient,
        *,
        refetch_min_interval_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._client = client
        self._min_interval = refetch_min_interval_s
        self._clock = clock
        self._keys: dict[str, dict[str, Any]] = {}
        self._expires_at = float("-inf")
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def key_for(self, kid: str) -> dict[str, Any] | None:
        now = self._clock()
        if now >= self._expires_at:
            await self._refresh(force=False)
        key = self._keys.get(kid)
        if key is None and self._clock() - self._fetched_at >= self._min_interval:
            await self._refresh(force=True)
            key = self._keys.get(kid)
        return key

    async def _refresh(self, *, force: bool) -> None:
        fetched_before = self._fetched_at
        async with self._lock:
            # another request refreshed while we waited for the lock: use its answer
            if self._fetched_at != fetched_before:
                return
            if not force and self._clock() < self._expires_at:
                return
            try:
                response = await self._client.get(self.url)
                response.raise_for_status()
                body = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                # keep serving known keys; a stale-but-valid key set beats refusing everyone
                self._fetched_at = self._clock()
                if self._keys:
                    logger.warning("JWKS refresh failed, keeping %d cached keys: %s", len(self._keys), exc)
                    self._expires_at = self._clock() + self._min_interval
                    return
                raise Unavailable("cannot fetch Google's signing keys") from exc
            self.fetches += 1
            keys = {k["kid"]: k for k in body.get("keys", []) if isinstance(k, dict) and k.get("kid")}
            self._keys = keys
            self._fetched_at = self._clock()
            match = _MAX_AGE.search(response.headers.get("cache-control", ""))
            ttl = float(match.group(1)) if match else _DEFAULT_TTL_S
            self._expires_at = self._fetched_at + ttl
