"""An async TTL cache with single-flight.

N concurrent `get_or_load` calls for one key share a single load; failures are not
cached, so the next caller tries again. Size is bounded (least recently used goes first).
"""

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

V = TypeVar("V")

TtlFor = float | Callable[[V], float]


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    loads: int = 0
    shared_waits: int = 0
    errors: int = 0


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

    def invalidate(self, key: Hashable) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    async def get_or_load(self, key: Hashable, loader: Callable[[], Awaitable[V]], ttl: TtlFor) -> V:
        cached = self.get(key)
        if cached is not None:
            self.stats.hits += 1
            return cached
        inflight = self._inflight.get(key)
        if inflight is not None:
            self.stats.shared_waits += 1
            # shield: one waiter giving up must not cancel the load the others share
            return await asyncio.shield(inflight)
        self.stats.misses += 1
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            self.stats.loads += 1
            value = await loader()
        except BaseException as exc:
            self.stats.errors += 1
            if not future.done():
                future.set_exception(exc)
                # mark retrieved so an exception nobody else awaited is not reported as lost
                future.exception()
            raise
        else:
            seconds = ttl(value) if callable(ttl) else ttl
            self.set(key, value, seconds)
            if not future.done():
                future.set_result(value)
            return value
        finally:
            self._inflight.pop(key, None)
