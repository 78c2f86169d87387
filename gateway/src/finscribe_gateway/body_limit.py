"""Refuse oversized request bodies with 413 before a route parses them.

Uploads stream through their own cap (files/upload.py), so they are let through here.
"""

import re
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finscribe_common.errors import error_body
from finscribe_common.middleware import _send_json

_UPLOAD_PATH = re.compile(r"^/v1/sessions/[^/]+/files/?$")


def is_upload(method: str, path: str) -> bool:
    return method == "POST" and bool(_UPLOAD_PATH.match(path))


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, exempt: Callable[[str, str], bool] = is_upload) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        if self.exempt(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        # no (or a small) declared length: read and count, so a chunked body cannot slip past
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([], message), send)
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        await self.app(scope, _replay(chunks, None, receive), send)

    async def _too_large(self, send: Send) -> None:
        limit_kb = self.max_bytes // 1024
        await _send_json(send, 413, error_body("too_large", f"the request body is larger than {limit_kb} KB"))


def _replay(chunks: list[bytes], final: Message | None, receive: Receive | None = None) -> Receive:
    pending: list[Message] = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]
    if final is not None:
        pending = [final]

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        if receive is not None:
            return await receive()  # after the body: http.disconnect when the client leaves
        return {"type": "http.disconnect"}

    return replay
