"""The outbound client: retries only where safe, Retry-After honoured, ids propagated."""

import httpx
import pytest

from finscribe_common.errors import Unavailable, UpstreamTimeout
from finscribe_common.http_client import build_client, retry_after_seconds, upstream_errors
from finscribe_common.request_context import request_id_var


class Script(httpx.AsyncBaseTransport):
    """An upstream that answers a scripted sequence (statuses or exceptions) and records requests."""

    def __init__(self, *steps):
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        status, headers = step if isinstance(step, tuple) else (step, {})
        return httpx.Response(status, headers=headers, json={"status": status})


def client_for(script: Script, **kwargs) -> httpx.AsyncClient:
    kwargs.setdefault("backoff_initial", 0.001)
    return build_client(base_url="http://upstream", transport=script, **kwargs)


async def test_get_retries_retryable_status_then_succeeds():
    script = Script(503, 502, 200)
    async with client_for(script) as client:
        response = await client.get("/x")
    assert response.status_code == 200
    assert len(script.requests) == 3


async def test_post_is_never_retried():
    script = Script(503, 200)
    async with client_for(script) as client:
        response = await client.post("/x", json={})
    assert response.status_code == 503
    assert len(script.requests) == 1


async def test_non_retryable_status_returns_at_once():
    script = Script(404, 200)
    async with client_for(script) as client:
        response = await client.get("/x")
    assert response.status_code == 404 and len(script.requests) == 1


async def test_gives_up_after_attempts_and_returns_last_response():
    script = Script(503)
    async with client_for(script, attempts=3) as client:
        response = await client.get("/x")
    assert response.status_code == 503 and len(script.requests) == 3


async def test_connect_errors_are_retried_then_raised():
    script = Script(httpx.ConnectError("refused"))
    async with client_for(script, attempts=2) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("/x")
    assert len(script.requests) == 2


async def test_retry_after_is_honoured(monkeypatch):
    waits: list[float] = []
    import asyncio

    real_sleep = asyncio.sleep

    async def recording_sleep(seconds, *args, **kwargs):
        waits.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recording_sleep)
    script = Script((429, {"Retry-After": "2"}), 200)
    async with client_for(script) as client:
        response = await client.get("/x")
    assert response.status_code == 200
    assert 2.0 in waits


async def test_retry_after_longer_than_cap_is_returned_to_caller():
    script = Script((429, {"Retry-After": "3600"}), 200)
    async with client_for(script, max_retry_after=10) as client:
        response = await client.get("/x")
    assert response.status_code == 429 and len(script.requests) == 1


def test_retry_after_parsing():
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "5"})) == 5
    assert retry_after_seconds(httpx.Response(429)) is None
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0


async def test_request_id_and_internal_token_are_sent():
    script = Script(200)
    token = request_id_var.set("rid-42")
    try:
        async with client_for(script, internal_token="secret-token") as client:
            await client.get("/x")
    finally:
        request_id_var.reset(token)
    sent = script.requests[0]
    assert sent.headers["X-Request-ID"] == "rid-42"
    assert sent.headers["X-Internal-Token"] == "secret-token"


async def test_upstream_errors_maps_transport_failures():
    with pytest.raises(UpstreamTimeout):
        async with upstream_errors("krx"):
            raise httpx.ReadTimeout("slow")
    with pytest.raises(Unavailable) as info:
        async with upstream_errors("krx"):
            raise httpx.ConnectError("refused")
    assert "krx" in info.value.message
