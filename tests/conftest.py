"""Full-stack fixtures: all seven services as real processes on loopback ports.

Only the edges of the system are replaced, by local servers speaking the real protocols:
KRX, Open DART and Yahoo replay payloads built from fixtures/real (each data
service's `testing.fake_upstream_app()`, reached through FINSCRIBE_UPSTREAM_OVERRIDES),
Google's JWKS/tokeninfo (the gateway's `FakeGoogle`) and the LLM providers (OpenAI-protocol
fakes scripted by the orchestrator's `ScriptedLLM`). The gateway stores into real MySQL.
"""

import contextlib
import itertools
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pymysql
import pytest

from finscribe_testkit import dart as dart_testing
from finscribe_testkit import krx as krx_testing
from finscribe_testkit import yahoo as yahoo_testing
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.common.mysql import scratch_database
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.common.stack import ServiceStack
from finscribe_testkit.google import FakeGoogle
from finscribe_testkit.orchestrator.llm import ScriptedLLM

CLIENT_ID = "1234567890-fullstack.apps.googleusercontent.com"

# The real-inference-server suite runs under `make test-llm` only (it needs the llama.cpp
# server venv that target builds); `make test` does not collect it.
if not os.environ.get("FINSCRIBE_LLAMA_SERVER_PYTHON"):
    collect_ignore = ["llm_server"]


@dataclass
class Edges:
    google: FakeGoogle
    primary_llm: ScriptedLLM
    secondary_llm: ScriptedLLM
    env: dict[str, str]


@dataclass
class User:
    sub: str
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="session")
def edges() -> Iterator[Edges]:
    google = FakeGoogle(client_id=CLIENT_ID)
    primary, secondary = ScriptedLLM(), ScriptedLLM()
    with contextlib.ExitStack() as stack:
        krx = stack.enter_context(serve_in_thread(krx_testing.fake_upstream_app()))
        dart = stack.enter_context(serve_in_thread(dart_testing.fake_upstream_app()))
        yahoo = stack.enter_context(serve_in_thread(yahoo_testing.fake_upstream_app()))
        stack.enter_context(google.serve())
        openai = stack.enter_context(serve_in_thread(primary.app))
        local = stack.enter_context(serve_in_thread(secondary.app))
        overrides = ",".join(
            [f"data.krx.co.kr={krx}", f"opendart.fss.or.kr={dart}", yahoo_testing.overrides_for(yahoo)]
        )
        env = {
            "FINSCRIBE_UPSTREAM_OVERRIDES": overrides,
            "KRX_ID": krx_testing.REPLAY_ID,
            "KRX_PW": krx_testing.REPLAY_PW,
            "KRX_MIN_INTERVAL_S": "0",
            "DART_API_KEY": dart_testing.REPLAY_API_KEY,
            "DART_MIN_INTERVAL_S": "0",
            "YAHOO_HTTP_CLIENT": "requests",
            "YAHOO_MIN_INTERVAL_S": "0",
            "AUTH_MODE": "google",
            "GOOGLE_CLIENT_IDS": CLIENT_ID,
            "GOOGLE_JWKS_URL": google.jwks_url,
            "GOOGLE_TOKENINFO_URL": google.tokeninfo_url,
            # both "providers" are local OpenAI-protocol fakes; OpenAI first, the local server as fallback
            "OPENAI_API_KEY": "sk-fullstack-" + "x" * 8,
            "OPENAI_BASE_URL": f"{openai}/v1",
            "LOCAL_LLM_BASE_URL": f"{local}/v1",
            "LLM_CIRCUIT_COOLDOWN_S": "2",
            "LOG_LEVEL": "WARNING",
        }
        yield Edges(google, primary, secondary, env)


def make_user(edges: Edges, name: str) -> User:
    sub = str(10**20 + secrets.randbelow(10**19))
    email = f"{name}@example.com"
    return User(sub, email, edges.google.id_token(sub=sub, email=email))


