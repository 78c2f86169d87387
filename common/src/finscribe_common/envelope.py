"""Read the error envelope of API.md from an answer: `{"error": {"code", "message", "request_id", "details"}}`.

Every FinScribe service answers errors in this shape (errors.error_body writes it); every
caller that reads one (the gateway's rag and orchestrator clients, the orchestrator's service
and LLM clients, the CLI) reads it here, so a malformed or foreign body is handled once.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class ErrorEnvelope:
    """`code`: the stable machine code (e.g. `not_found`); `message`: for people; `request_id`:
    the answering service's request id (None when it sent none); `details`: any extra data."""

    code: str
    message: str
    request_id: str | None = None
    details: Any = None


def read_error(body: bytes | str | Mapping[str, Any] | None) -> ErrorEnvelope | None:
    """The envelope in `body` (raw JSON or already parsed), or None when `body` is not one:
    not JSON, not an object, no `error` object, or a `code`/`message` that is not a string."""
    parsed: object = body
    if isinstance(body, bytes | str):
        try:
            parsed = json.loads(body)
        except ValueError:
            return None
    if not isinstance(parsed, Mapping):
        return None
    error = parsed.get("error")
    if not isinstance(error, Mapping):
        return None
    code, message, request_id = error.get("code"), error.get("message"), error.get("request_id")
    if not isinstance(code, str) or not isinstance(message, str):
        return None
    return ErrorEnvelope(
        code=code,
        message=message,
        request_id=request_id if isinstance(request_id, str) else None,
        details=error.get("details"),
    )


def response_error(response: httpx.Response) -> ErrorEnvelope | None:
    """The envelope of an HTTP answer (read whole: call after `aread()` on a stream), or None."""
    return read_error(response.content)
