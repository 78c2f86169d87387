"""A local server that speaks the OpenAI Chat Completions protocol, for tests and benchmarks.

It stands in for OpenAI, RunPod's OpenAI-compatible route or a local LLM server (things
outside FinScribe). Replies are scripted per request by a `responder`; latency, errors,
429s with Retry-After and streaming (OpenAI SSE chunks, `[DONE]`, usage with
`stream_options.include_usage`) behave as the real protocol does.

`server` picks which OpenAI-compatible server it plays. They differ in the request shapes
they take, and each difference here is written from that server's own documentation or
source (not from FinScribe's code):

- `openai` (default): the OpenAI Chat Completions reference: `response_format`
  `json_schema` and `json_object`, `tools`, `stream_options.include_usage`.
- `vllm` (what RunPod's serverless vLLM workers run): structured outputs with
  `json_schema`/`json_object` and usage in streams (docs.vllm.ai, "OpenAI-Compatible
  Server"). Tool calls with `tool_choice` `auto` (the default once `tools` are given) need
  the server started with `--enable-auto-tool-choice --tool-call-parser ...`; without them
  vLLM answers 400 `"auto" tool choice requires --enable-auto-tool-choice and
  --tool-call-parser to be set` in its `{"object": "error", ...}` body (docs.vllm.ai,
  "Tool Calling"). `vllm_auto_tool_choice=True` plays a server started with those flags.
- `llamacpp` (llama-cpp-python's `llama_cpp.server`, v0.3.x; docs/server.md and
  llama_cpp/server/types.py): `response_format` is `{"type": "text"|"json_object",
  "schema"?}` only, and its route error handler (llama_cpp/server/errors.py) turns every
  error, request validation included, into a 500 `{"error": {"message", "type":
  "internal_server_error", ...}}`: `json_schema` gets that 500 naming `response_format`.
  `tools` are accepted but only a named `tool_choice` is enforced (function calling needs
  a functionary chat format): with `auto` the model answers in text. The request model has
  no `stream_options`, so streams never carry usage.
- `ollama` (docs.ollama.com "OpenAI compatibility": `response_format`, `tools`,
  `stream_options.include_usage` are supported request fields): as `openai`.
"""

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class Reply:
    """What the fake answers to one request."""

    content: str | None = ""
    tool_calls: list[dict[str, Any]] | None = None  # [{"name": ..., "arguments": {...} or "json"}]
    status: int = 200
    error_message: str = "scripted failure"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the response (or the first chunk) starts
    chunk_delay: float = 0.0  # seconds between streamed chunks
    chunk_chars: int = 8  # characters of content per streamed chunk
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    include_usage: bool = True
    finish_reason: str = "stop"
    break_stream_after: int | None = None  # drop the connection after N chunks


Responder = Callable[[dict[str, Any]], "Reply | str | Awaitable[Reply | str]"]
Server = Literal["openai", "vllm", "llamacpp", "ollama"]


