"""End-to-end fixtures: real headless Chromium with the unpacked extension, the real
gateway (and the real rag service) on loopback ports, and local fakes for what is outside
FinScribe and speaks its own protocol:

- `FakeGoogle` (finscribe_testkit.google): JWKS and ID-token signing;
- `GoogleWeb` (here): the OAuth 2.0 authorization endpoint (implicit flow answering with
  a redirect to the extension's chromiumapp.org URL, as Google does), the revoke endpoint
  and the Docs API `documents.get` / `documents.batchUpdate`, recording every request body
  and applying it with the documented Docs body model (tests/docs-model/, see ModelDocument);
- the orchestrator: `FakeOrchestrator` from the test kit (`finscribe_testkit.gateway`), scripted per kind
  (the real orchestrator had not landed when these tests were written).

The extension reaches the fakes through its configurable endpoints (options stored in
chrome.storage.local), never through request interception, except for the Docs *web page*
itself: `https://docs.google.com/document/d/<id>/edit` is served by Playwright routing so
that a tab has a real Docs URL for the panel to follow.
"""

import asyncio
import contextlib
import copy
import json
import re
import secrets
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from finscribe_common.settings import ServiceUrls
from finscribe_testkit.common.server import free_port, serve_in_thread
from finscribe_testkit.gateway.fake_orchestrator import Emit, FakeOrchestrator, default_script
from finscribe_testkit.google import FakeGoogle

EXTENSION_DIR = Path(__file__).resolve().parents[1]
REPO = EXTENSION_DIR.parent
CHROMIUM = "/usr/bin/chromium"
INTERNAL_TOKEN = "extension-e2e-internal-token"
CLIENT_ID = "1234567890-finscribe-e2e.apps.googleusercontent.com"
DOC_ID = "1FinScribeE2eDocument_abcdefghijklmnop"
OTHER_DOC_ID = "1FinScribeE2eSecondDoc_qrstuvwxyz012345"
SCOPES = {"openid", "email", "profile", "https://www.googleapis.com/auth/documents"}
REDIRECT = re.compile(r"^https://[a-p]{32}\.chromiumapp\.org/$")
USER_SUB = "109876543210987654321"
USER_EMAIL = "analyst@example.com"


def initial_document() -> dict[str, Any]:
    """documents.get for a short Korean memo: a heading and two paragraphs (indexes in UTF-16 units)."""

    def para(start: int, text: str, style: str = "NORMAL_TEXT") -> dict[str, Any]:
        end = start + len(text.encode("utf-16-le")) // 2
        return {
            "startIndex": start,
            "endIndex": end,
            "paragraph": {
                "elements": [{"startIndex": start, "endIndex": end, "textRun": {"content": text, "textStyle": {}}}],
                "paragraphStyle": {"namedStyleType": style, "direction": "LEFT_TO_RIGHT"},
            },
        }

    return {
        "documentId": DOC_ID,
        "title": "FinScribe E2E",
        "body": {
            "content": [
                {"endIndex": 1, "sectionBreak": {"sectionStyle": {"columnSeparatorStyle": "NONE"}}},
                para(1, "시장 메모\n", "HEADING_1"),
                para(7, "KOSPI는 상승했다.\n"),
                para(20, "끝.\n"),
            ]
        },
        "revisionId": "rev-1",
        "suggestionsViewMode": "SUGGESTIONS_INLINE",
    }


DOCS_MODEL_CLI = EXTENSION_DIR / "tests" / "docs-model" / "cli.mjs"


class BadRequest(Exception):
    pass


