"""Pure ASGI middleware (no BaseHTTPMiddleware, so streamed responses are never buffered).

RequestContextMiddleware gives every request an id, returns it in `X-Request-ID`, writes
one access-log line and turns any unhandled exception into the error envelope.
InternalTokenMiddleware guards internal services.
"""

import hmac
import logging
import time
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finscribe_common.errors import error_body
from finscribe_common.request_context import REQUEST_ID_HEADER, accept_request_id, request_id_var
from finscribe_common.text import dumps_safe

access_log = logging.getLogger("finscribe.access")
logger = logging.getLogger("finscribe.errors")

INTERNAL_TOKEN_HEADER = "X-Internal-Token"  # noqa: S105 - a header name


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


async def _send_json(send: Send, status: int, body: dict, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    payload = dumps_safe(body)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accept_request_id(_header(scope, b"x-request-id"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder = {"status": 0, "started": False}
        id_header = (REQUEST_ID_HEADER.lower().encode(), request_id.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, id_header]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not status_holder["started"]:
                status_holder["status"] = 500
                await _send_json(
                    send,
                    500,
                    error_body("internal_error", "internal error; quote the request id when reporting it"),
                    [id_header],
                )
        finally:
            path = scope.get("path", "")
            if path not in ("/healthz", "/readyz"):
                access_log.info(
                    "%s %s %s",
                    scope.get("method"),
                    path,
                    status_holder["status"],
                    extra={
                        "method": scope.get("method"),
                        "path": path,
                        "status": status_holder["status"],
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            request_id_var.reset(token)


class InternalTokenMiddleware:
    """Only callers holding the shared internal token reach an internal service.

    Liveness, readiness and the API docs stay open: they carry no data, and container
    health checks and humans reading /docs have no token.
    """

    OPEN_PATHS = frozenset({"/healthz", "/readyz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})

    def __init__(self, app: ASGIApp, token: str) -> None:
        if not token:
            raise ValueError("the internal token must not be empty")
        self.app = app
        self._token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        given = _header(scope, INTERNAL_TOKEN_HEADER.lower().encode())
        if given is None or not hmac.compare_digest(given.encode(), self._token):
            message = "missing internal token" if given is None else "invalid internal token"
            await _send_json(send, 401, error_body("unauthenticated", message))
            return
        await self.app(scope, receive, send)
