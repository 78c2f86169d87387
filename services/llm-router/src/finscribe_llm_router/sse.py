"""Reading an OpenAI SSE stream as it passes through: split events without re-encoding them,
and note what accounting needs (the final `usage`, the text produced, `[DONE]`).

The one event that may be changed is the usage-only chunk: hidden from a caller who did
not ask for usage, or given the call's `cost_usd` for one who did. A caller who asked for
usage from a server whose streams carry none gets one made by the router (`usage_event`,
marked `"estimated": true`) just before `[DONE]`.
"""

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_EVENT_END = re.compile(rb"\r?\n\r?\n")


def _event_data(event: bytes) -> bytes | None:
    lines = [line for line in event.splitlines() if line.startswith(b"data:")]
    if not lines:
        return None
    return b"\n".join(line[5:].lstrip(b" ") for line in lines)


def leading_error(data: bytes) -> dict[str, Any] | None:
    """The error of a stream whose first event is `data: {"error": ...}` (vLLM streams its
    failures that way), or None. Seen before any byte is relayed, it can still fall back."""
    match = _EVENT_END.search(data)
    payload = _event_data(data[: match.start()] if match else data)
    if payload is None or b'"error"' not in payload:
        return None
    try:
        chunk = json.loads(payload)
    except ValueError:
        return None
    error = chunk.get("error") if isinstance(chunk, dict) else None
    return error if isinstance(error, dict) else None


@dataclass
class StreamReader:
    """Feed it raw bytes; it returns the bytes to forward, whole events only."""

    drop_usage_chunk: bool = False  # the caller did not ask for usage: hide the chunk we asked for
    price: Callable[[dict[str, Any]], float] | None = None  # usage -> cost_usd, added to the usage chunk
    hold_done: bool = False  # keep [DONE] back: the relay sends it after a usage chunk of its own if needed
    done: bool = False
    completion_id: str | None = None
    created: int | None = None
    usage: dict[str, Any] | None = None
    upstream_error: dict[str, Any] | None = None
    completion_chars: list[str] = field(default_factory=list)
    _buffer: bytes = b""

    def feed(self, data: bytes) -> bytes:
        self._buffer += data
        out: list[bytes] = []
        start = 0
        for match in _EVENT_END.finditer(self._buffer):
            event = self._inspect(self._buffer[start : match.start()])
            if event is not None:
                out.append(event + match.group())
            start = match.end()
        self._buffer = self._buffer[start:]
        return b"".join(out)

    def flush(self) -> bytes:
        rest, self._buffer = self._buffer, b""
        if not rest.strip():
            return rest
        return self._inspect(rest) or b""

    def _inspect(self, event: bytes) -> bytes | None:
        """Record what the event says; returns the event to forward, or None to hide it."""
        data = _event_data(event)
        if data is None:
            return event
        if data.strip() == b"[DONE]":
            self.done = True
            return None if self.hold_done else event
        try:
            chunk = json.loads(data)
        except ValueError:
            return event
        if not isinstance(chunk, dict):
            return event
        if isinstance(chunk.get("error"), dict):
            self.upstream_error = chunk["error"]
            return event
        if isinstance(chunk.get("id"), str):
            self.completion_id = chunk["id"]
        if isinstance(chunk.get("created"), int):
            self.created = chunk["created"]
        choices = chunk.get("choices") or []
        for choice in choices:
            delta = choice.get("delta") if isinstance(choice, dict) else None
            if not isinstance(delta, dict):
                continue
            if isinstance(delta.get("content"), str):
                self.completion_chars.append(delta["content"])
            for call in delta.get("tool_calls") or []:
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict):
                    self.completion_chars.append(str(function.get("name") or ""))
                    self.completion_chars.append(str(function.get("arguments") or ""))
        if isinstance(chunk.get("usage"), dict):
            self.usage = chunk["usage"]
            if not choices and self.drop_usage_chunk:
                return None
            if self.price is not None:
                chunk["usage"] = {**chunk["usage"], "cost_usd": round(self.price(chunk["usage"]), 8)}
                return b"data: " + json.dumps(chunk, ensure_ascii=False).encode()
        return event

    @property
    def text(self) -> str:
        return "".join(self.completion_chars)


def usage_event(reader: StreamReader, model: str, prompt_tokens: int, completion_tokens: int, cost: float) -> bytes:
    """The usage-only chunk OpenAI sends last, made by the router from its own count."""
    chunk = {
        "id": reader.completion_id or "chatcmpl-router",
        "object": "chat.completion.chunk",
        "created": reader.created or int(time.time()),
        "model": model,
        "choices": [],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "estimated": True,
            "cost_usd": round(cost, 8),
        },
    }
    return b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n"
