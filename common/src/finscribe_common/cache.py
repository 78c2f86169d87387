"""An async TTL cache with single-flight.

N concurrent `get_or_load` calls for one key share a single load; failures are not
cached, so the next caller tries again. Size is bounded (least recently used goes first).

Shared across replicas: built with `AsyncTTLCache.shared_by(state, name, value_type)`,
`get_or_load` reads and writes the entry in Redis and single-flight spans every replica
(see `shared_cache.py`); concurrent callers in one process still share one Redis flight,
and an entry read from Redis is kept in the process until the Redis entry expires (an
entry never changes before then, so the copy is always the same answer).
Redis down -> the per-process cache below, with a warning (never an error to the caller).
`get`/`set` are always per process.
"""

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from finscribe_common.shared_cache import JsonCodec, SharedFlight
from finscribe_common.shared_state import SharedState, SharedStateDown

V = TypeVar("V")

TtlFor = float | Callable[[V], float]


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    loads: int = 0
    shared_waits: int = 0
    errors: int = 0
    remote_hits: int = 0  # answered from Redis (another replica loaded it)
    remote_waits: int = 0  # waited for another replica's load


@dataclass
class _Entry(Generic[V]):
    value: V
    expires_at: float


@dataclass
class AsyncTTLCache(Generic[V]):
    max_entries: int = 1024
    clock: Callable[[], float] = time.monotonic
    stats: CacheStats = field(default_factory=CacheStats)
    _entries: "OrderedDict[Hashable, _Entry[V]]" = field(default_factory=OrderedDict)
    _inflight: dict[Hashable, "asyncio.Future[V]"] = field(default_factory=dict)
    remote: SharedFlight[V] | None = None

    @classmethod
    def shared_by(
        cls, state: SharedState | None, name: str, value_type: Any, max_entries: int = 1024
    ) -> "AsyncTTLCache[V]":
        """A cache whose entries live in Redis when `state` is enabled; `value_type` types the JSON."""
        cache: AsyncTTLCache[V] = cls(max_entries=max_entries)
        if state is not None and state.enabled:
            cache.remote = SharedFlight(state, name, JsonCodec(value_type))
        return cache

    def get(self, key: Hashable) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at <= self.clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry.value

    def set(self, key: Hashable, value: V, ttl: float) -> None:
        if ttl <= 0:
            return
        self._entries[key] = _Entry(value, self.clock() + ttl)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    async def get_or_load(self, key: Hashable, loader: Callable[[], Awaitable[V]], ttl: "TtlFor[V]") -> V:
        def ttl_of(value: V) -> float:
            return ttl(value) if callable(ttl) else ttl

        # An entry in Redis never changes before it expires, so a local copy that expires
        # with it is always the same answer: warm requests do not touch Redis at all.
        cached = self.get(key)
        if cached is not None:
            self.stats.hits += 1
            return cached
        if self.remote is not None and self.remote.shared.available:
            return await self._flight(key, lambda: self._load_shared(key, loader, ttl_of))
        return await self._flight(key, lambda: self._load_local(key, loader, ttl_of))

    async def _load_local(self, key: Hashable, loader: Callable[[], Awaitable[V]], ttl_of: Callable[[V], float]) -> V:
        self.stats.loads += 1
        value = await loader()
        self.set(key, value, ttl_of(value))
        return value

    async def _load_shared(self, key: Hashable, loader: Callable[[], Awaitable[V]], ttl_of: Callable[[V], float]) -> V:
        remote = self.remote
        assert remote is not None
        loads: list[int] = []

        async def counted() -> V:
            loads.append(1)
            self.stats.loads += 1
            return await loader()

        hits, waits = remote.remote_hits, remote.remote_waits
        try:
            value, left = await remote.get_or_load(key, counted, ttl_of)
        except SharedStateDown:
            if loads:
                raise  # cannot happen: a loaded value is returned even when Redis fails after
            cached = self.get(key)
            if cached is not None:
                self.stats.hits += 1
                return cached
            return await self._load_local(key, loader, ttl_of)
        self.stats.remote_hits += remote.remote_hits - hits
        self.stats.remote_waits += remote.remote_waits - waits
        # kept locally until the Redis entry expires (never longer: other replicas would reload
        # it then and this one must not serve an older copy)
        self.set(key, value, left if left is not None else ttl_of(value))
        return value

    async def _flight(self, key: Hashable, load: Callable[[], Awaitable[V]]) -> V:
        inflight = self._inflight.get(key)
        if inflight is not None:
            self.stats.shared_waits += 1
            # shield: one waiter giving up must not cancel the load the others share
            return await asyncio.shield(inflight)
        self.stats.misses += 1
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            value = await load()
        except BaseException as exc:
            self.stats.errors += 1
            if not future.done():
                future.set_exception(exc)
                # mark retrieved so an exception nobody else awaited is not reported as lost
                future.exception()
            raise
        else:
            if not future.done():
                future.set_result(value)
            return value
        finally:
            self._inflight.pop(key, None)
