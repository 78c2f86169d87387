"""Server-sent events: read the orchestrator's stream, write the client's."""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

MAX_EVENT_BYTES = 32 * 1024 * 1024  # a completed draft with inline PNGs is a few MB


@dataclass
class SseEvent:
    event: str
    data: str


class SseProtocolError(Exception):
    pass


async def parse_sse(lines: AsyncIterator[str]) -> AsyncIterator[SseEvent]:
    """Per the WHATWG event-stream rules: `event:`/`data:` fields, blank line dispatches,
    `:` comments ignored, multi-line data joined by newlines."""
    event_type = ""
    data: list[str] = []
    size = 0
    async for raw in lines:
        line = raw.rstrip("\r")
        if not line:
            if data:
                yield SseEvent(event=event_type or "message", data="\n".join(data))
            event_type, data, size = "", [], 0
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            event_type = value
        elif field == "data":
            size += len(value)
            if size > MAX_EVENT_BYTES:
                raise SseProtocolError("an event from the orchestrator is too large")
            data.append(value)
    # a stream that ends without the final blank line did not finish its last event


def format_event(event: str, data: dict[str, Any]) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    seq = data.get("seq")
    head = f"id: {seq}\n" if isinstance(seq, int) else ""
    return f"{head}event: {event}\ndata: {payload}\n\n".encode()


HEARTBEAT = b": keep-alive\n\n"
