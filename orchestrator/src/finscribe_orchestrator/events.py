"""The run event stream: numbered events (`seq` 1, 2, 3 ... per run) in SSE framing.

Nodes run concurrently (parallel sections), so numbering happens in one place, at the
moment an event is queued; the consumer sees them in `seq` order.
"""

import asyncio
import time
from typing import Any

from finscribe_common.contract.runs import EventName
from finscribe_common.sse import format_event
from finscribe_orchestrator.messages import Say

DONE = object()


def sse_frame(event_type: str, data: dict[str, Any]) -> bytes:
    return format_event(event_type, data)


class EventSink:
    def __init__(self, run_id: str, language: str = "ko") -> None:
        self.run_id = run_id
        self.language = language  # of step details (messages.py)
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self._seq = 0
        self._progress = 0.0
        self._warned: set[tuple[str, str]] = set()
        self._finished: dict[str, int] = {}
        self.started = time.perf_counter()

    def emit(self, event_type: EventName, **data: Any) -> dict[str, Any]:
        self._seq += 1
        payload = {"run_id": self.run_id, "seq": self._seq, **data}
        self.queue.put_nowait((event_type, payload))
        return payload

    def step(
        self,
        name: str,
        status: str,
        progress: float | None = None,
        detail: Say | None = None,
        items: list[dict[str, Any]] | None = None,
    ) -> None:
        """A `step` event; a detail goes out as `detail` (the sentence in the run's language),
        `detail_code` and `detail_params` (for a client that renders it itself); `items` lists
        what the step found (gather: the datasets), for the panel's list."""
        # progress never goes backwards, even when parallel branches report out of order
        if progress is not None:
            self._progress = max(self._progress, min(1.0, progress))
        data: dict[str, Any] = {"name": name, "status": status, "progress": round(self._progress, 3)}
        if detail is not None:
            data.update(detail=detail.render(self.language), detail_code=detail.code, detail_params=detail.params)
        if items:
            data["items"] = items
        self.emit("step", **data)

    def warning(self, warning: dict[str, Any], *, key: tuple[str, str]) -> bool:
        """Emit a `warning` event unless one with the same key was emitted in this run; True when emitted."""
        if key in self._warned:
            return False
        self._warned.add(key)
        self.emit("warning", **warning)
        return True

    def finished(self, group: str) -> int:
        """Count one more finished task of `group` (e.g. sections) and return the count, for
        progress: tasks running in the same graph step cannot see each other's state."""
        self._finished[group] = self._finished.get(group, 0) + 1
        return self._finished[group]

    def close(self) -> None:
        self.queue.put_nowait(DONE)
