"""The orchestrator's LLM: langchain-openai's ChatOpenAI pointed at the llm-router.

One ChatOpenAI per task, because the router reads the task from the `X-Task` header and
langchain-openai cannot set a header per call on a structured-output runnable. The
router does provider fallback itself, so the client does not retry (a retry here would
multiply the router's own attempts).
"""

import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import openai
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, ValidationError

from finscribe_orchestrator.usage import UsageMeter

logger = logging.getLogger("finscribe.orchestrator.llm")

M = TypeVar("M", bound=BaseModel)
TASKS = frozenset({"outline", "section", "grade", "rewrite", "chart_spec", "answer"})


class LLMUnavailable(Exception):
    """No LLM can answer: the router is not configured, unreachable, or every provider is down."""


class LLMError(Exception):
    """The LLM answered, but not usefully (bad request, a broken stream)."""


def _classify(exc: Exception) -> Exception:
    if isinstance(exc, openai.APIStatusError):
        code = ""
        try:
            body = exc.response.json()
            code = str((body.get("error") or {}).get("code") or "")
        except (ValueError, AttributeError):
            pass
        if exc.status_code in (429, 502, 503, 504):
            return LLMUnavailable(f"LLM router answered {exc.status_code} {code}".strip())
        return LLMError(f"LLM router answered {exc.status_code} {code}".strip())
    if isinstance(exc, openai.APIConnectionError | openai.APITimeoutError | httpx.HTTPError):
        return LLMUnavailable(f"LLM router unreachable ({type(exc).__name__})")
    if isinstance(exc, openai.APIError):
        return LLMError(f"LLM stream failed: {exc}")
    return exc


class LLM:
    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        user: str,
        request_id: str,
        route: str,
        timeout: float,
        usage: UsageMeter,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/v1"
        self.token = token
        self.route = route
        self.timeout = timeout
        self.usage = usage
        # percent-encoded: a header carries only ASCII, and a user id need not be ASCII
        self.headers = {"X-Internal-Token": token, "X-User": quote(user, safe=""), "X-Request-ID": request_id}
        # our own httpx client: langchain-openai's process-wide default is bound to the first event loop
        self._http = httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(timeout, connect=5.0))
        self._models: dict[str, ChatOpenAI] = {}

    def model(self, task: str) -> ChatOpenAI:
        if task not in TASKS:
            raise ValueError(f"unknown LLM task {task!r}")
        if task not in self._models:
            self._models[task] = ChatOpenAI(
                model=self.route,
                base_url=self.base_url,
                api_key=self.token,
                default_headers={**self.headers, "X-Task": task},
                http_async_client=self._http,
                max_retries=0,
                timeout=self.timeout,
                temperature=0.2,
                stream_usage=True,
                include_response_headers=True,
            )
        return self._models[task]

    def _account(self, message: AIMessage | AIMessageChunk | None) -> None:
        if message is None:
            self.usage.add(None, None)
            return
        self.usage.add(dict(message.usage_metadata or {}), (message.response_metadata or {}).get("headers"))

    async def text(self, task: str, messages: Sequence[BaseMessage]) -> str:
        try:
            answer = await self.model(task).ainvoke(list(messages))
        except Exception as exc:
            raise _classify(exc) from exc
        self._account(answer)
        return str(answer.content or "")

    async def stream(
        self, task: str, messages: Sequence[BaseMessage], on_delta: Callable[[str], Awaitable[None] | object]
    ) -> str:
        full: AIMessageChunk | None = None
        try:
            async for chunk in self.model(task).astream(list(messages)):
                full = chunk if full is None else full + chunk
                if isinstance(chunk.content, str) and chunk.content:
                    result = on_delta(chunk.content)
                    if inspect.isawaitable(result):
                        await result
        except Exception as exc:
            raise _classify(exc) from exc
        self._account(full)
        return str(full.content or "") if full is not None else ""

    async def structured(self, task: str, messages: Sequence[BaseMessage], schema: type[M]) -> M | None:
        """Structured output validated by pydantic; one retry with the error, then None (the caller falls back)."""
        runnable = self.model(task).with_structured_output(schema, method="json_schema", include_raw=True)
        attempt_messages = list(messages)
        for attempt in range(2):
            try:
                answer: dict[str, Any] = await runnable.ainvoke(attempt_messages)
            except (ValidationError, ValueError) as exc:
                # the OpenAI SDK validates json_schema answers itself; an invalid one raises here
                self.usage.add(None, None)
                answer = {"raw": None, "parsed": None, "parsing_error": exc}
            except Exception as exc:
                raise _classify(exc) from exc
            raw = answer.get("raw")
            if raw is not None:
                self._account(raw if isinstance(raw, AIMessage) else None)
            parsed = answer.get("parsed")
            error = answer.get("parsing_error")
            if parsed is not None and error is None:
                try:
                    return schema.model_validate(parsed.model_dump() if isinstance(parsed, BaseModel) else parsed)
                except ValidationError as exc:
                    error = exc
            logger.info("structured output for %s invalid (attempt %d): %s", task, attempt + 1, error)
            if attempt == 0:
                attempt_messages = [
                    *messages,
                    HumanMessage(
                        content=f"직전 답이 요구한 JSON 스키마에 맞지 않았습니다 ({str(error)[:300]}). "
                        "스키마에 맞는 JSON만 다시 답하세요."
                    ),
                ]
        return None

    async def with_tools(self, task: str, messages: Sequence[BaseMessage], tools: Sequence[dict]) -> AIMessage:
        try:
            answer = await self.model(task).bind_tools(list(tools)).ainvoke(list(messages))
        except Exception as exc:
            raise _classify(exc) from exc
        self._account(answer)
        assert isinstance(answer, AIMessage)
        return answer

    async def aclose(self) -> None:
        await self._http.aclose()
