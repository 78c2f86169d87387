"""Fan-out of one run's events to any number of listeners (SSE responses, waiters).

Listeners that join late get every event from the start, so a client that subscribes
right after the run row is created misses nothing. The buffer lives only while the run
runs (plus a short grace); after that the stored run is the record.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from finscribe_common.contract.runs import TERMINAL_EVENTS


@dataclass
class RunEvent:
    event: str
    data: dict[str, Any]


@dataclass
class RunChannel:
    run_id: str
    events: list[RunEvent] = field(default_factory=list)
    closed: bool = False
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def publish(self, event: RunEvent) -> None:
        async with self._changed:
            self.events.append(event)
            if event.event in TERMINAL_EVENTS:
                self.closed = True
            self._changed.notify_all()

    async def close(self) -> None:
        async with self._changed:
            self.closed = True
            self._changed.notify_all()

    async def listen(self, idle_timeout: float) -> AsyncIterator[RunEvent | None]:
        """Yields events in order; yields None after `idle_timeout` s without one (for heartbeats)."""
        index = 0
        while True:
            async with self._changed:
                if index >= len(self.events) and not self.closed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), timeout=idle_timeout)
                pending = self.events[index:]
                index = len(self.events)
                finished = self.closed
            if not pending and not finished:
                yield None
                continue
            for event in pending:
                yield event
            if finished and index >= len(self.events):
                return
