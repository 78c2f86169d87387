"""Issue 15, item 2: a lone surrogate (valid JSON: "\\ud800") never reaches storage, and a
row stored before the guard existed still reads back (as U+FFFD) instead of a 500 forever."""

import pytest

from finscribe_common.schemas import utc_now
from finscribe_gateway.runs import repository as runs_repository

ALICE_SUB = "100000000000000000001"


@pytest.mark.parametrize(
    "body",
    [
        '{"kind": "ask", "prompt": "\\ud800"}',
        '{"kind": "draft", "prompt": "x", "options": {"sections": ["개요", "\\udc00"]}}',
        '{"kind": "rewrite", "prompt": "", "options": {"text": "\\ufffe", "mode": "polish"}}',
        '{"kind": "ask", "prompt": "q", "options": {"\\ud83d": 1}}',
    ],
)
async def test_bad_text_is_422_and_no_run_is_stored(alice, alice_session, orchestrator, body) -> None:
    response = await alice.post(
        f"/v1/sessions/{alice_session}/runs", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_text"
    listed = (await alice.get(f"/v1/sessions/{alice_session}/runs")).json()["items"]
    assert listed == [] and orchestrator.requests == []


async def test_bad_text_in_a_session_title_or_doc_id_is_422(alice) -> None:
    for body in ('{"doc_id": "\\ud800"}', '{"doc_id": "d", "title": "\\uffff"}'):
        response = await alice.post("/v1/sessions", content=body.encode(), headers={"Content-Type": "application/json"})
        assert response.status_code == 422, response.text
    assert (await alice.get("/v1/sessions")).json()["items"] == []


async def test_a_row_stored_with_a_lone_surrogate_reads_back(gateway, alice, alice_session) -> None:
    run_id = "e" * 32
    async with gateway.app.state.service.engine.begin() as conn:
        await runs_repository.insert(
            conn,
            {
                "id": run_id,
                "session_id": alice_session,
                "user_sub": ALICE_SUB,
                "kind": "draft",
                "prompt": "보고서",
                "options": {"sections": ["개요", "\ud800"]},
                "status": "failed",
                "error": {"code": "x", "message": "\udfff"},
                "created_at": utc_now(microseconds=True),
            },
        )
    response = await alice.get(f"/v1/runs/{run_id}")
    assert response.status_code == 200, response.text
    assert response.json()["options"]["sections"] == ["개요", "\ufffd"]
    listed = await alice.get(f"/v1/sessions/{alice_session}")
    assert listed.status_code == 200
