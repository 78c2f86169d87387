"""`GET /v1/companies/resolve` on the real krx service (KRX replayed from the recorded
finder answers): the panel's autocomplete, and which names are ambiguous."""

import httpx

from finscribe_testkit.orchestrator.stack import TOKEN, refused


async def _resolve(runner, q: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(runner.app), base_url="http://orch") as client:
        return await client.get("/v1/companies/resolve", params={"q": q}, headers={"X-Internal-Token": TOKEN})


async def test_a_group_name_is_ambiguous_and_lists_its_companies(runner_for) -> None:
    response = await _resolve(runner_for(), "삼성")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query"] == "삼성" and body["ambiguous"] is True
    names = [item["name"] for item in body["items"]]
    # the alias match first, then the group's other listed companies
    assert names[0] == "삼성전자" and {"삼성물산", "삼성화재"} <= set(names)
    assert body["items"][0] == {"name": "삼성전자", "ticker": "005930", "market": "KOSPI", "score": 0.97}


async def test_an_exact_name_or_code_is_clear(runner_for) -> None:
    runner = runner_for()
    for q in ("삼성전자", "005930"):
        body = (await _resolve(runner, q)).json()
        assert body["ambiguous"] is False and body["items"][0]["ticker"] == "005930", q


async def test_an_unknown_name_has_no_candidates(runner_for) -> None:
    body = (await _resolve(runner_for(), "없는회사")).json()
    assert body == {"query": "없는회사", "items": [], "ambiguous": False}


async def test_bad_queries_and_krx_down_are_json_errors(runner_for) -> None:
    runner = runner_for()
    for q in ("", "가" * 101):
        response = await _resolve(runner, q)
        assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"
    down = runner_for({"krx": refused("krx")})
    response = await _resolve(down, "삼성")
    assert response.status_code == 503 and response.json()["error"]["code"] == "unavailable"


async def test_a_draft_for_a_group_name_warns_which_company_it_chose(runner_for) -> None:
    events = await runner_for().run("draft", "삼성 보고서", company="삼성", length="short", as_of="2024-12-30")
    ambiguous = [d for t, d in events if t == "warning" and d["code"] == "ambiguous_company"]
    # it was silent before: an alias (0.97) outranked the group's prefix matches (0.825)
    assert ambiguous and "삼성전자(005930)로 작성했습니다" in ambiguous[0]["message"]
    assert "삼성화재(000810)" in ambiguous[0]["message"]


async def test_the_gather_step_lists_the_data_it_found(runner_for) -> None:
    events = await runner_for().run("draft", "삼성전자", company="삼성전자", length="short", as_of="2024-12-30")
    gathered = next(d for t, d in events if t == "step" and d["name"] == "gather" and d["status"] == "done")
    items = gathered["items"]
    assert gathered["detail"] == f"데이터 {len(items)}건" and len(items) >= 5
    assert [i["n"] for i in items] == sorted(i["n"] for i in items)
    providers = {i["provider"] for i in items}
    assert {"KRX", "DART"} <= providers, providers
    assert all(i["title"] and i["key"] for i in items)
    # the half-year report's figures carry the filing's date
    assert any(i["provider"] == "DART" and i.get("as_of", "").startswith("2024") for i in items)
    result = next(d for t, d in events if t == "run.completed")["result"]
    assert {c["n"] for c in result["citations"]} <= {i["n"] for i in items}
