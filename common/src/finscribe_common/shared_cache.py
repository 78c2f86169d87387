"""The Redis side of `AsyncTTLCache`: entries every replica reads, and single-flight
across replicas (one upstream call for identical concurrent requests on any number of pods).

Keys (`<prefix>:cache:<name>:<sha256 of the key>`):

- `...`        the encoded value, with the entry's TTL (`PX`);
- `...:lock`   `SET NX PX` by the one process that loads; its value is a random token;
- `...:fail:<token>` the loader's error envelope for a few seconds, so the processes
  waiting on that load raise the same error instead of each calling the upstream again.

A process that finds the lock taken polls (10 ms, growing to 50 ms) for the value, the
owner's failure, or the lock going away without either (owner crashed: it tries to take
the lock itself). Values are JSON through a pydantic `TypeAdapter` (never pickle: a value
read from Redis is data, it is never executed); one that no longer decodes (a new release
changed its shape) counts as a miss.
"""

import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from finscribe_common.errors import ApiError
from finscribe_common.shared_state import SharedState, SharedStateDown

logger = logging.getLogger("finscribe.shared_cache")

V = TypeVar("V")

FAIL_TTL_MS = 5_000
POLL_FIRST_S = 0.01
POLL_MAX_S = 0.05

# Delete the lock only while it is still ours (an expired lock may belong to another loader).
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class JsonCodec(Generic[V]):
    """Values as JSON via pydantic: dataclasses, models, dates, tuples round-trip typed."""

    def __init__(self, value_type: Any) -> None:
        self.adapter: TypeAdapter[V] = TypeAdapter(value_type)

    def encode(self, value: V) -> bytes:
        return self.adapter.dump_json(value)

    def decode(self, raw: bytes) -> V:
        return self.adapter.validate_json(raw)


def _error_payload(exc: ApiError) -> bytes:
    return json.dumps(
        {"status": exc.status_code, "code": exc.code, "message": exc.message, "headers": exc.headers}
    ).encode()


def _error_from(raw: bytes) -> ApiError:
    data = json.loads(raw)
    return ApiError(
        str(data["message"]), code=str(data["code"]), status_code=int(data["status"]), headers=data.get("headers")
    )


class SharedFlight(Generic[V]):
    """Load-or-read one key through Redis; raises `SharedStateDown` when Redis fails."""

    def __init__(self, shared: SharedState, name: str, codec: JsonCodec[V], lock_ttl_s: float = 120.0) -> None:
        self.shared = shared
        self.name = name
        self.codec = codec
        self.lock_ms = max(1000, round(lock_ttl_s * 1000))
        self.remote_hits = 0
        self.remote_waits = 0

    def _key(self, key: Hashable) -> str:
        digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        return self.shared.key("cache", self.name, digest)

    def _decode(self, raw: bytes | None) -> V | None:
        if raw is None:
            return None
        try:
            return self.codec.decode(raw)
        except (ValidationError, ValueError):
            logger.warning("cache %s: a stored entry no longer decodes; loading it again", self.name)
            return None

    async def get_or_load(
        self, key: Hashable, loader: Callable[[], Awaitable[V]], ttl_of: Callable[[V], float]
    ) -> tuple[V, float | None]:
        """(value, seconds the entry has left in Redis when known). Redis failures raise
        `SharedStateDown` (callers load locally)."""
        rkey = self._key(key)
        lock = f"{rkey}:lock"

        async def read(r: Any) -> list[Any]:
            async with r.pipeline(transaction=False) as pipe:
                pipe.get(rkey)
                pipe.pttl(rkey)
                answers: list[Any] = await pipe.execute()
                return answers

        raw, left_ms = await self.shared.run("cache get", read)
        found = self._decode(raw)
        if found is not None:
            self.remote_hits += 1
            return found, (left_ms / 1000 if isinstance(left_ms, int) and left_ms > 0 else None)
        waited = False
        deadline = time.monotonic() + self.lock_ms / 1000 + 5
        while True:
            token = secrets.token_hex(8)

            async def take(r: Any, token: str = token) -> Any:
                return await r.set(lock, token, nx=True, px=self.lock_ms)

            taken = await self.shared.run("cache lock", take)
            if taken:
                return await self._load(rkey, lock, token, loader, ttl_of), None
            if not waited:
                waited = True
                self.remote_waits += 1
            outcome = await self._wait_for_owner(rkey, lock, deadline)
            if outcome is not None:
                return outcome, None
            # the owner went away without a value (crash, or a failure that is not an ApiError)

    async def _wait_for_owner(self, rkey: str, lock: str, deadline: float) -> V | None:
        owner = await self.shared.run("cache lock", lambda r: r.get(lock))
        delay = POLL_FIRST_S
        while owner is not None:
            if time.monotonic() > deadline:
                raise SharedStateDown(f"cache {self.name}: the loading replica held its lock too long")
            await asyncio.sleep(delay)
            delay = min(POLL_MAX_S, delay * 1.5)
            fail = f"{rkey}:fail:{owner.decode() if isinstance(owner, bytes) else owner}"

            async def poll(r: Any, fail: str = fail) -> list[Any]:
                answers: list[Any] = await r.mget([rkey, lock, fail])
                return answers

            raw, current, failure = await self.shared.run("cache wait", poll)
            if failure is not None:
                raise _error_from(failure)
            found = self._decode(raw)
            if found is not None:
                return found
            if current != owner:
                return None
        return None

    async def _load(
        self, rkey: str, lock: str, token: str, loader: Callable[[], Awaitable[V]], ttl_of: Callable[[V], float]
    ) -> V:
        release = self.shared.script(_RELEASE)
        try:
            value = await loader()
        except ApiError as exc:
            payload = _error_payload(exc)
            with contextlib.suppress(SharedStateDown):
                await self.shared.run("cache fail", lambda r: r.set(f"{rkey}:fail:{token}", payload, px=FAIL_TTL_MS))
            await self._release(release, lock, token)
            raise
        except BaseException:
            await self._release(release, lock, token)
            raise
        seconds = ttl_of(value)
        if seconds > 0:
            encoded = self.codec.encode(value)
            # on failure the caller still gets its value; the others load it themselves
            with contextlib.suppress(SharedStateDown):
                await self.shared.run("cache set", lambda r: r.set(rkey, encoded, px=max(1, round(seconds * 1000))))
        await self._release(release, lock, token)
        return value

    async def _release(self, release: Any, lock: str, token: str) -> None:
        # on failure the lock expires on its own (PX)
        with contextlib.suppress(SharedStateDown, asyncio.CancelledError):
            await self.shared.run("cache unlock", lambda _: release(keys=[lock], args=[token]))
