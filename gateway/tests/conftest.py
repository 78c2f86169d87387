"""Gateway test fixtures.

The gateway runs for real (uvicorn on a loopback port, its lifespan, migrations and
background tasks), talking over real HTTP to:
- `FakeGoogle` (finscribe_testkit.google): outside the system, real JWKS and
  tokeninfo shapes, keys generated per test session;
- `FakeOrchestrator` (finscribe_testkit.gateway.fake_orchestrator): scripted run events;
- a small fake of the rag contract defined here (`FakeRag`): the rag service is built in
  parallel, so these tests pin the gateway's side of the contract (collection names,
  multipart fields, deletes); the full-stack tests run against the real rag service.
"""

import contextlib
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from finscribe_common.settings import ServiceUrls
from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.main import create_app
from finscribe_testkit.common.server import free_port, serve_in_thread
from finscribe_testkit.gateway.fake_orchestrator import FakeOrchestrator
from finscribe_testkit.google import FakeGoogle

INTERNAL_TOKEN = "gateway-test-internal-token"
COLLECTION = re.compile(r"^[a-z0-9][a-z0-9_-]{2,62}$")


@dataclass
class FakeRag:
    """The rag contract as API.md and the cross-team notes give it, nothing more."""

    fail_with: int | None = None
    delay: float = 0.0
    documents: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    deleted_collections: list[str] = field(default_factory=list)
    deleted_documents: list[tuple[str, str]] = field(default_factory=list)
    tokens_seen: list[str | None] = field(default_factory=list)

    def reset(self) -> None:
        self.fail_with = None
        self.delay = 0.0
        self.documents.clear()
        self.deleted_collections.clear()
        self.deleted_documents.clear()
        self.tokens_seen.clear()

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/v1/collections/{c}/documents", self._ingest, methods=["POST"]),
                Route("/v1/collections/{c}/documents/{doc_id}", self._delete_doc, methods=["DELETE"]),
                Route("/v1/collections/{c}", self._delete_collection, methods=["DELETE"]),
                Route("/v1/collections", self._list_collections, methods=["GET"]),
                Route("/v1/collections/{c}", self._describe, methods=["GET"]),
            ]
        )

    def _check(self, request: Request) -> Response | None:
        self.tokens_seen.append(request.headers.get("x-internal-token"))
        if request.headers.get("x-internal-token") != INTERNAL_TOKEN:
            return JSONResponse({"error": {"code": "unauthenticated", "message": "bad token"}}, status_code=401)
        if not COLLECTION.match(request.path_params["c"]):
            return JSONResponse({"error": {"code": "bad_request", "message": "bad collection"}}, status_code=400)
        if self.fail_with:
            return JSONResponse(
                {"error": {"code": "unavailable", "message": "rag is down for the test"}}, status_code=self.fail_with
            )
        return None

    async def _ingest(self, request: Request) -> Response:
        if (refusal := self._check(request)) is not None:
            return refusal
        form = await request.form()
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        upload = form["file"]
        data = await upload.read()  # type: ignore[union-attr]
        doc_id = str(form["doc_id"])
        self.documents.setdefault(request.path_params["c"], {})[doc_id] = {
            "bytes": len(data),
            "name": form.get("name"),
            "magic": data[:5],
        }
        return JSONResponse({"doc_id": doc_id, "chunks": 3, "pages": 28})

    async def _delete_doc(self, request: Request) -> Response:
        if (refusal := self._check(request)) is not None:
            return refusal
        c, doc_id = request.path_params["c"], request.path_params["doc_id"]
        self.deleted_documents.append((c, doc_id))
        self.documents.get(c, {}).pop(doc_id, None)
        return Response(status_code=204)

    async def _list_collections(self, request: Request) -> Response:
        if request.headers.get("x-internal-token") != INTERNAL_TOKEN:
            return JSONResponse({"error": {"code": "unauthenticated", "message": "bad token"}}, status_code=401)
        return JSONResponse({"collections": sorted(self.documents)})

    async def _describe(self, request: Request) -> Response:
        if (refusal := self._check(request)) is not None:
            return refusal
        held = self.documents.get(request.path_params["c"], {})
        documents = [{"doc_id": d, "chunks": 3, "bm25_chunks": 3} for d in sorted(held)]
        return JSONResponse({"collection": request.path_params["c"], "documents": documents})

    async def _delete_collection(self, request: Request) -> Response:
        if (refusal := self._check(request)) is not None:
            return refusal
        self.deleted_collections.append(request.path_params["c"])
        self.documents.pop(request.path_params["c"], None)
        return Response(status_code=204)


@pytest.fixture(scope="session")
def google() -> Iterator[FakeGoogle]:
    fake = FakeGoogle()
    with fake.serve():
        yield fake


# The fakes serve for the whole session (starting servers per test costs more than the
# tests); each test gets them reset.


@pytest.fixture(scope="session")
def _orchestrator_server() -> Iterator[FakeOrchestrator]:
    fake = FakeOrchestrator(internal_token=INTERNAL_TOKEN)
    with serve_in_thread(fake.app) as base:
        fake.base_url = base  # type: ignore[attr-defined]
        yield fake


@pytest.fixture
def orchestrator(_orchestrator_server: FakeOrchestrator) -> FakeOrchestrator:
    _orchestrator_server.reset()
    return _orchestrator_server


@pytest.fixture(scope="session")
def _rag_server() -> Iterator[FakeRag]:
    fake = FakeRag()
    with serve_in_thread(fake.app) as base:
        fake.base_url = base  # type: ignore[attr-defined]
        yield fake


@pytest.fixture
def rag(_rag_server: FakeRag) -> FakeRag:
    _rag_server.reset()
    return _rag_server


