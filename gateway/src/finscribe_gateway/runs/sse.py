"""Run events on the wire: the shared SSE codec with the gateway's two choices, `seq` as
the event id (so a client can tell where it left off) and a size cap on what the
orchestrator may send in one event (a completed draft with inline PNGs is a few MB)."""

from collections.abc import AsyncIterator
from typing import Any

from finscribe_common.sse import HEARTBEAT, SseEvent, SseProtocolError, parse_sse_lines
from finscribe_common.sse import format_event as _format_event

__all__ = ["HEARTBEAT", "MAX_EVENT_BYTES", "SseEvent", "SseProtocolError", "format_event", "parse_sse"]

MAX_EVENT_BYTES = 32 * 1024 * 1024


def parse_sse(lines: AsyncIterator[str]) -> AsyncIterator[SseEvent]:
    return parse_sse_lines(lines, max_event_bytes=MAX_EVENT_BYTES)


def format_event(event: str, data: dict[str, Any]) -> bytes:
    seq = data.get("seq")
    return _format_event(event, data, event_id=seq if isinstance(seq, int) else None)