class ModelDocument:
    """The fake's document, kept as its documents.get answer. Each batchUpdate body is checked
    against Google's discovery document and applied all or nothing by the documented Docs body
    model (tests/docs-model/docs-body.mjs, written from Google's Docs API documentation, run
    with node): the same model the JS unit and property tests use, so the two cannot drift."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.json = document

    def apply_batch(self, body: dict[str, Any]) -> None:
        """Applies a batch or raises BadRequest with the model's 400 message (Google's wording)."""
        answer = subprocess.run(
            ["node", str(DOCS_MODEL_CLI)],
            input=json.dumps({"document": self.json, "body": body}),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        out = json.loads(answer.stdout)
        if "error" in out:
            raise BadRequest(out["error"]["message"])
        self.json = out["document"]

    def to_json(self) -> dict[str, Any]:
        return copy.deepcopy(self.json)


def google_error(status: int, message: str, code: str) -> JSONResponse:
    return JSONResponse({"error": {"code": status, "message": message, "status": code}}, status_code=status)


@dataclass
class GoogleWeb:
    """OAuth authorization + revoke + Docs API, speaking Google's shapes."""

    google: FakeGoogle
    doc: ModelDocument = field(default_factory=lambda: ModelDocument(initial_document()))
    revision: int = 1
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    batch_updates: list[dict[str, Any]] = field(default_factory=list)
    batch_answers: list[int] = field(default_factory=list)  # status of each batchUpdate answer
    docs_tokens_seen: list[str] = field(default_factory=list)
    access_tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry
    consented: bool = False  # a Google session exists after the first interactive sign-in
    throttle_next: int = 0  # answer this many batchUpdates with 429 first
    refuse_images: bool = False  # Google cannot fetch image URLs (e.g. a gateway on loopback)
    base_url: str = ""
    lock: threading.RLock = field(default_factory=threading.RLock)
    batch_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/o/oauth2/v2/auth", self._authorize, methods=["GET"]),
                Route("/revoke", self._revoke, methods=["POST"]),
                Route("/v1/documents/{doc_id}", self._get, methods=["GET"]),
                Route("/v1/documents/{doc_id}:batchUpdate", self._batch_update, methods=["POST"]),
            ]
        )

    # --- OAuth -------------------------------------------------------------------------

    async def _authorize(self, request: Request) -> Response:
        q = dict(request.query_params)
        self.authorize_requests.append(q)
        redirect = q.get("redirect_uri", "")
        if q.get("client_id") != CLIENT_ID or not REDIRECT.match(redirect):
            return JSONResponse({"error": "invalid_request"}, status_code=400)  # Google shows an error page
        if (
            q.get("response_type") != "token id_token"
            or set(q.get("scope", "").split()) != SCOPES
            or not q.get("nonce")
        ):
            return RedirectResponse(
                f"{redirect}#{urlencode({'error': 'invalid_request', 'state': q.get('state', '')})}"
            )
        if q.get("prompt") == "none" and not self.consented:
            return RedirectResponse(
                f"{redirect}#{urlencode({'error': 'interaction_required', 'state': q.get('state', '')})}"
            )
        self.consented = True
        access = "ya29.e2e-" + secrets.token_urlsafe(24)
        self.access_tokens[access] = time.time() + 3599
        id_token = self.google.id_token(sub=USER_SUB, email=USER_EMAIL, nonce=q["nonce"])
        fragment = urlencode(
            {
                "state": q.get("state", ""),
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": "3599",
                "scope": " ".join(sorted(SCOPES)),
                "id_token": id_token,
                "authuser": "0",
                "prompt": "none" if q.get("prompt") == "none" else "consent",
            }
        )
        return RedirectResponse(f"{redirect}#{fragment}", status_code=302)

    async def _revoke(self, request: Request) -> Response:
        form = await request.form()
        token = str(form.get("token") or "")
        if token not in self.access_tokens:
            return JSONResponse(
                {"error": "invalid_token", "error_description": "Token expired or revoked"}, status_code=400
            )
        self.revoked.append(token)
        self.access_tokens.pop(token, None)
        self.consented = False
        return Response(status_code=200)

    def expire_access_tokens(self) -> None:
        for token in self.access_tokens:
            self.access_tokens[token] = 0

    # --- Docs API ------------------------------------------------------------------------

    def _authorized(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ")
        self.docs_tokens_seen.append(token)
        return header.startswith("Bearer ") and self.access_tokens.get(token, 0) > time.time()

    def _unauthenticated(self) -> JSONResponse:
        return google_error(
            401,
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
            "valid authentication credential.",
            "UNAUTHENTICATED",
        )

    async def _get(self, request: Request) -> Response:
        if not self._authorized(request):
            return self._unauthenticated()
        doc_id = request.path_params["doc_id"]
        if doc_id == OTHER_DOC_ID:
            return JSONResponse({**initial_document(), "documentId": OTHER_DOC_ID, "title": "두 번째 문서"})
        if doc_id != DOC_ID:
            return google_error(404, "Requested entity was not found.", "NOT_FOUND")
        return JSONResponse(self.document)

    @property
    def document(self) -> dict[str, Any]:
        """What documents.get answers now."""
        with self.lock:
            return {**self.doc.to_json(), "revisionId": f"rev-{self.revision}"}

    def concurrent_edit(self) -> None:
        """Someone else edits the document (elsewhere): a new revision."""
        with self.lock:
            self.revision += 1

    async def _batch_update(self, request: Request) -> Response:
        if not self._authorized(request):
            return self._unauthenticated()
        body = await request.json()
        async with self.batch_lock:  # one batch at a time, as Docs orders writes
            return await self._apply_batch(body)

    async def _apply_batch(self, body: dict[str, Any]) -> Response:
        with self.lock:
            if self.throttle_next > 0:
                self.throttle_next -= 1
                self.batch_answers.append(429)
                response = google_error(429, "Quota exceeded for quota metric 'Write requests'.", "RESOURCE_EXHAUSTED")
                response.headers["Retry-After"] = "1"
                return response
            requests = body.get("requests")
            if not isinstance(requests, list) or not requests or any(len(r) != 1 for r in requests):
                self.batch_answers.append(400)
                return google_error(400, "Invalid requests", "INVALID_ARGUMENT")
            images = [i for i, r in enumerate(requests) if "insertInlineImage" in r]
            if self.refuse_images and images:
                self.batch_answers.append(400)
                return google_error(
                    400,
                    f"Invalid requests[{images[0]}].insertInlineImage: There was a problem retrieving the image. "
                    "The provided image should be publicly accessible, within size limit, and in supported formats.",
                    "INVALID_ARGUMENT",
                )
            required = (body.get("writeControl") or {}).get("requiredRevisionId")
            current = f"rev-{self.revision}"
            if required is not None and required != current:
                self.batch_answers.append(400)
                return google_error(
                    400,
                    f"The required revision ID {required!r} does not match the latest revision {current!r}.",
                    "FAILED_PRECONDITION",
                )
            # all or nothing, as Docs applies a batch (node runs the model off the event loop)
            try:
                await asyncio.to_thread(self.doc.apply_batch, body)
            except BadRequest as exc:
                self.batch_answers.append(400)
                return google_error(400, str(exc), "INVALID_ARGUMENT")
            self.batch_updates.append(body)
            self.batch_answers.append(200)
            self.revision += 1
            replies = [
                {"insertInlineImage": {"objectId": f"kix.{secrets.token_hex(6)}"}} if "insertInlineImage" in r else {}
                for r in requests
            ]
            return JSONResponse(
                {
                    "documentId": DOC_ID,
                    "replies": replies,
                    "writeControl": {"requiredRevisionId": f"rev-{self.revision}"},
                }
            )


@pytest.fixture(scope="session")
def fake_google() -> Iterator[FakeGoogle]:
    fake = FakeGoogle(client_id=CLIENT_ID)
    with fake.serve():
        yield fake


@pytest.fixture(scope="module")
def google_web(fake_google: FakeGoogle) -> Iterator[GoogleWeb]:
    fake = GoogleWeb(google=fake_google)
    with serve_in_thread(fake.app) as base:
        fake.base_url = base
        yield fake


REWRITTEN = "KOSPI는 이날 **상승** 마감했다."
# what an answer may carry that must never become markup or script in the panel
HOSTILE_MARKDOWN = (
    '답변 <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script>\n\n'
    "[클릭](javascript:window.__xss=3) [정상 링크](https://finance.yahoo.com/quote/005930.KS/history)"
)


SLOW = "천천히"  # a prompt with this word runs for several seconds (closing the panel mid-draft)
FAILS_NO_DATA = "데이터 없음"
# the warning the orchestrator's Scope.warn_failed_services sends in an English run
SOURCE_DOWN_IN_ENGLISH = {
    "code": "source_unavailable",
    "message": "Some DART filings (dart) data could not be fetched and was left out (timeout).",
    "params": {"service_label": "DART filings", "service": "dart", "reason": "timeout"},
}  # a prompt with this ends in run.failed no_data, as the chart node does


def e2e_script(request: dict[str, Any]) -> list[Any]:
    """The gateway kit's default draft script (numbers from the real Yahoo fixture); a rewrite
    answers with the user's own sentence reworded (it carries no figures)."""
    prompt = str(request.get("prompt") or "")
    if FAILS_NO_DATA in prompt:
        return [
            Emit("run.started", {"kind": request.get("kind")}),
            Emit("step", {"name": "fetch", "status": "failed", "progress": 0.3}),
            Emit("run.failed", {"error": {"code": "no_data", "message": "차트로 그릴 데이터를 가져오지 못했습니다."}}),
        ]
    if SLOW in prompt:
        script = default_script(request)
        return [
            *script[:2],
            # step details and warnings come in the run's language (an English draft here) with
            # their code and params (orchestrator messages.py): the Korean panel says them in Korean
            Emit(
                "step",
                {
                    "name": "fetch",
                    "status": "done",
                    "progress": 0.3,
                    "detail": "11 datasets",
                    "detail_code": "step_datasets",
                    "detail_params": {"count": 11},
                },
                delay=2.0,
            ),
            Emit("warning", SOURCE_DOWN_IN_ENGLISH),
            Emit("step", {"name": "section:s1", "status": "started", "detail": "주가 동향", "progress": 0.4}),
            Emit("section.delta", {"section_id": "s1", "text": "삼성전자(005930.KS)의 "}, delay=2.0),
            Emit("section.delta", {"section_id": "s1", "text": "수정종가는"}, delay=3.0),
            script[4],
            Emit("step", {"name": "section:s1", "status": "done", "detail": "주가 동향", "progress": 0.9}),
            Emit("run.completed", script[5].data, delay=2.0),
        ]
    if request.get("kind") == "ask":
        answer = {
            "title": "",
            "markdown": HOSTILE_MARKDOWN,
            "blocks": [],
            "citations": [],
            "charts": [],
            "warnings": [],
        }
        return [Emit("run.started", {"kind": "ask"}), Emit("run.completed", {"result": answer})]
    if request.get("kind") != "rewrite":
        return [
            *default_script(request)[:3],
            # slow enough for the panel to show live progress before the result
            Emit("step", {"name": "write", "status": "started", "progress": 0.6}, delay=1.0),
            *default_script(request)[3:5],
            Emit("step", {"name": "write", "status": "done", "progress": 0.9}, delay=1.5),
            default_script(request)[5],
        ]
    result = {
        "title": "",
        "markdown": REWRITTEN,
        "blocks": [{"type": "paragraph", "text": REWRITTEN, "citations": []}],
        "citations": [],
        "charts": [],
        "warnings": [],
        "usage": {"llm_calls": 1, "prompt_tokens": 40, "completion_tokens": 12, "cost_usd": 0.0, "by_provider": {}},
        "timings": {"rewrite": 0.01},
    }
    return [
        Emit("run.started", {"kind": "rewrite"}),
        Emit("step", {"name": "rewrite", "status": "started", "progress": 0.2}),
        Emit("section.delta", {"section_id": "rewrite", "text": "KOSPI는 이날"}),
        Emit("step", {"name": "rewrite", "status": "done", "progress": 1.0}),
        Emit("run.completed", {"result": result}),
    ]


@contextlib.contextmanager
def serve_fake_orchestrator(script: Any) -> Iterator[FakeOrchestrator]:
    """The fake orchestrator running `script` on a loopback port (`fake.base_url`)."""
    fake = FakeOrchestrator(script, internal_token=INTERNAL_TOKEN)
    with serve_in_thread(fake.app) as base:
        fake.base_url = base  # type: ignore[attr-defined]
        yield fake


@pytest.fixture(scope="module")
def orchestrator() -> Iterator[FakeOrchestrator]:
    with serve_fake_orchestrator(e2e_script) as fake:
        yield fake


@pytest.fixture(scope="session")
def rag(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from finscribe_rag.config import RagSettings
    from finscribe_rag.main import create_app

    settings = RagSettings(internal_token=INTERNAL_TOKEN, data_dir=tmp_path_factory.mktemp("rag"))
    with serve_in_thread(create_app(settings)) as base:
        yield base


@dataclass
class Stack:
    gateway_url: str
    google: FakeGoogle
    web: GoogleWeb
    orchestrator: FakeOrchestrator


@contextlib.contextmanager
def run_gateway(
    tmp_path_factory: pytest.TempPathFactory,
    fake_google: FakeGoogle,
    orchestrator_url: str,
    rag: str,
    port: int,
    demo: bool = False,
) -> Iterator[str]:
    from finscribe_gateway.config import GatewaySettings
    from finscribe_gateway.main import create_app

    data = tmp_path_factory.mktemp("gateway")
    settings = GatewaySettings(
        auth_mode="google",
        google_client_ids=[CLIENT_ID],
        google_jwks_url=fake_google.jwks_url,
        google_tokeninfo_url=fake_google.tokeninfo_url,
        internal_token=INTERNAL_TOKEN,
        data_dir=data,
        database_url=f"sqlite+aiosqlite:///{data / 'gateway.db'}",
        public_base_url=f"http://127.0.0.1:{port}",
        rag_index_wait_s=0.0,
        demo=demo,
    )
    urls = ServiceUrls(gateway=f"http://127.0.0.1:{port}", orchestrator=orchestrator_url, rag=rag)
    with serve_in_thread(create_app(settings, urls=urls), port=port) as base:
        yield base


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    fake_google: FakeGoogle,
    google_web: GoogleWeb,
    orchestrator: FakeOrchestrator,
    rag: str,
) -> Iterator[Stack]:
    """The gateway in front of the gateway kit's scripted FakeOrchestrator."""
    orchestrator_url = orchestrator.base_url  # type: ignore[attr-defined]
    with run_gateway(tmp_path_factory, fake_google, orchestrator_url, rag, free_port()) as base:
        yield Stack(gateway_url=base, google=fake_google, web=google_web, orchestrator=orchestrator)


@dataclass
class RealStack(Stack):
    llm: Any = None


@pytest.fixture(scope="module")
def real_stack(
    tmp_path_factory: pytest.TempPathFactory, fake_google: FakeGoogle, google_web: GoogleWeb, rag: str
) -> Iterator[RealStack]:
    """The gateway in front of the real orchestrator, whose krx/dart/yahoo are the real
    services with their upstreams replayed from the recorded fixtures (in-process, as the
    test kit's `orchestrator.stack` wires them) and whose LLM is the kit's ScriptedLLM
    speaking the OpenAI protocol (`finscribe_testkit.common.fake_openai`)."""
    with serve_real_stack(tmp_path_factory, fake_google, google_web, rag) as served:
        yield served


@contextlib.contextmanager
def serve_real_stack(
    tmp_path_factory: pytest.TempPathFactory,
    fake_google: FakeGoogle,
    google_web: GoogleWeb,
    rag: str,
    *,
    demo: bool = False,
    **orchestrator_settings: Any,
) -> Iterator[RealStack]:
    """`real_stack`; `demo=True` runs the orchestrator and the gateway in demo mode (`make demo`)."""
    import httpx

    from finscribe_orchestrator.config import OrchestratorSettings
    from finscribe_orchestrator.main import create_app
    from finscribe_testkit.orchestrator.llm import ScriptedLLM
    from finscribe_testkit.orchestrator.stack import replayed_data_services

    llm = ScriptedLLM(sections=["개요", "주가 동향"])
    port = free_port()
    with replayed_data_services(token=INTERNAL_TOKEN) as services:
        transports = {**services.transports, "llm": httpx.ASGITransport(llm.app)}
        settings = OrchestratorSettings(
            _env_file=None,  # type: ignore[call-arg]
            internal_token=INTERNAL_TOKEN,
            data_timeout_s=10.0,
            demo=demo,
            **orchestrator_settings,
        )
        urls = ServiceUrls(gateway=f"http://127.0.0.1:{port}", rag=rag, llm_router="http://llm-router.invalid")
        with (
            serve_in_thread(create_app(settings, urls=urls, transports=transports)) as orchestrator_url,
            run_gateway(tmp_path_factory, fake_google, orchestrator_url, rag, port, demo=demo) as base,
        ):
            yield RealStack(gateway_url=base, google=fake_google, web=google_web, orchestrator=None, llm=llm)  # type: ignore[arg-type]


DOCS_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title} - Google Docs</title></head>
<body><p>A stand-in for the Google Docs editor page (served by Playwright routing).</p></body></html>"""


def docs_page_for(route: Any) -> None:
    title = "두 번째 문서" if OTHER_DOC_ID in route.request.url else "FinScribe E2E"
    route.fulfill(status=200, content_type="text/html; charset=utf-8", body=DOCS_PAGE.format(title=title))


@dataclass
class Browser:
    context: Any
    extension_id: str
    docs_page: Any
    panel: Any
    console: list[str]


@contextlib.contextmanager
def launch_browser(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=False,  # --headless=new below: the new headless mode loads extensions
            args=[
                "--headless=new",
                f"--disable-extensions-except={EXTENSION_DIR}",
                f"--load-extension={EXTENSION_DIR}",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--lang=ko",
            ],
            env={"LANGUAGE": "ko", "LANG": "ko_KR.UTF-8", "HOME": str(profile)},
            viewport={"width": 380, "height": 900},
            locale="ko-KR",
        )
        try:
            worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
            extension_id = urlparse(worker.url).netloc
            config = {
                "gatewayUrl": stack.gateway_url,
                "authMode": "google",
                "clientId": CLIENT_ID,
                "oauthAuthUrl": f"{stack.web.base_url}/o/oauth2/v2/auth",
                "oauthRevokeUrl": f"{stack.web.base_url}/revoke",
                "docsApiUrl": stack.web.base_url,
            }
            worker.evaluate("config => chrome.storage.local.set({ config })", config)
            context.route(
                re.compile(r"^https://docs\.google\.com/document/"),
                docs_page_for,
            )
            docs_page = context.pages[0] if context.pages else context.new_page()
            docs_page.goto(f"https://docs.google.com/document/d/{DOC_ID}/edit")
            panel = context.new_page()
            console: list[str] = []
            panel.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            panel.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            panel.goto(f"chrome-extension://{extension_id}/sidepanel.html")
            panel.wait_for_selector("body[data-ready='true']", timeout=15_000)
            yield Browser(context=context, extension_id=extension_id, docs_page=docs_page, panel=panel, console=console)
        finally:
            context.close()


@pytest.fixture(scope="module")
def browser(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with launch_browser(stack, tmp_path_factory) as launched:
        yield launched


@pytest.fixture(scope="module")
def real_browser(real_stack: RealStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with launch_browser(real_stack, tmp_path_factory) as launched:
        yield launched


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = REPO / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
