"""One attempt at one provider: send the request and wait for its first byte (streaming) or
its whole answer, classifying every way it can fail so the router knows whether to fall back.
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import httpx

from finscribe_common.http_client import retry_after_seconds
from finscribe_llm_router import runpod
from finscribe_llm_router.capabilities import Feature
from finscribe_llm_router.providers import Provider
from finscribe_llm_router.sse import leading_error

logger = logging.getLogger("finscribe.llm_router.upstream")

T = TypeVar("T")
FailureKind = Literal["connect", "timeout", "status", "rate_limited", "protocol", "not_ready"]

# The request itself is wrong: another provider would refuse it too, so the caller hears it.
CALLER_ERROR_STATUSES = frozenset({400, 413, 422})
# How servers refuse a request shape they do not take: 400/422, or 500 from servers that
# turn their own request validation into an internal error (llama-cpp-python).
SHAPE_REFUSAL_STATUSES = frozenset({400, 422, 500})


class AttemptFailed(Exception):
    def __init__(
        self,
        kind: FailureKind,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        trips_breaker: bool = True,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.trips_breaker = trips_breaker


class RejectedByUpstream(Exception):
    def __init__(self, status: int, message: str, provider_error: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.provider_error = provider_error


class ShapeRefused(Exception):
    """The provider refused a part of the request's shape (response_format, tools, stream_options)."""

    def __init__(self, feature: Feature, status: int, message: str, provider_error: Any) -> None:
        super().__init__(message)
        self.feature = feature
        self.status = status
        self.message = message
        self.provider_error = provider_error

    def as_failure(self) -> Exception:
        """What the refusal is when no weaker shape is left: the caller's error or a failed attempt."""
        if self.status in CALLER_ERROR_STATUSES:
            return RejectedByUpstream(self.status, self.message, self.provider_error)
        return AttemptFailed("status", self.message, status=self.status)


def refused_feature(status: int, message: str, payload: dict[str, Any]) -> Feature | None:
    """Which part of the request an error names, when the request had that part.

    A schema the caller got wrong ("Invalid schema for response_format ...") is the caller's
    error, not a mode the server lacks."""
    if status not in SHAPE_REFUSAL_STATUSES:
        return None
    text = message.lower()
    names_format = "response_format" in text or "json_schema" in text
    if payload.get("response_format") and names_format and "invalid schema" not in text:
        return "structured_output"
    if payload.get("tools") and any(w in text for w in ("tools", "tool_choice", "tool choice", "tool call")):
        return "tools"
    if payload.get("stream_options") and "stream_options" in text:
        return "stream_usage"
    return None


@dataclass
class OpenStream:
    """A streaming attempt past its first byte: from here on there is no fallback."""

    response: httpx.Response
    chunks: AsyncIterator[bytes]
    first: bytes


def _provider_message(body: bytes) -> tuple[str, Any]:
    try:
        parsed = json.loads(body)
    except ValueError:
        return body[:300].decode("utf-8", "replace").strip(), None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error.get("code") or "error"), error
    if isinstance(error, str):
        return error, error
    if isinstance(parsed, dict) and isinstance(parsed.get("message"), str):  # vLLM's {"object": "error", ...}
        return parsed["message"], parsed
    detail = parsed.get("detail") if isinstance(parsed, dict) else None  # FastAPI-style servers (vLLM)
    if detail is not None:
        return str(detail)[:300], detail
    return str(parsed)[:300], parsed


def check_status(
    provider: Provider, response: httpx.Response, body: bytes, default_retry_after: float, payload: dict[str, Any]
) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    message, provider_error = _provider_message(body)
    label = f"{provider.name} answered {status}: {message}"
    feature = refused_feature(status, message, payload)
    if feature is not None:
        raise ShapeRefused(feature, status, label, provider_error)
    if status == 429:
        after = retry_after_seconds(response)
        raise AttemptFailed(
            "rate_limited",
            label,
            status=status,
            retry_after=default_retry_after if after is None else after,
            trips_breaker=False,
        )
    if status in CALLER_ERROR_STATUSES:
        raise RejectedByUpstream(status, label, provider_error)
    raise AttemptFailed("status", label, status=status)


