"""The user chooses which uploaded PDFs a run reads (`options.file_ids`): the orchestrator
is sent only those; an id that is not a PDF of the session is a 404 before a run exists."""

from finscribe_testkit.common.fixtures import fixture_path

PAPER = fixture_path("ko_finance_llm_paper.pdf").read_bytes()
CSV = b"Date,005930\n2024-01-02,77916.609375\n2024-01-03,75371.59375\n"


async def _upload(client, sid: str, name: str, data: bytes, ctype: str) -> str:
    response = await client.post(f"/v1/sessions/{sid}/files", files={"file": (name, data, ctype)})
    assert response.status_code == 201, response.text
    return response.json()["file_id"]


async def test_only_the_chosen_pdfs_reach_the_orchestrator(alice, alice_session, orchestrator, stream_run, rag) -> None:
    first = await _upload(alice, alice_session, "a.pdf", PAPER, "application/pdf")
    second = await _upload(alice, alice_session, "b.pdf", PAPER + b"\n%second", "application/pdf")
    csv = await _upload(alice, alice_session, "c.csv", CSV, "text/csv")
    base = {"kind": "draft", "prompt": "삼성전자", "options": {"company": "삼성전자"}}

    run = await stream_run(alice, alice_session, {**base, "options": {**base["options"], "file_ids": [second]}})
    assert run.types()[-1] == "run.completed"
    assert [f["file_id"] for f in orchestrator.requests[-1]["files"] if f["kind"] == "pdf"] == [second]
    assert any(f["file_id"] == csv for f in orchestrator.requests[-1]["files"])

    none = await stream_run(alice, alice_session, {**base, "options": {**base["options"], "file_ids": []}})
    assert none.types()[-1] == "run.completed"
    assert [f for f in orchestrator.requests[-1]["files"] if f["kind"] == "pdf"] == []

    everything = await stream_run(alice, alice_session, base)
    assert everything.types()[-1] == "run.completed"
    assert {f["file_id"] for f in orchestrator.requests[-1]["files"] if f["kind"] == "pdf"} == {first, second}

    asked = {"kind": "ask", "prompt": "요약해 줘", "options": {"file_ids": [first]}}
    assert (await stream_run(alice, alice_session, asked)).types()[-1] == "run.completed"
    assert [f["file_id"] for f in orchestrator.requests[-1]["files"] if f["kind"] == "pdf"] == [first]


async def test_a_file_that_is_not_a_pdf_of_the_session_is_refused(alice, bob, alice_session, stream_run, rag) -> None:
    csv = await _upload(alice, alice_session, "c.csv", CSV, "text/csv")
    bob_session = (await bob.post("/v1/sessions", json={"doc_id": "bob-doc"})).json()["session_id"]
    bobs_pdf = await _upload(bob, bob_session, "b.pdf", PAPER, "application/pdf")
    for file_ids in ([csv], [bobs_pdf], ["0" * 32]):
        body = {"kind": "paragraph", "prompt": "요약", "options": {"file_ids": file_ids}}
        response = await alice.post(f"/v1/sessions/{alice_session}/runs", json=body)
        assert response.status_code == 404, file_ids
        assert response.json()["error"]["code"] == "file_not_found"
    for bad in (["../x"], "abc", [1]):
        body = {"kind": "draft", "prompt": "x", "options": {"file_ids": bad}}
        response = await alice.post(f"/v1/sessions/{alice_session}/runs", json=body)
        assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"
    assert (await alice.get(f"/v1/sessions/{alice_session}/runs")).json()["items"] == []


async def test_history_lists_each_runs_cost(alice, alice_session, stream_run) -> None:
    run = await stream_run(alice, alice_session, {"kind": "draft", "prompt": "삼성전자", "options": {}})
    cost = run.last("run.completed")["result"]["usage"]["cost_usd"]
    listed = (await alice.get(f"/v1/sessions/{alice_session}/runs")).json()["items"]
    assert listed[0]["cost_usd"] == cost and isinstance(cost, float)
    run_id = run.events[0][1]["run_id"]
    assert (await alice.get(f"/v1/runs/{run_id}")).json()["cost_usd"] == cost
