"""Server-sent events: writing them and reading them from a stream of lines.

Shared by the orchestrator (writes run events), the gateway (reads the orchestrator's,
writes the client's) and the CLI (reads the gateway's).
"""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

HEARTBEAT = b": keep-alive\n\n"


@dataclass
class SseEvent:
    event: str
    data: str
    id: str | None = None

    def json(self) -> Any:
        return json.loads(self.data)


class SseProtocolError(Exception):
    pass


def format_event(event: str, data: Any, *, event_id: str | int | None = None) -> bytes:
    """One SSE frame; JSON data on a single line, so no raw newline can break the framing."""
    if isinstance(data, str):
        lines = [f"data: {line}" for line in data.split("\n")]
    else:
        lines = [f"data: {json.dumps(data, ensure_ascii=False, separators=(',', ':'), default=str)}"]
    head = [f"id: {event_id}"] if event_id is not None else []
    return ("\n".join([*head, f"event: {event}", *lines]) + "\n\n").encode()


async def parse_sse_lines(lines: AsyncIterator[str], *, max_event_bytes: int | None = None) -> AsyncIterator[SseEvent]:
    """Events per the WHATWG rules: `event`, `data` (joined by newlines), `id`; comment lines
    (heartbeats) skipped; a blank line dispatches. An event the stream ends in the middle of
    is dropped, as the spec says: it was never finished. `max_event_bytes` bounds memory."""
    data: list[str] = []
    event, event_id, size = "message", None, 0
    async for raw in lines:
        line = raw.rstrip("\r")
        if not line:
            if data:
                yield SseEvent(event=event, data="\n".join(data), id=event_id)
            event, data, event_id, size = "message", [], None, 0
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            event = value or "message"
        elif field == "data":
            size += len(value)
            if max_event_bytes is not None and size > max_event_bytes:
                raise SseProtocolError(f"an event is larger than {max_event_bytes} bytes")
            data.append(value)
        elif field == "id":
            event_id = value


def iter_sse(response: httpx.Response, *, max_event_bytes: int | None = None) -> AsyncIterator[SseEvent]:
    return parse_sse_lines(response.aiter_lines(), max_event_bytes=max_event_bytes)
