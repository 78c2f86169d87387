"""The outbound HTTP client every service uses to call another service or an upstream.

- connect/read timeouts on every call;
- retries with exponential backoff and jitter, only for idempotent methods and only on
  connection errors, timeouts and retryable statuses (429, 502, 503, 504), honouring a
  `Retry-After` up to a cap;
- the current request id and (for internal calls) the internal token on every request.
"""

import email.utils
import logging
import time
from collections.abc import Iterable

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from finscribe_common.middleware import INTERNAL_TOKEN_HEADER
from finscribe_common.request_context import REQUEST_ID_HEADER, current_request_id

logger = logging.getLogger("finscribe.http")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
RETRYABLE_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.RemoteProtocolError)


class _RetryableStatus(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"retryable status {response.status_code}")
        self.response = response


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    parsed = email.utils.parsedate_to_datetime(value) if value else None
    if parsed is None:
        return None
    return max(0.0, parsed.timestamp() - time.time())


class RetryingTransport(httpx.AsyncBaseTransport):
    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        attempts: int = 3,
        backoff_initial: float = 0.2,
        backoff_max: float = 5.0,
        max_retry_after: float = 10.0,
        retry_methods: Iterable[str] = IDEMPOTENT_METHODS,
        retry_statuses: Iterable[int] = RETRYABLE_STATUSES,
    ) -> None:
        self.inner = inner
        self.attempts = attempts
        self.backoff = wait_exponential_jitter(multiplier=backoff_initial, max=backoff_max, jitter=backoff_initial)
        self.max_retry_after = max_retry_after
        self.retry_methods = frozenset(m.upper() for m in retry_methods)
        self.retry_statuses = frozenset(retry_statuses)

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and outcome.failed:
            exc = outcome.exception()
            if isinstance(exc, _RetryableStatus):
                after = retry_after_seconds(exc.response)
                if after is not None:
                    return min(after, self.max_retry_after)
        return self.backoff(state)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method.upper() not in self.retry_methods or self.attempts <= 1:
            return await self.inner.handle_async_request(request)
        last_response: httpx.Response | None = None
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception_type((*RETRYABLE_ERRORS, _RetryableStatus)),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    response = await self.inner.handle_async_request(request)
                    if response.status_code in self.retry_statuses:
                        after = retry_after_seconds(response)
                        if after is not None and after > self.max_retry_after:
                            return response  # the upstream wants longer than we may wait: let the caller decide
                        last_response = response
                        if attempt.retry_state.attempt_number < self.attempts:
                            await response.aclose()
                        raise _RetryableStatus(response)
                    return response
        except _RetryableStatus as exc:
            logger.info(
                "giving up after %d attempts: %s %s -> %s",
                self.attempts,
                request.method,
                request.url,
                exc.response.status_code,
            )
            return exc.response
        assert last_response is not None  # pragma: no cover - the loop always returns or raises
        return last_response

    async def aclose(self) -> None:
        await self.inner.aclose()


def build_client(
    *,
    base_url: str = "",
    internal_token: str | None = None,
    timeout: float = 10.0,
    connect_timeout: float = 3.0,
    attempts: int = 3,
    backoff_initial: float = 0.2,
    max_retry_after: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient with timeouts, retries and request-id (and internal-token) headers.

    `transport` lets tests route the client to an in-process app (httpx.ASGITransport).
    """
    inner = transport or httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20)
    )
    default_headers = dict(headers or {})
    if internal_token:
        default_headers[INTERNAL_TOKEN_HEADER] = internal_token

    async def add_request_id(request: httpx.Request) -> None:
        request_id = current_request_id()
        if request_id and REQUEST_ID_HEADER not in request.headers:
            request.headers[REQUEST_ID_HEADER] = request_id

    return httpx.AsyncClient(
        base_url=base_url,
        headers=default_headers,
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
        transport=RetryingTransport(
            inner, attempts=attempts, backoff_initial=backoff_initial, max_retry_after=max_retry_after
        ),
        event_hooks={"request": [add_request_id]},
    )


class upstream_errors:
    """Turn transport failures of a call to `name` into the envelope's 503/504.

    `async with upstream_errors("krx"): resp = await client.get(...)`
    """

    def __init__(self, name: str) -> None:
        self.name = name

    async def __aenter__(self) -> "upstream_errors":
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> bool:
        from finscribe_common.errors import Unavailable, UpstreamError, UpstreamTimeout

        if exc is None:
            return False
        if isinstance(exc, httpx.TimeoutException):
            raise UpstreamTimeout(f"{self.name} did not answer in time") from exc
        if isinstance(exc, httpx.ConnectError):
            raise Unavailable(f"{self.name} is unreachable") from exc
        if isinstance(exc, httpx.HTTPError):
            raise UpstreamError(f"{self.name} call failed: {type(exc).__name__}") from exc
        return False
