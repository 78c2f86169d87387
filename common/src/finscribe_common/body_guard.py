"""Check request bodies and URLs at the door, in every service (installed by the app factory).

- Headers: more than `MAX_HEADER_BYTES` in all is 431 (a Google ID token is ~1 KB).
- Text: a lone surrogate or a noncharacter (see text.py) anywhere in the path, the query or
  a JSON body (keys included) is 422 `invalid_text`; nothing downstream ever sees it.
- JSON nesting deeper than `max_json_depth` is 400 `json_too_deep` (MariaDB refuses to
  store it; Python's parser recurses on it).
- A JSON body larger than `max_json_bytes` is 413 `too_large`, also without a length.
- A body that stalls for `body_idle_timeout_s` between two chunks is 408 `body_timeout`
  (uploads too: the timeout wraps `receive`, whoever reads the body).

The JSON is only parsed here when a cheap byte scan finds a possible problem (a `\\uD8..`
escape, the UTF-8 of a noncharacter, or more brackets than the depth limit), so ordinary
bodies pay one regex pass.
"""

import asyncio
import json
import re
from urllib.parse import unquote_plus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finscribe_common.errors import ApiError, error_body
from finscribe_common.middleware import _send_json
from finscribe_common.text import bad_char, find_bad_text

_SUSPECT = re.compile(
    rb"\\u[dD][89a-fA-F]|\\u[fF][dD][dDeE]|\\u[fF]{3}[eEfF]"  # escaped surrogates and noncharacters
    rb"|\xef\xb7[\x90-\xaf]|\xef\xbf[\xbe\xbf]"  # UTF-8 of U+FDD0..U+FDEF, U+FFFE, U+FFFF
    rb"|[\xf0-\xf4][\x8f\x9f\xaf\xbf]\xbf[\xbe\xbf]"  # UTF-8 of U+nFFFE, U+nFFFF (planes 1-16)
)


MAX_HEADER_BYTES = 32 * 1024


class BodyTimeout(ApiError):
    status_code = 408
    code = "body_timeout"


def _is_json(scope: Scope) -> bool:
    for key, value in scope.get("headers", ()):
        if key == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


def _url_problem(scope: Scope) -> str | None:
    if (char := bad_char(scope.get("path", ""))) is not None:
        return f"the URL path holds {char}"
    query = scope.get("query_string", b"").decode("latin-1")
    if query and (char := bad_char(unquote_plus(query, errors="replace"))) is not None:
        return f"the query string holds {char}"
    return None


class BodyGuardMiddleware:
    def __init__(self, app: ASGIApp, *, idle_timeout_s: float, max_json_bytes: int, max_json_depth: int) -> None:
        self.app = app
        self.idle_timeout_s = idle_timeout_s
        self.max_json_bytes = max_json_bytes
        self.max_json_depth = max_json_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header_bytes = sum(len(k) + len(v) for k, v in scope.get("headers", ()))
        if header_bytes > MAX_HEADER_BYTES:
            message = f"the request headers total {header_bytes} bytes; the limit is {MAX_HEADER_BYTES}"
            await _reply(send, 431, "headers_too_large", message)
            return
        if (problem := _url_problem(scope)) is not None:
            await _reply(send, 422, "invalid_text", f"{problem}: a lone surrogate or noncharacter, never valid text")
            return
        receive = self._timed(receive)
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE") or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        try:
            body, final = await self._read(receive)
        except ApiError as exc:
            await _reply(send, exc.status_code, exc.code, exc.message)
            return
        if final is None and (refusal := self._check(body)) is not None:
            await _reply(send, *refusal)
            return
        await self.app(scope, _replay(body, final, receive), send)

    def _timed(self, receive: Receive) -> Receive:
        done = False

        async def timed() -> Message:
            nonlocal done
            if done:  # after the body only http.disconnect comes, whenever the client leaves
                return await receive()
            try:
                async with asyncio.timeout(self.idle_timeout_s):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(
                    f"the request body stalled for more than {self.idle_timeout_s:g} s; send it again"
                ) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                done = True
            return message

        return timed

    async def _read(self, receive: Receive) -> tuple[bytes, Message | None]:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks), message
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_json_bytes:
                raise ApiError(
                    f"the JSON body is larger than {self.max_json_bytes // 1024} KB", code="too_large", status_code=413
                )
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None

    def _check(self, body: bytes) -> tuple[int, str, str] | None:
        brackets = body.count(b"[") + body.count(b"{")
        if brackets <= self.max_json_depth and not _SUSPECT.search(body):
            return None
        try:
            value = json.loads(body)
        except RecursionError:
            return 400, "json_too_deep", f"the JSON nests deeper than {self.max_json_depth} levels"
        except ValueError:
            return None  # not JSON: the route answers its own 422
        found = find_bad_text(value, max_depth=self.max_json_depth)
        if found is None:
            return None
        problem, loc = found
        where = ".".join(loc) or "the body"
        if problem == "too_deep":
            return 400, "json_too_deep", f"the JSON nests deeper than {self.max_json_depth} levels (at {where})"
        char = problem.split(":", 1)[1]
        return 422, "invalid_text", f"{where} holds {char}, a lone surrogate or noncharacter, never valid text"


async def _reply(send: Send, status: int, code: str, message: str) -> None:
    await _send_json(send, status, error_body(code, message))


def _replay(body: bytes, final: Message | None, receive: Receive) -> Receive:
    pending: list[Message] = [final] if final is not None else [{"type": "http.request", "body": body}]

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
