"""Test and benchmark helpers: router settings for loopback fakes and a fake RunPod endpoint.

Providers are outside FinScribe, so tests stand them in with
`finscribe_testkit.common.fake_openai.FakeOpenAI` served on real loopback ports. RunPod
needs more than the OpenAI protocol: its serverless endpoints put the OpenAI route under
`/v2/<ENDPOINT_ID>/openai/v1` and answer `GET /v2/<ENDPOINT_ID>/health` and
`POST /v2/<ENDPOINT_ID>/cancel/<job_id>`; `FakeRunPod` adds those around a FakeOpenAI.
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from finscribe_llm_router.config import RouterSettings
from finscribe_llm_router.main import create_app
from finscribe_testkit.common.fake_openai import FakeOpenAI, Reply
from finscribe_testkit.common.server import serve_in_thread

INTERNAL_TOKEN = "test-internal-token"  # noqa: S105 - a fixed token for loopback tests only
ENDPOINT_ID = "fsendpoint01"
OPENAI_KEY = "sk-test-openai"
RUNPOD_KEY = "rp-test-key"
LOCAL_KEY = "local-test-key"

WARM = {
    "jobs": {"completed": 10, "failed": 0, "inProgress": 0, "inQueue": 0, "retried": 0},
    "workers": {"idle": 1, "initializing": 0, "ready": 1, "running": 0, "throttled": 0, "unhealthy": 0},
}
COLD_STARTING = {
    "jobs": {"completed": 0, "failed": 0, "inProgress": 0, "inQueue": 1, "retried": 0},
    "workers": {"idle": 0, "initializing": 1, "ready": 0, "running": 0, "throttled": 0, "unhealthy": 0},
}
NO_CAPACITY = {
    "jobs": {"completed": 0, "failed": 0, "inProgress": 0, "inQueue": 1, "retried": 0},
    "workers": {"idle": 0, "initializing": 0, "ready": 0, "running": 0, "throttled": 2, "unhealthy": 0},
}


class _IsolatedSettings(RouterSettings):
    """Settings from arguments and defaults only: a developer's environment or `.env` (an
    OPENAI_API_KEY, an OPENAI_MODEL) must not change what a test sees."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def test_settings(**overrides: Any) -> RouterSettings:
    """Router settings for tests: fixed internal token, no provider unless given, short timeouts.

    Keys are the environment variable names (`OPENAI_BASE_URL=...`); nothing is read from
    the real environment.
    """
    values: dict[str, Any] = {
        "FINSCRIBE_INTERNAL_TOKEN": INTERNAL_TOKEN,
        "OPENAI_API_KEY": "",
        "RUNPOD_API_KEY": "",
        "RUNPOD_ENDPOINT_ID": "",
        "RUNPOD_BASE_URL": "",
        "LOCAL_LLM_BASE_URL": "",
        "LLM_TOKENIZER": "chars",
        "LLM_CONNECT_TIMEOUT_S": 1.0,
        "LLM_FIRST_TOKEN_TIMEOUT_S": 2.0,
        "LLM_REQUEST_TIMEOUT_S": 5.0,
        "LLM_STREAM_IDLE_TIMEOUT_S": 2.0,
        "RUNPOD_FIRST_TOKEN_TIMEOUT_S": 5.0,
        "RUNPOD_HEALTH_POLL_S": 0.2,
        "LOG_LEVEL": "WARNING",
    }
    values.update(overrides)
    return _IsolatedSettings(**values)


