"""Request ids and the internal-token guard."""

import httpx

from finscribe_common.request_context import accept_request_id


async def test_request_id_is_taken_from_caller(client):
    response = await client.get("/v1/echo", params={"q": 1}, headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


async def test_unsafe_request_id_is_replaced(client):
    response = await client.get("/v1/echo", params={"q": 1}, headers={"X-Request-ID": "bad id\nwith newline"})
    assert response.headers["x-request-id"] != "bad id\nwith newline"
    assert len(response.headers["x-request-id"]) == 32


def test_accept_request_id_rules():
    assert accept_request_id("ok.id:1-2_3") == "ok.id:1-2_3"
    assert accept_request_id("x" * 129) != "x" * 129
    assert accept_request_id(None)


async def test_missing_and_wrong_token_are_401(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as anonymous:
        missing = await anonymous.get("/v1/echo", params={"q": 1})
        wrong = await anonymous.get("/v1/echo", params={"q": 1}, headers={"X-Internal-Token": "nope"})
    assert missing.status_code == 401 and missing.json()["error"]["message"] == "missing internal token"
    assert wrong.status_code == 401 and wrong.json()["error"]["message"] == "invalid internal token"
    assert missing.headers["x-request-id"]


async def test_health_and_docs_need_no_token(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as anonymous:
        assert (await anonymous.get("/healthz")).json() == {"status": "ok"}
        assert (await anonymous.get("/openapi.json")).status_code == 200


async def test_valid_token_passes(client):
    response = await client.get("/v1/echo", params={"q": 7})
    assert response.status_code == 200 and response.json() == {"q": 7}
