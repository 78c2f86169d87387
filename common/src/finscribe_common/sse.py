"""Server-sent events: writing them and reading them from an httpx stream."""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class SseEvent:
    event: str
    data: str
    id: str | None = None

    def json(self) -> Any:
        return json.loads(self.data)


def format_event(event: str, data: Any, *, event_id: str | None = None) -> bytes:
    """One SSE frame; JSON data on a single line (no raw newlines can break framing)."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.extend(f"data: {line}" for line in payload.split("\n"))
    return ("\n".join(lines) + "\n\n").encode()


HEARTBEAT = b": keep-alive\n\n"


async def parse_sse_lines(lines: AsyncIterator[str]) -> AsyncIterator[SseEvent]:
    """Yields events per the WHATWG rules: `event`, `data` (joined by newlines), `id`;
    comment lines (heartbeats) are skipped; a blank line ends an event."""
    event, data, event_id = "message", [], None
    async for raw in lines:
        line = raw.rstrip("\r")
        if not line:
            if data:
                yield SseEvent(event=event, data="\n".join(data), id=event_id)
            event, data, event_id = "message", [], None
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)
        elif field == "id":
            event_id = value
    if data:
        yield SseEvent(event=event, data="\n".join(data), id=event_id)


def iter_sse(response: httpx.Response) -> AsyncIterator[SseEvent]:
    return parse_sse_lines(response.aiter_lines())