@pytest.fixture(scope="session")
def stack_env(edges: Edges, mysql_server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    data_dir = tmp_path_factory.mktemp("fullstack-data")
    with scratch_database(mysql_server_url) as database_url:
        env = {
            **edges.env,
            "FINSCRIBE_INTERNAL_TOKEN": secrets.token_urlsafe(32),
            "FINSCRIBE_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "CHROMA_PATH": str(data_dir / "chroma"),
            "RUNS_PER_MINUTE": "1000",
            "MAX_CONCURRENT_RUNS": "4",
            # a run whose gateway died is failed after this long without heartbeats (default 60 s)
            "RUN_STALE_S": "6",
        }
        yield env


@pytest.fixture(scope="session")
def stack(stack_env: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceStack]:
    logs = tmp_path_factory.mktemp("fullstack-logs")
    with ServiceStack(env=stack_env, log_dir=logs, ready_timeout=120) as services:
        services.extra_env["PUBLIC_BASE_URL"] = services.url("gateway")
        services.start()
        yield services


@pytest.fixture
def db_rows(stack_env: dict):
    """Rows of a query on the gateway's MySQL database, as dicts (what the gateway stored)."""

    def query(sql: str, *params: object) -> list[dict]:
        url = httpx.URL(stack_env["DATABASE_URL"].replace("mysql+aiomysql", "mysql"))
        conn = pymysql.connect(
            host=url.host,
            port=url.port or 3306,
            user=url.username or "root",
            password=url.password or "",
            database=url.path.strip("/"),
            cursorclass=pymysql.cursors.DictCursor,
        )
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return list(cur.fetchall())
        finally:
            conn.close()

    return query


@pytest.fixture
def user(edges: Edges) -> User:
    return make_user(edges, "analyst")


@pytest.fixture
def other_user(edges: Edges) -> User:
    return make_user(edges, "intruder")


@pytest.fixture
def gateway(stack: ServiceStack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url("gateway"), timeout=httpx.Timeout(30, read=180)) as client:
        yield client


@pytest.fixture(scope="session")
def paper_pdf() -> Path:
    return fixture_path("ko_finance_llm_paper.pdf")


@dataclass
class RunOutcome:
    status_code: int
    events: list[tuple[str, dict]]
    body: dict | None = None  # the error envelope when the run was refused

    @property
    def types(self) -> list[str]:
        return [t for t, _ in self.events]

    @property
    def run_id(self) -> str:
        return self.events[0][1]["run_id"]

    @property
    def result(self) -> dict:
        completed = [d for t, d in self.events if t == "run.completed"]
        assert completed, f"no run.completed; events: {self.types} {self.failure}"
        return completed[0]["result"]

    @property
    def failure(self) -> dict | None:
        failed = [d for t, d in self.events if t == "run.failed"]
        return failed[0]["error"] if failed else None

    def of(self, kind: str) -> list[dict]:
        return [d for t, d in self.events if t == kind]


def iter_events(lines: Iterator[str]) -> Iterator[tuple[str, dict]]:
    kind, data = None, []
    for line in lines:
        if not line:
            if kind and data:
                yield kind, json.loads("\n".join(data))
            kind, data = None, []
        elif line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            data.append(line[6:])


def read_events(response: httpx.Response) -> list[tuple[str, dict]]:
    return list(iter_events(response.iter_lines()))


class Api:
    """The gateway's public API as one user sees it."""

    def __init__(self, client: httpx.Client, user: User) -> None:
        self.client, self.user = client, user

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {**self.user.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def session(self, doc_id: str | None = None) -> str:
        response = self.request("POST", "/v1/sessions", json={"doc_id": doc_id or secrets.token_hex(8)})
        assert response.status_code in (200, 201), response.text
        return response.json()["session_id"]

    def upload(self, session_id: str, name: str, content: bytes, media: str) -> httpx.Response:
        return self.request("POST", f"/v1/sessions/{session_id}/files", files={"file": (name, content, media)})

    def run(self, session_id: str, kind: str, prompt: str, options: dict, stop_after: int | None = None) -> RunOutcome:
        """Stream a run; `stop_after` events, then hang up (the run carries on without us)."""
        body = {"kind": kind, "prompt": prompt, "options": options}
        with self.client.stream(
            "POST",
            f"/v1/sessions/{session_id}/runs",
            json=body,
            headers={**self.user.headers, "Accept": "text/event-stream"},
        ) as response:
            if response.status_code >= 400:
                response.read()
                return RunOutcome(response.status_code, [], response.json())
            events = list(itertools.islice(iter_events(response.iter_lines()), stop_after))
            return RunOutcome(response.status_code, events)


@pytest.fixture
def api(gateway: httpx.Client, user: User) -> Api:
    return Api(gateway, user)


@pytest.fixture
def make_api(gateway: httpx.Client, edges: Edges):
    def make(name: str) -> Api:
        return Api(gateway, make_user(edges, name))

    return make


@pytest.fixture
def intruder_api(gateway: httpx.Client, other_user: User) -> Api:
    return Api(gateway, other_user)


class BackgroundRun:
    """A run streamed in a thread, so a test can act (kill a service) while it is under way."""

    def __init__(self, api: Api, session_id: str, kind: str, prompt: str, options: dict) -> None:
        self.events: list[tuple[str, dict]] = []
        self.error: BaseException | None = None
        self._seen = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(api, session_id, kind, prompt, options), daemon=True)
        self._thread.start()

    def _read(self, api: Api, session_id: str, kind: str, prompt: str, options: dict) -> None:
        body = {"kind": kind, "prompt": prompt, "options": options}
        try:
            with api.client.stream(
                "POST",
                f"/v1/sessions/{session_id}/runs",
                json=body,
                headers={**api.user.headers, "Accept": "text/event-stream"},
            ) as response:
                for event in iter_events(response.iter_lines()):
                    with self._seen:
                        self.events.append(event)
                        self._seen.notify_all()
        except (httpx.HTTPError, OSError) as exc:  # the gateway itself may be killed by the test
            self.error = exc
        finally:
            with self._seen:
                self._seen.notify_all()

    def wait_for(self, event_type: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        with self._seen:
            while True:
                for kind, data in self.events:
                    if kind == event_type:
                        return data
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    raise AssertionError(f"no {event_type} event; got {[k for k, _ in self.events]} ({self.error})")
                self._seen.wait(remaining)

    def join(self, timeout: float = 180) -> RunOutcome:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the run stream did not end"
        return RunOutcome(200, list(self.events))


@pytest.fixture
def background_run():
    return BackgroundRun


@pytest.fixture
def slow_llm(edges: Edges) -> Iterator[Edges]:
    """Each LLM call takes a moment, so a test can act while a run is under way."""
    edges.primary_llm.latency = edges.secondary_llm.latency = 0.8
    try:
        yield edges
    finally:
        edges.primary_llm.latency = edges.secondary_llm.latency = 0.0


def wait_run_finished(api: Api, run_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        response = api.request("GET", f"/v1/runs/{run_id}")
        if response.status_code == 200 and response.json()["status"] != "running":
            return response.json()
        if time.monotonic() > deadline:
            raise AssertionError(f"run {run_id} still running after {timeout} s: {response.text[:300]}")
        time.sleep(0.5)


@pytest.fixture
def finished_run():
    return wait_run_finished
