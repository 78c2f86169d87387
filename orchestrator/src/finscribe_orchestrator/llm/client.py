"""The orchestrator's LLM: langchain-openai's ChatOpenAI pointed at the llm-router.

One ChatOpenAI per task, because the router reads the task from the `X-Task` header and
langchain-openai cannot set a header per call on a structured-output runnable. The
router does provider fallback itself, so the client does not retry (a retry here would
multiply the router's own attempts).

Structured output survives weak models: the request asks for the pydantic model's JSON
schema (the router sends it in the shape each server takes, as an instruction in the prompt
where a server cannot enforce it), the answer is read leniently (`json_answer`), validated
by pydantic, repaired once with the validation findings, and otherwise None: the caller
falls back (template outline, default chart) and says so.
"""

import copy
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar
from urllib.parse import quote

import httpx
import openai
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, SecretStr, ValidationError

from finscribe_common.envelope import read_error
from finscribe_orchestrator.llm.json_answer import NotJson, parse_answer, problems
from finscribe_orchestrator.prompts import json_repair
from finscribe_orchestrator.usage import UsageMeter

logger = logging.getLogger("finscribe.orchestrator.llm")

M = TypeVar("M", bound=BaseModel)
TASKS = frozenset({"outline", "section", "grade", "rewrite", "chart_spec", "answer"})


class LLMUnavailable(Exception):
    """No LLM can answer: the router is not configured, unreachable, or every provider is down."""


class LLMError(Exception):
    """The LLM answered, but not usefully (bad request, a broken stream)."""


class ToolsUnsupported(LLMError):
    """No model of the route that could answer takes tools: ask without tool calling."""


def _classify(exc: Exception) -> Exception:
    if isinstance(exc, openai.APIStatusError):
        error = read_error(exc.response.content)
        code = error.code if error is not None else ""
        if exc.status_code in (429, 502, 503, 504):
            return LLMUnavailable(f"LLM router answered {exc.status_code} {code}".strip())
        if code == "tools_unsupported":
            return ToolsUnsupported(f"LLM router answered {exc.status_code} {code}")
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
        max_tokens: int | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/v1"
        self.token = token
        self.route = route
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.usage = usage
        # percent-encoded: a header carries only ASCII, and a user id need not be ASCII
        self.headers = {"X-Internal-Token": token, "X-User": quote(user, safe=""), "X-Request-ID": request_id}
        # our own httpx client: langchain-openai's process-wide default is bound to the first event loop
        self._http = httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(timeout, connect=5.0))
        self._models: dict[str, ChatOpenAI] = {}
        # per task, what the last invalid structured answer got wrong (for the fallback warning)
        self.last_structured_problems: dict[str, list[str]] = {}
        # shared by every metered view of this run's client (see `mark_down`)
        self._down: list[str] = []

    def metered(self, usage: UsageMeter) -> "LLM":
        """A view of this client (same HTTP client, models and down mark) that counts its calls in
        `usage`: each graph node meters its own calls and returns them as state."""
        view = copy.copy(self)
        view.usage = usage
        view.last_structured_problems = {}
        return view

    @property
    def down(self) -> str | None:
        """Why no model can answer in this run (the router said so), or None."""
        return self._down[0] if self._down else None

    def mark_down(self, reason: str) -> bool:
        """Remember for the rest of the run that no model can answer; True the first time."""
        if self._down:
            return False
        self._down.append(reason)
        return True

    def model(self, task: str) -> ChatOpenAI:
        if task not in TASKS:
            raise ValueError(f"unknown LLM task {task!r}")
        if task not in self._models:
            self._models[task] = ChatOpenAI(
                # the field names, not their aliases (model, base_url, api_key, timeout), which
                # pydantic's mypy plugin does not accept as __init__ arguments
                model_name=self.route,
                openai_api_base=self.base_url,
                openai_api_key=SecretStr(self.token),
                default_headers={**self.headers, "X-Task": task},
                http_async_client=self._http,
                max_retries=0,
                request_timeout=self.timeout,
                temperature=0.2,
                max_tokens=self.max_tokens,
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
        """The answer as `schema`, validated by pydantic; one repair with the findings, then None
        (the caller falls back). LLMUnavailable/LLMError when the router itself fails."""
        json_schema = schema.model_json_schema()
        response_format = {"type": "json_schema", "json_schema": {"name": schema.__name__, "schema": json_schema}}
        # extra_body, not response_format=: langchain would take the OpenAI SDK's parse path,
        # which raises on answers a weak model gets wrong and drops the router's headers
        model = self.model(task).bind(extra_body={"response_format": response_format})
        attempt_messages = list(messages)
        for attempt in range(2):
            try:
                answer = await model.ainvoke(attempt_messages)
            except Exception as exc:
                raise _classify(exc) from exc
            self._account(answer)
            text = str(answer.content or "")
            try:
                return parse_answer(text, schema)
            except (NotJson, ValidationError) as exc:
                found = problems(exc)
            logger.info("structured output for %s invalid (attempt %d): %s", task, attempt + 1, "; ".join(found))
            self.last_structured_problems[task] = found
            if attempt == 0:
                attempt_messages = json_repair.build(list(messages), text, found, json_schema)
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
