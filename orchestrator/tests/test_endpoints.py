"""The routes: token guard, bad input as the error envelope before any event, the graph listing."""

import httpx
import pytest

from finscribe_orchestrator.config import OrchestratorSettings
from finscribe_orchestrator.main import create_app
from finscribe_testkit.orchestrator.stack import TOKEN


@pytest.fixture
def client():
    app = create_app(OrchestratorSettings(_env_file=None, internal_token=TOKEN))  # type: ignore[call-arg]
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app), base_url="http://o", headers={"X-Internal-Token": TOKEN}
    )


BODY = {"run_id": "r", "kind": "draft", "prompt": "p", "options": {}, "user": {"sub": "u"}}


async def test_internal_token_required(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/runs", json=BODY, headers={"X-Internal-Token": "wrong"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"kind": "poem"}, "kind"),
        ({"options": {"length": "huge"}}, "options.length"),
        ({"kind": "rewrite", "options": {"mode": "polish"}}, "options.text"),
        ({"rag_collection": "../etc"}, "rag_collection"),
        ({"files": [{"file_id": "f", "kind": "exe", "url": "x"}]}, "files"),
    ],
)
async def test_bad_input_is_a_422_envelope(client: httpx.AsyncClient, change: dict, loc: str) -> None:
    response = await client.post("/v1/runs", json={**BODY, **change})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and loc in error["message"] and error["request_id"]


async def test_graphs_lists_every_kind_with_its_nodes(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/graphs")
    graphs = {g["kind"]: g for g in response.json()["graphs"]}
    assert set(graphs) == {"draft", "paragraph", "rewrite", "chart", "ask"}
    assert graphs["draft"]["nodes"] == ["resolve", "gather", "outline", "review", "write_section", "charts", "assemble"]
    assert "write_section" in graphs["draft"]["mermaid"]
    assert {"retrieve", "grade", "rewrite_query", "verify"} <= set(graphs["paragraph"]["nodes"])


async def test_readiness_checks_graphs_and_the_korean_font(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"graphs": "ok", "chart_font": "ok"}
