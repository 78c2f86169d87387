"""Report templates through the gateway: the built-ins listed, a template saved per account
(refusals, isolation, deletion), a draft from a saved template written by the real
orchestrator with exactly its sections; a bad template reference stores no run."""

from typing import Any

from finscribe_testkit.orchestrator.runner import AS_OF

MINE = {
    "name": "내 분기 점검",
    "title": "{company} 분기 점검",
    "figures_first": True,
    "sections": [
        {"title": "이번 분기", "instructions": "영업이익률을 먼저", "data": ["metrics_interim"]},
        {"title": "주가", "data": ["price"]},
    ],
}


async def test_builtins_are_listed_and_a_saved_template_belongs_to_its_account(alice, bob) -> None:
    listed = (await alice.get("/v1/templates")).json()["items"]
    assert [t["id"] for t in listed] == ["company_analysis", "earnings_review", "investment_memo", "peer_comparison"]
    assert all(t["builtin"] for t in listed)

    saved = await alice.post("/v1/templates", json=MINE)
    assert saved.status_code == 201, saved.text
    template = saved.json()
    assert template["id"].startswith("u_") and not template["builtin"]
    assert template["sections"][0]["instructions"] == "영업이익률을 먼저"
    mine = (await alice.get("/v1/templates")).json()["items"]
    assert mine[-1] == template
    assert (await alice.get(f"/v1/templates/{template['id']}")).json() == template

    # same name again, bad shapes: refused in the envelope, nothing more stored
    again = await alice.post("/v1/templates", json=MINE)
    assert again.status_code == 409 and again.json()["error"]["code"] == "template_exists"
    for bad in (
        {**MINE, "name": "b", "sections": []},
        {**MINE, "name": "c", "sections": [{"title": "x", "data": ["salaries"]}]},
        {**MINE, "name": "d", "title": "{0.__class__}"},
        {**MINE, "name": "e", "id": "company_analysis"},
    ):
        response = await alice.post("/v1/templates", json=bad)
        assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"
    assert len((await alice.get("/v1/templates")).json()["items"]) == 5

    # another account sees only the built-ins and cannot read or delete it
    assert len((await bob.get("/v1/templates")).json()["items"]) == 4
    assert (await bob.get(f"/v1/templates/{template['id']}")).status_code == 404
    assert (await bob.delete(f"/v1/templates/{template['id']}")).status_code == 404
    builtin = await alice.delete("/v1/templates/company_analysis")
    assert builtin.status_code == 400 and builtin.json()["error"]["code"] == "builtin_template"
    assert (await alice.delete(f"/v1/templates/{template['id']}")).status_code == 204
    assert (await alice.get(f"/v1/templates/{template['id']}")).status_code == 404


async def test_a_draft_from_a_saved_template_writes_its_sections(
    gateway_factory, real_orchestrator, alice_token, bob_token, llm
) -> None:
    with gateway_factory(orchestrator_url=real_orchestrator) as gateway:
        async with gateway.client(alice_token) as alice, gateway.client(bob_token) as bob:
            template = (await alice.post("/v1/templates", json=MINE)).json()
            sid = (await alice.post("/v1/sessions", json={"doc_id": "doc-template"})).json()["session_id"]
            options: dict[str, Any] = {"company": "삼성전자", "length": "short", "as_of": AS_OF}
            run = await alice.post(
                f"/v1/sessions/{sid}/runs",
                json={"kind": "draft", "prompt": "", "options": {**options, "template": template["id"]}},
            )
            assert run.status_code == 200, run.text
            result = run.json()["result"]
            headings = [b["text"] for b in result["blocks"] if b["type"] == "heading" and b["level"] == 2]
            assert result["title"] == "삼성전자 분기 점검"
            assert headings[:3] == ["주요 지표", "이번 분기", "주가"]
            assert sorted(llm.section_titles) == sorted(["이번 분기", "주가"]) and "outline" not in llm.calls

            # someone else's template, an unknown one, a peer template on one company: no run stored
            bob_sid = (await bob.post("/v1/sessions", json={"doc_id": "doc-bob"})).json()["session_id"]
            for client, session, template_id, status, code in (
                (bob, bob_sid, template["id"], 404, "template_not_found"),
                (alice, sid, "u_" + "0" * 32, 404, "template_not_found"),
                (alice, sid, "peer_comparison", 400, "template_needs_companies"),
            ):
                body = {"kind": "draft", "prompt": "x", "options": {**options, "template": template_id}}
                refused = await client.post(f"/v1/sessions/{session}/runs", json=body)
                assert refused.status_code == status and refused.json()["error"]["code"] == code
            assert len((await alice.get(f"/v1/sessions/{sid}/runs")).json()["items"]) == 1
            assert (await bob.get(f"/v1/sessions/{bob_sid}/runs")).json()["items"] == []


async def test_a_peer_comparison_runs_on_two_companies_and_is_refused_on_one_or_six(
    gateway_factory, real_orchestrator, alice_token, llm
) -> None:
    llm.status = 503  # the data-only writer is enough to see the comparison through the gateway
    with gateway_factory(orchestrator_url=real_orchestrator) as gateway:
        async with gateway.client(alice_token) as alice:
            sid = (await alice.post("/v1/sessions", json={"doc_id": "doc-peers"})).json()["session_id"]
            # `companies` without a template: the peer_comparison template
            run = await alice.post(
                f"/v1/sessions/{sid}/runs",
                json={"kind": "draft", "options": {"companies": ["삼성전자", "SK하이닉스"], "as_of": AS_OF}},
            )
            assert run.status_code == 200, run.text
            result = run.json()["result"]
            assert result["title"] == "삼성전자 · SK하이닉스 비교 분석"
            table = next(b for b in result["blocks"] if b["type"] == "table")
            assert table["header"] == ["항목", "삼성전자", "SK하이닉스"]
            for options, status, code in (
                ({"companies": ["삼성전자"], "template": "peer_comparison"}, 422, "validation_error"),
                ({"companies": list("abcdef")}, 422, "validation_error"),
                ({"companies": ["기아", "기아"]}, 422, "validation_error"),
                ({"company": "삼성전자", "template": "peer_comparison"}, 400, "template_needs_companies"),
                ({"companies": ["삼성전자", "기아"], "template": "company_analysis"}, 400, "template_one_company"),
            ):
                refused = await alice.post(f"/v1/sessions/{sid}/runs", json={"kind": "draft", "options": options})
                assert refused.status_code == status, (options, refused.text)
                assert refused.json()["error"]["code"] == code
            assert len((await alice.get(f"/v1/sessions/{sid}/runs")).json()["items"]) == 1
