"""The error envelope: every failure is JSON with code, message and request id; no traces."""


async def test_validation_error_is_422_envelope(client):
    response = await client.get("/v1/echo", params={"q": "not-a-number"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "q" in error["message"]
    assert error["request_id"] == response.headers["x-request-id"]


async def test_unknown_route_is_404_envelope(client):
    response = await client.get("/v1/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_method_not_allowed_is_envelope(client):
    response = await client.post("/v1/echo")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


async def test_unhandled_exception_hides_internals(client):
    response = await client.get("/v1/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal_error"
    assert "passwd" not in response.text and "Traceback" not in response.text
    assert body["error"]["request_id"] == response.headers["x-request-id"]


async def test_rate_limited_sets_retry_after_rounded_up(client):
    response = await client.get("/v1/limited")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3"
    assert response.json()["error"]["code"] == "rate_limited"


async def test_not_configured_and_upstream_codes(client):
    response = await client.get("/v1/unconfigured")
    assert (response.status_code, response.json()["error"]["code"]) == (503, "not_configured")
    assert "KRX_ID" in response.json()["error"]["message"]
    response = await client.get("/v1/upstream")
    assert (response.status_code, response.json()["error"]["code"]) == (502, "upstream_error")
