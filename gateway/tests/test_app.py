"""The app itself: health, errors, CORS, body limits, dev-mode guard."""

import pytest

from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.main import create_app


async def test_health_and_readiness(gateway) -> None:
    async with gateway.client() as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {
            "database": "ok",
            "auth": "ok",
            "shared_state": "ok (in-process: REDIS_URL not set)",
        }


async def test_readiness_fails_without_client_ids(gateway_factory) -> None:
    with gateway_factory(google_client_ids=[]) as gw:
        async with gw.client() as client:
            ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert "GOOGLE_CLIENT_IDS" in ready.json()["checks"]["auth"]


async def test_unauthenticated_is_401_envelope_with_request_id(gateway) -> None:
    async with gateway.client(headers={"X-Request-ID": "req-abc-1"}) as client:
        response = await client.get("/v1/me")
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == "unauthenticated"
    assert body["error"]["request_id"] == "req-abc-1"
    assert response.headers["x-request-id"] == "req-abc-1"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_cors_allows_only_the_configured_extension(gateway, alice_token) -> None:
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    async with gateway.client() as client:
        preflight = await client.options(
            "/v1/sessions",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == origin
        evil = await client.options(
            "/v1/sessions",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in evil.headers
        # error answers carry CORS headers too, or the extension sees only a network error
        denied = await client.get("/v1/me", headers={"Origin": origin})
        assert denied.status_code == 401
        assert denied.headers["access-control-allow-origin"] == origin


async def _chunks(*parts: bytes):
    for part in parts:
        yield part


async def test_oversized_json_body_is_413(gateway_factory, alice_token) -> None:
    with gateway_factory(max_json_body_kb=1) as gw:
        async with gw.client(alice_token) as client:
            response = await client.post("/v1/sessions", json={"doc_id": "d", "title": "가" * 2000})
            chunked = await client.post(
                "/v1/sessions",
                content=_chunks(b'{"doc_id": "d", "title": "', b"x" * 4000, b'"}'),
                headers={"Content-Type": "application/json"},
            )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert chunked.status_code == 413


async def test_validation_errors_use_the_envelope(alice) -> None:
    response = await alice.post("/v1/sessions", json={"doc_id": "../etc/passwd"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    broken = await alice.post("/v1/sessions", content=b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 422


def test_dev_mode_refuses_a_public_bind(tmp_path) -> None:
    settings = GatewaySettings(auth_mode="dev", bind_host="0.0.0.0", internal_token="t", data_dir=tmp_path)
    with pytest.raises(RuntimeError, match="AUTH_MODE=dev"):
        create_app(settings)


async def test_dev_mode_accepts_dev_tokens_and_any_unpacked_extension(gateway_factory) -> None:
    with gateway_factory(auth_mode="dev", allowed_origins=[]) as gw:
        async with gw.client("dev:Kim@Example.com") as client:
            me = await client.get("/v1/me", headers={"Origin": "chrome-extension://" + "a" * 32})
            assert me.status_code == 200
            assert me.json()["sub"] == "dev:kim@example.com"
            assert me.headers["access-control-allow-origin"] == "chrome-extension://" + "a" * 32
            other = await client.get("/v1/me", headers={"Origin": "https://evil.example"})
            assert "access-control-allow-origin" not in other.headers
            bad = await client.get("/v1/me", headers={"Authorization": "Bearer dev:not-an-email"})
            assert bad.status_code == 401


async def test_openapi_lists_the_public_routes(gateway) -> None:
    async with gateway.client() as client:
        spec = (await client.get("/openapi.json")).json()
        assert (await client.get("/docs")).status_code == 200
    paths = set(spec["paths"])
    for path in (
        "/v1/me",
        "/v1/sessions",
        "/v1/sessions/{session_id}",
        "/v1/sessions/{session_id}/files",
        "/v1/sessions/{session_id}/files/{file_id}",
        "/v1/sessions/{session_id}/runs",
        "/v1/runs/{run_id}",
        "/v1/runs/{run_id}/events",
        "/v1/runs/{run_id}/cancel",
        "/v1/charts/{chart_id}.png",
        "/v1/graphs",
    ):
        assert path in paths, path
    upload = spec["paths"]["/v1/sessions/{session_id}/files"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
