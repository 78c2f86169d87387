"""Sessions: idempotent per (user, doc), scoped to their owner, deleted with everything."""

import httpx

from finscribe_gateway.files.rag_client import collection_name
from finscribe_testkit.common.fixtures import fixture_path

DOC = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-x"


async def test_create_is_idempotent_per_user_and_doc(alice: httpx.AsyncClient) -> None:
    first = await alice.post("/v1/sessions", json={"doc_id": DOC, "title": "삼성전자 분석"})
    again = await alice.post("/v1/sessions", json={"doc_id": DOC})
    other = await alice.post("/v1/sessions", json={"doc_id": "another-doc"})
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["session_id"] == first.json()["session_id"]
    assert again.json()["title"] == "삼성전자 분석"
    assert other.json()["session_id"] != first.json()["session_id"]
    listed = (await alice.get("/v1/sessions")).json()["items"]
    assert {s["session_id"] for s in listed} == {first.json()["session_id"], other.json()["session_id"]}


async def test_two_users_same_doc_get_separate_sessions(alice, bob) -> None:
    a = (await alice.post("/v1/sessions", json={"doc_id": DOC})).json()
    b = (await bob.post("/v1/sessions", json={"doc_id": DOC})).json()
    assert a["session_id"] != b["session_id"]


async def test_another_users_ids_answer_404(alice, bob, alice_session: str, orchestrator) -> None:
    pdf = fixture_path("ko_finance_llm_paper.pdf").read_bytes()
    upload = await alice.post(
        f"/v1/sessions/{alice_session}/files", files={"file": ("paper.pdf", pdf, "application/pdf")}
    )
    file_id = upload.json()["file_id"]
    run = await alice.post(f"/v1/sessions/{alice_session}/runs", json={"kind": "draft", "prompt": "삼성전자 개요"})
    run_id = run.json()["run_id"]

    probes = [
        bob.get(f"/v1/sessions/{alice_session}"),
        bob.delete(f"/v1/sessions/{alice_session}"),
        bob.get(f"/v1/sessions/{alice_session}/files"),
        bob.post(f"/v1/sessions/{alice_session}/files", files={"file": ("x.pdf", pdf, "application/pdf")}),
        bob.delete(f"/v1/sessions/{alice_session}/files/{file_id}"),
        bob.post(f"/v1/sessions/{alice_session}/runs", json={"kind": "draft", "prompt": "x"}),
        bob.get(f"/v1/sessions/{alice_session}/runs"),
        bob.get(f"/v1/runs/{run_id}"),
    ]
    for probe in probes:
        response = await probe
        assert response.status_code == 404, (response.request.method, response.request.url, response.text)
        assert response.json()["error"]["code"] == "not_found"
    assert (await bob.get("/v1/sessions")).json()["items"] == []
    # and nothing of alice's changed
    detail = (await alice.get(f"/v1/sessions/{alice_session}")).json()
    assert [f["file_id"] for f in detail["files"]] == [file_id]
    assert [r["run_id"] for r in detail["runs"]] == [run_id]
    assert len(orchestrator.requests) == 1


async def test_delete_removes_runs_files_charts_and_the_collection(
    gateway, alice, alice_session: str, alice_token: str, rag
) -> None:
    pdf = fixture_path("ko_finance_llm_paper.pdf").read_bytes()
    upload = (
        await alice.post(f"/v1/sessions/{alice_session}/files", files={"file": ("paper.pdf", pdf, "application/pdf")})
    ).json()
    run = (await alice.post(f"/v1/sessions/{alice_session}/runs", json={"kind": "draft", "prompt": "개요"})).json()
    chart_url = run["result"]["charts"][0]["url"]
    async with httpx.AsyncClient() as anonymous:
        assert (await anonymous.get(chart_url)).status_code == 200
    stored = gateway.settings.resolved_files_dir / alice_session
    assert any(stored.iterdir())

    response = await alice.delete(f"/v1/sessions/{alice_session}")
    assert response.status_code == 204
    assert rag.deleted_collections == [collection_name("100000000000000000001", alice_session)]
    assert (await alice.get(f"/v1/sessions/{alice_session}")).status_code == 404
    assert (await alice.get(f"/v1/runs/{run['run_id']}")).status_code == 404
    async with httpx.AsyncClient() as anonymous:
        assert (await anonymous.get(chart_url)).status_code == 404
    assert not stored.exists()
    assert upload["file_id"] not in str(rag.documents)


async def test_delete_keeps_everything_when_rag_is_down(alice, alice_session: str, rag) -> None:
    rag.fail_with = 503
    response = await alice.delete(f"/v1/sessions/{alice_session}")
    assert response.status_code == 503
    assert "rag" in response.json()["error"]["message"]
    assert (await alice.get(f"/v1/sessions/{alice_session}")).status_code == 200
    rag.fail_with = None
    assert (await alice.delete(f"/v1/sessions/{alice_session}")).status_code == 204