async def _within(
    awaitable: Awaitable[T], provider: Provider, client: httpx.AsyncClient, timeout: float, what: str
) -> T:
    """Await with a deadline; for RunPod, also give up early when its health says no worker will come."""
    if provider.health_url is None:
        try:
            return await asyncio.wait_for(awaitable, timeout)
        except TimeoutError as exc:
            raise AttemptFailed("timeout", f"{provider.name}: no {what} within {timeout:g} s") from exc
    work = asyncio.ensure_future(awaitable)
    watcher = asyncio.create_task(runpod.watch_for_no_capacity(client, provider))
    try:
        done, _ = await asyncio.wait({work, watcher}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if work in done:
            return work.result()
        if watcher in done:
            raise AttemptFailed("not_ready", f"runpod: {watcher.result()}")
        raise AttemptFailed("timeout", f"{provider.name}: no {what} within {timeout:g} s (cold start?)")
    finally:
        pending = [task for task in (work, watcher) if not task.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


def _transport_failure(provider: Provider, exc: httpx.HTTPError) -> AttemptFailed:
    if isinstance(exc, httpx.TimeoutException):
        return AttemptFailed("timeout", f"{provider.name}: {type(exc).__name__}")
    if isinstance(exc, httpx.ConnectError):
        return AttemptFailed("connect", f"{provider.name} is unreachable: {exc or type(exc).__name__}")
    return AttemptFailed("protocol", f"{provider.name}: {type(exc).__name__}: {exc}")


def _request(client: httpx.AsyncClient, provider: Provider, payload: dict[str, Any]) -> httpx.Request:
    return client.build_request(
        "POST",
        provider.chat_url,
        content=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", **provider.auth_headers()},
    )


async def complete(
    client: httpx.AsyncClient,
    provider: Provider,
    payload: dict[str, Any],
    *,
    timeout: float,
    default_retry_after: float,
) -> tuple[httpx.Response, bytes, dict[str, Any]]:
    """A non-streaming call: the whole answer, parsed, or AttemptFailed/RejectedByUpstream."""

    async def call() -> tuple[httpx.Response, bytes]:
        response = await client.send(_request(client, provider, payload))
        return response, response.content

    try:
        response, body = await _within(call(), provider, client, timeout, "answer")
    except httpx.HTTPError as exc:
        raise _transport_failure(provider, exc) from exc
    check_status(provider, response, body, default_retry_after, payload)
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise AttemptFailed("protocol", f"{provider.name} answered 200 with a body that is not JSON") from exc
    if not isinstance(parsed, dict) or "choices" not in parsed:
        kind, message = await runpod.job_state_answer(client, provider, parsed)
        raise AttemptFailed(kind, message)
    return response, body, parsed


async def open_stream(
    client: httpx.AsyncClient,
    provider: Provider,
    payload: dict[str, Any],
    *,
    timeout: float,
    default_retry_after: float,
) -> OpenStream:
    """A streaming call up to its first byte (the last moment a fallback is still clean)."""
    response: httpx.Response | None = None

    async def first_byte() -> OpenStream:
        nonlocal response
        response = await client.send(_request(client, provider, payload), stream=True)
        if response.status_code != 200:
            body = await response.aread()
            check_status(provider, response, body, default_retry_after, payload)
        content_type = response.headers.get("content-type", "")
        if "text/event-stream" not in content_type:
            # RunPod may hand back a job state (IN_QUEUE/IN_PROGRESS) as JSON instead of a stream
            body = await response.aread()
            try:
                parsed: Any = json.loads(body)
            except ValueError:
                parsed = None
            kind, message = await runpod.job_state_answer(client, provider, parsed)
            raise AttemptFailed(kind, message)
        chunks = response.aiter_bytes()
        first = b""
        while not first:  # an empty read is not a byte the caller can see
            try:
                first = await chunks.__anext__()
            except StopAsyncIteration:
                raise AttemptFailed("protocol", f"{provider.name} ended the stream before sending anything") from None
        error = leading_error(first)
        if error is not None:
            raise AttemptFailed("status", f"{provider.name} streamed an error first: {error.get('message') or error}")
        return OpenStream(response, chunks, first)

    try:
        return await _within(first_byte(), provider, client, timeout, "first byte")
    except BaseException as exc:
        if response is not None:
            await response.aclose()
        if isinstance(exc, httpx.HTTPError):
            raise _transport_failure(provider, exc) from exc
        raise