def count_tokens(text: str) -> int:
    # Close enough for tests: about one token per 4 characters, at least one per word.
    return max(len(text.split()), (len(text) + 3) // 4) if text else 0


def _prompt_text(body: dict[str, Any]) -> str:
    parts = []
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts.extend(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return "\n".join(parts)


class FakeOpenAI:
    def __init__(
        self,
        responder: Responder | None = None,
        *,
        model: str = "fake-model",
        api_key: str | None = None,
        server: Server = "openai",
        vllm_auto_tool_choice: bool = False,
    ):
        self.responder = responder or (lambda body: Reply(content="안녕하세요."))
        self.model = model
        self.api_key = api_key
        self.server = server
        self.vllm_auto_tool_choice = vllm_auto_tool_choice
        self.refused: list[dict[str, Any]] = []  # requests the server refused for their shape
        self.requests: list[dict[str, Any]] = []
        self.request_headers: list[dict[str, str]] = []
        self._ids = itertools.count(1)
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/models", self._models, methods=["GET"]),
                Route("/models", self._models, methods=["GET"]),
            ]
        )

    async def _models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "fake"}]})

    def _refusal(self, body: dict[str, Any]) -> Response | None:
        """The error a real server of this kind gives for a request shape it does not take."""
        response_format = body.get("response_format") or {}
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if self.server == "llamacpp" and kind not in (None, "text", "json_object"):
            # pydantic's literal_error, stringified by llama_cpp/server/errors.py into a 500
            detail = [
                {
                    "type": "literal_error",
                    "loc": ("body", "response_format", "type"),
                    "msg": "Input should be 'text' or 'json_object'",
                    "input": kind,
                    "ctx": {"expected": "'text' or 'json_object'"},
                }
            ]
            error = {"message": str(detail), "type": "internal_server_error", "param": None, "code": None}
            return JSONResponse({"error": error}, status_code=500)
        auto_tools = body.get("tools") and body.get("tool_choice") in (None, "auto")
        if self.server == "vllm" and auto_tools and not self.vllm_auto_tool_choice:
            message = '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set'
            return JSONResponse(
                {"object": "error", "message": message, "type": "BadRequestError", "param": None, "code": 400},
                status_code=400,
            )
        return None

    def _as_seen(self, body: dict[str, Any]) -> dict[str, Any]:
        """The request as the model sees it: llama-cpp-python only enforces a named tool_choice."""
        if self.server == "llamacpp" and body.get("tools") and not isinstance(body.get("tool_choice"), dict):
            return {k: v for k, v in body.items() if k not in ("tools", "tool_choice")}
        return body

    def _error(self, status: int, message: str, headers: dict[str, str]) -> Response:
        kind = {401: "invalid_request_error", 429: "rate_limit_exceeded"}.get(status, "server_error")
        return JSONResponse(
            {"error": {"message": message, "type": kind, "code": kind}}, status_code=status, headers=headers
        )

    async def _chat(self, request: Request) -> Response:
        if self.api_key is not None and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return self._error(401, "Incorrect API key provided", {})
        body = await request.json()
        self.requests.append(body)
        self.request_headers.append(dict(request.headers))
        refusal = self._refusal(body)
        if refusal is not None:
            self.refused.append(body)
            return refusal
        answered = self.responder(self._as_seen(body))
        if isinstance(answered, Awaitable):
            answered = await answered
        reply = Reply(content=answered) if isinstance(answered, str) else answered
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status != 200:
            return self._error(reply.status, reply.error_message, reply.headers)
        completion_id = f"chatcmpl-fake{next(self._ids)}"
        model = body.get("model") or self.model
        prompt_tokens = reply.prompt_tokens if reply.prompt_tokens is not None else count_tokens(_prompt_text(body))
        content = reply.content or ""
        completion_tokens = (
            reply.completion_tokens
            if reply.completion_tokens is not None
            else count_tokens(content) + sum(count_tokens(json.dumps(t)) for t in reply.tool_calls or [])
        )
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        tool_calls = [
            {
                "id": f"call_{i}",
                "type": "function",
                "function": {
                    "name": call["name"],
                    "arguments": call["arguments"]
                    if isinstance(call["arguments"], str)
                    else json.dumps(call["arguments"], ensure_ascii=False),
                },
            }
            for i, call in enumerate(reply.tool_calls or [])
        ]
        finish = "tool_calls" if tool_calls else reply.finish_reason
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage")) and reply.include_usage
            include_usage = include_usage and self.server != "llamacpp"  # it has no stream_options
            return StreamingResponse(
                self._stream(completion_id, model, content, tool_calls, finish, usage, include_usage, reply),
                media_type="text/event-stream",
                headers=reply.headers,
            )
        message: dict[str, Any] = {"role": "assistant", "content": content if not tool_calls else (content or None)}
        if tool_calls:
            message["tool_calls"] = tool_calls
        answer: dict[str, Any] = {
            "id": completion_id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        }
        if reply.include_usage:
            answer["usage"] = usage
        return JSONResponse(answer, headers=reply.headers)

    async def _stream(
        self,
        completion_id: str,
        model: str,
        content: str,
        tool_calls: list[dict[str, Any]],
        finish: str,
        usage: dict[str, int],
        include_usage: bool,
        reply: Reply,
    ) -> AsyncIterator[bytes]:
        created = int(time.time())

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
            data = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
            }
            return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()

        yield chunk({"role": "assistant", "content": ""})
        pieces = [content[i : i + reply.chunk_chars] for i in range(0, len(content), max(1, reply.chunk_chars))]
        for sent, piece in enumerate(pieces):
            if reply.chunk_delay:
                await asyncio.sleep(reply.chunk_delay)
            if reply.break_stream_after is not None and sent >= reply.break_stream_after:
                raise ConnectionResetError("scripted stream break")
            yield chunk({"content": piece})
        for index, call in enumerate(tool_calls):
            yield chunk(
                {
                    "tool_calls": [
                        {
                            "index": index,
                            "id": call["id"],
                            "type": "function",
                            "function": {"name": call["function"]["name"], "arguments": ""},
                        }
                    ]
                }
            )
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": call["function"]["arguments"]}}]})
        yield chunk({}, finish)
        if include_usage:
            data = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [],
                "usage": usage,
            }
            yield f"data: {json.dumps(data)}\n\n".encode()
        yield b"data: [DONE]\n\n"
