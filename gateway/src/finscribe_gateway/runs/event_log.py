"""Run events in Redis Streams, so a client may re-attach on any gateway replica.

The replica that drives a run appends each event to the stream `<prefix>:run:<run_id>`
with the explicit entry id `0-<seq>` (ids must grow; `seq` does, from 1), so an SSE
`Last-Event-ID: n` maps to `XREAD ... STREAMS key 0-n`, which returns exactly the
entries after n. Any replica reads the stream with blocking `XREAD` (no consumer group:
every listener sees every entry). Streams expire `retention_s` after their last append,
so a finished run's history stays replayable for a while; after that the stored run is
the record.

Without REDIS_URL, or while Redis is down, appends are skipped (the driving replica's
own fan-out in `hub.py` still serves its listeners) and readers elsewhere fall back to
the stored outcome.
"""

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import redis.asyncio as aioredis

from finscribe_common.shared_state import SharedState, SharedStateDown
from finscribe_gateway.runs.hub import TERMINAL_EVENTS, RunEvent

logger = logging.getLogger("finscribe.gateway.run_events")


class RunEventLog:
    def __init__(self, shared: SharedState, *, retention_s: float, block_s: float) -> None:
        self.shared = shared
        self.retention_s = max(1, int(retention_s))
        self.block_ms = max(1, int(block_s * 1000))
        self._reader: aioredis.Redis | None = None
        if shared.url:
            # blocking reads need a socket timeout longer than the block; the shared client's is short
            self._reader = aioredis.from_url(shared.url, socket_timeout=block_s + 5, socket_connect_timeout=2)

    @property
    def enabled(self) -> bool:
        return self.shared.enabled

    def _key(self, run_id: str) -> str:
        return self.shared.key("run", run_id)

    async def append(self, run_id: str, event: RunEvent) -> None:
        """Add one event (its data carries `seq`); a Redis failure is logged, never raised."""
        if not self.enabled:
            return
        seq = event.data.get("seq")
        if not isinstance(seq, int) or seq < 1:
            return
        key = self._key(run_id)
        fields = {"event": event.event, "data": json.dumps(event.data, ensure_ascii=False)}

        async def add(r: aioredis.Redis) -> Any:
            async with r.pipeline(transaction=True) as pipe:
                pipe.xadd(key, fields, id=f"0-{seq}")  # type: ignore[arg-type]
                pipe.expire(key, self.retention_s)
                return await pipe.execute()

        # on failure this replica's listeners are still served from its own fan-out
        with contextlib.suppress(SharedStateDown):
            await self.shared.run("run event append", add)

    async def exists(self, run_id: str) -> bool:
        if not self.enabled:
            return False
        key = self._key(run_id)
        try:
            return bool(await self.shared.run("run events exist", lambda r: r.exists(key)))
        except SharedStateDown:
            return False

    async def listen(self, run_id: str, after: int) -> AsyncIterator[RunEvent | None]:
        """Events after seq `after`, in order, then live; None after each idle block (heartbeat).

        Ends after a terminal event. Raises SharedStateDown when Redis fails mid-way.
        """
        reader = self._reader
        if reader is None:
            raise SharedStateDown("REDIS_URL is not set")
        key = self._key(run_id)
        last = f"0-{max(0, after)}"
        while True:
            cursor = last

            async def read(_: aioredis.Redis, cursor: str = cursor) -> Any:
                return await reader.xread({key: cursor}, count=100, block=self.block_ms)

            answer = await self.shared.run("run events read", read)
            entries = answer[0][1] if answer else []
            if not entries:
                yield None
                continue
            for entry_id, fields in entries:
                last = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
                name = fields[b"event"].decode()
                yield RunEvent(name, json.loads(fields[b"data"]))
                if name in TERMINAL_EVENTS:
                    return

    async def aclose(self) -> None:
        if self._reader is not None:
            await self._reader.aclose()