class FakeRunPod:
    """A RunPod serverless endpoint: the vLLM worker's OpenAI route plus health and cancel."""

    def __init__(
        self,
        openai: FakeOpenAI,
        *,
        endpoint_id: str = ENDPOINT_ID,
        health: dict[str, Any] | Callable[[], dict[str, Any]] = WARM,
        api_key: str | None = None,
        job_state: str | None = None,
    ) -> None:
        self.openai = openai
        # set to "IN_QUEUE"/"IN_PROGRESS": chat requests get the job state RunPod returns when
        # its synchronous wait ends before a worker answered, instead of a completion
        self.job_state = job_state
        self.endpoint_id = endpoint_id
        self.health = health
        self.api_key = api_key
        self.health_calls = 0
        self.cancelled: list[str] = []
        self.job_ids: list[str] = []
        prefix = f"/v2/{endpoint_id}"
        self.app = Starlette(
            routes=[
                Route(f"{prefix}/health", self._health, methods=["GET"]),
                Route(prefix + "/cancel/{job_id}", self._cancel, methods=["POST"]),
                Mount(f"{prefix}/openai", app=self._openai_route),
            ]
        )

    async def _openai_route(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.job_state and scope["type"] == "http" and scope["path"].endswith("/chat/completions"):
            self.job_ids.append(f"sync-{len(self.job_ids) + 1}-{self.endpoint_id}")
            answer = JSONResponse({"id": self.job_ids[-1], "status": self.job_state})
            await answer(scope, receive, send)
            return
        await self.openai.app(scope, receive, send)

    def _authorized(self, request: Request) -> bool:
        # RunPod takes the key as a bearer token (or bare) in Authorization
        given = request.headers.get("authorization", "")
        return self.api_key is None or given in (self.api_key, f"Bearer {self.api_key}")

    async def _health(self, request: Request) -> Response:
        if not self._authorized(request):
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        self.health_calls += 1
        health = self.health() if callable(self.health) else self.health
        return JSONResponse(health)

    async def _cancel(self, request: Request) -> Response:
        if not self._authorized(request):
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        job_id = request.path_params["job_id"]
        self.cancelled.append(job_id)
        return JSONResponse({"id": job_id, "status": "CANCELLED"})


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a pytest test


@dataclass
class Stack:
    """The fakes and the router started for one test."""

    exits: contextlib.ExitStack
    openai: FakeOpenAI = field(default_factory=lambda: FakeOpenAI(model="gpt-4.1-mini", api_key=OPENAI_KEY))
    runpod_openai: FakeOpenAI = field(default_factory=lambda: FakeOpenAI(model="exaone", api_key=RUNPOD_KEY))
    local: FakeOpenAI = field(default_factory=lambda: FakeOpenAI(model="qwen", api_key=LOCAL_KEY))
    runpod: FakeRunPod | None = None
    urls: dict[str, str] = field(default_factory=dict)
    app: Any = None

    def serve(self, app: Any) -> str:
        return self.exits.enter_context(serve_in_thread(app))

    def start_providers(self, *which: str) -> dict[str, Any]:
        """Serve the named providers ('openai', 'runpod', 'local'); returns the router's env for them."""
        env: dict[str, Any] = {}
        if "openai" in which:
            self.urls["openai"] = self.serve(self.openai.app)
            env.update(OPENAI_API_KEY=OPENAI_KEY, OPENAI_BASE_URL=self.urls["openai"] + "/v1")
        if "runpod" in which:
            self.runpod = self.runpod or FakeRunPod(self.runpod_openai, api_key=RUNPOD_KEY)
            self.urls["runpod"] = self.serve(self.runpod.app)
            env.update(
                RUNPOD_API_KEY=RUNPOD_KEY,
                RUNPOD_ENDPOINT_ID=ENDPOINT_ID,
                RUNPOD_API_URL=self.urls["runpod"] + "/v2",
            )
        if "local" in which:
            self.urls["local"] = self.serve(self.local.app)
            env.update(LOCAL_LLM_BASE_URL=self.urls["local"] + "/v1", LOCAL_LLM_API_KEY=LOCAL_KEY)
        return env

    def start_router(self, **env: Any) -> httpx.Client:
        self.app = create_app(test_settings(**env))
        self.urls["router"] = self.serve(self.app)
        client = httpx.Client(base_url=self.urls["router"], headers={"X-Internal-Token": INTERNAL_TOKEN}, timeout=30.0)
        return self.exits.enter_context(client)

    def router(self, *providers: str, **env: Any) -> httpx.Client:
        return self.start_router(**{**self.start_providers(*providers), **env})


def chat(content: str = "삼성전자 실적을 한 문장으로 요약해 줘.", **extra: Any) -> dict[str, Any]:
    return {"model": "auto", "messages": [{"role": "user", "content": content}], **extra}


def reply(text: str, **kwargs: Any) -> Callable[[dict[str, Any]], Reply]:
    """A FakeOpenAI responder that always answers `text` (with Reply's scripted behaviour)."""
    return lambda body: Reply(content=text, **kwargs)


BENCH_STREAM_CHUNKS = 4000
BENCH_SHORT_ANSWER = "삼성전자는 메모리 업황 회복으로 실적이 개선되었습니다."


def benchmark_provider_app() -> Starlette:
    """The provider of bench/llm_router.py (`uvicorn --factory`): answers at once, a short
    answer, or a BENCH_STREAM_CHUNKS-chunk stream when `max_tokens` asks for that many."""

    def responder(body: dict[str, Any]) -> Reply:
        if body.get("max_tokens") == BENCH_STREAM_CHUNKS:
            return Reply(content="가" * BENCH_STREAM_CHUNKS, chunk_chars=1)
        return Reply(content=BENCH_SHORT_ANSWER, chunk_chars=8)

    return FakeOpenAI(responder, api_key=OPENAI_KEY).app
