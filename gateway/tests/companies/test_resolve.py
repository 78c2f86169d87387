"""`GET /v1/companies/resolve` through the gateway, against the real orchestrator and the
real krx service (KRX replayed from the recorded finder answers): the panel's autocomplete
and its "which company?" question; bad queries and a dead orchestrator as JSON errors."""

from finscribe_testkit.common.server import free_port


async def test_a_group_name_comes_back_ambiguous_with_its_companies(gateway_factory, real_orchestrator, alice_token):
    with gateway_factory(orchestrator_url=real_orchestrator) as gateway:
        async with gateway.client(alice_token) as alice:
            response = await alice.get("/v1/companies/resolve", params={"q": "삼성"})
            assert response.status_code == 200, response.text
            body = response.json()
            assert body["ambiguous"] is True
            assert [i["name"] for i in body["items"]][:2] == ["삼성전자", "삼성화재"]
            clear = (await alice.get("/v1/companies/resolve", params={"q": "삼성전자"})).json()
            assert clear["ambiguous"] is False and clear["items"][0]["ticker"] == "005930"
            unknown = (await alice.get("/v1/companies/resolve", params={"q": "없는회사"})).json()
            assert unknown["items"] == []


async def test_refusals_are_json_errors(gateway_factory, alice_token):
    # an orchestrator nobody listens on: the gateway's own envelope, never a bare 500
    with gateway_factory(orchestrator_url=f"http://127.0.0.1:{free_port()}") as gateway:
        async with gateway.client(alice_token) as alice, gateway.client() as anonymous:
            assert (await anonymous.get("/v1/companies/resolve", params={"q": "삼성"})).status_code == 401
            for params in ({}, {"q": ""}, {"q": "가" * 101}):
                response = await alice.get("/v1/companies/resolve", params=params)
                assert response.status_code == 422, params
                assert response.json()["error"]["code"] == "validation_error"
                assert response.json()["error"]["request_id"] == response.headers["x-request-id"]
            down = await alice.get("/v1/companies/resolve", params={"q": "삼성"})
            assert down.status_code in (502, 503) and down.json()["error"]["code"] in ("unavailable", "upstream_error")