@dataclass
class Gateway:
    base_url: str
    settings: GatewaySettings
    app: Any

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(kwargs.pop("headers", {}))
        return httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=30, **kwargs)


@pytest.fixture
def gateway_factory(tmp_path: Path, google: FakeGoogle, orchestrator: FakeOrchestrator, rag: FakeRag):
    """Start gateways (real HTTP); `database_url` defaults to SQLite in tmp_path."""

    @contextlib.contextmanager
    def start(
        *, orchestrator_url: str | None = None, rag_url: str | None = None, **overrides: Any
    ) -> Iterator[Gateway]:
        port = free_port()
        values: dict[str, Any] = {
            "auth_mode": "google",
            "google_client_ids": [google.client_id],
            "google_jwks_url": google.jwks_url,
            "google_tokeninfo_url": google.tokeninfo_url,
            "internal_token": INTERNAL_TOKEN,
            "data_dir": tmp_path / "data",
            "public_base_url": f"http://127.0.0.1:{port}",
            "run_heartbeat_s": 15.0,
            "rag_index_wait_s": 10.0,
            "run_resume_backoff_s": 0.05,
            "allowed_origins": ["chrome-extension://abcdefghijklmnopabcdefghijklmnop"],
        }
        values.update(overrides)
        settings = GatewaySettings(**values)
        urls = ServiceUrls(
            gateway=f"http://127.0.0.1:{port}",
            orchestrator=orchestrator_url or orchestrator.base_url,  # type: ignore[attr-defined]
            rag=rag_url or rag.base_url,  # type: ignore[attr-defined]
        )
        app = create_app(settings, urls=urls)
        with serve_in_thread(app, port=port) as base:
            yield Gateway(base_url=base, settings=settings, app=app)

    return start


@pytest.fixture
def gateway(gateway_factory) -> Iterator[Gateway]:
    with gateway_factory() as gw:
        yield gw


@pytest.fixture
def alice_token(google: FakeGoogle) -> str:
    return google.id_token(sub="100000000000000000001", email="alice@example.com")


@pytest.fixture
def bob_token(google: FakeGoogle) -> str:
    return google.id_token(sub="100000000000000000002", email="bob@example.com")


@pytest.fixture
async def alice(gateway: Gateway, alice_token: str) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway.client(alice_token) as client:
        yield client


@pytest.fixture
async def bob(gateway: Gateway, bob_token: str) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway.client(bob_token) as client:
        yield client


@pytest.fixture
async def alice_session(alice: httpx.AsyncClient) -> str:
    response = await alice.post("/v1/sessions", json={"doc_id": "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-x"})
    assert response.status_code == 201, response.text
    return response.json()["session_id"]


@dataclass
class StreamedRun:
    status: int
    headers: httpx.Headers
    events: list[tuple[str, dict[str, Any]]]
    comments: list[str]

    def types(self) -> list[str]:
        return [e for e, _ in self.events]

    def last(self, event: str) -> dict[str, Any]:
        return [d for e, d in self.events if e == event][-1]


async def _read_sse(response: httpx.Response, stop_after: int | None = None) -> tuple[list, list]:
    """An independent, minimal event-stream reader (not the gateway's own parser)."""
    import json

    events: list[tuple[str, dict[str, Any]]] = []
    comments: list[str] = []
    event, data = "", []
    async for line in response.aiter_lines():
        if line.startswith(":"):
            comments.append(line)
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
        elif line.startswith("id:"):
            pass
        elif line == "" and data:
            events.append((event, json.loads("\n".join(data))))
            event, data = "", []
            if stop_after is not None and len(events) >= stop_after:
                break
    return events, comments


@pytest.fixture
def stream_run():
    async def run(
        client: httpx.AsyncClient, session_id: str, body: dict[str, Any], stop_after: int | None = None
    ) -> StreamedRun:
        async with client.stream(
            "POST", f"/v1/sessions/{session_id}/runs", json=body, headers={"Accept": "text/event-stream"}
        ) as response:
            if response.status_code != 200:
                await response.aread()
                return StreamedRun(response.status_code, response.headers, [], [])
            events, comments = await _read_sse(response, stop_after)
        return StreamedRun(response.status_code, response.headers, events, comments)

    return run


@pytest.fixture
def wait_finished():
    import asyncio
    import time

    async def wait(client: httpx.AsyncClient, run_id: str, timeout: float = 15.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            run = (await client.get(f"/v1/runs/{run_id}")).json()
            if run["status"] != "running" or time.monotonic() > deadline:
                return run
            await asyncio.sleep(0.05)

    return wait


# The real orchestrator behind the gateway (outline review, templates): in a thread on a
# loopback port, with the real krx/dart/yahoo apps on the recorded upstreams and the
# scripted LLM over the OpenAI protocol (finscribe_testkit.orchestrator).


@pytest.fixture(scope="session")
def _data_apps() -> dict[str, Any]:
    from finscribe_testkit.orchestrator.stack import data_service_apps

    return data_service_apps(INTERNAL_TOKEN)


@pytest.fixture
def llm() -> Any:
    from finscribe_testkit.orchestrator.llm import ScriptedLLM

    return ScriptedLLM(sections=["개요", "주가 동향", "실적 및 재무"])


@pytest.fixture
def real_orchestrator(_data_apps: dict[str, Any], llm: Any) -> Iterator[str]:
    from finscribe_testkit.orchestrator.runner import Runner
    from finscribe_testkit.orchestrator.stack import replayed_data_services

    with replayed_data_services(token=INTERNAL_TOKEN, apps=_data_apps) as stack:
        transports = {**stack.transports, "llm": httpx.ASGITransport(llm.app)}
        runner = Runner(transports, internal_token=INTERNAL_TOKEN)
        with serve_in_thread(runner.app) as base:
            yield base
