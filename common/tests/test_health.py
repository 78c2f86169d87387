import asyncio

import httpx


async def _get(app, path):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        return await c.get(path)


async def test_readyz_ok_when_checks_pass(make_app):
    async def fine() -> None:
        return None

    response = await _get(make_app({"db": fine}), "/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"db": "ok"}


async def test_readyz_names_the_failed_dependency(make_app):
    async def fine() -> None:
        return None

    async def broken() -> None:
        raise ConnectionError("chroma directory not writable")

    response = await _get(make_app({"db": fine, "chroma": broken}), "/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["chroma"] == "chroma directory not writable"
    assert body["error"]["code"] == "unavailable" and "chroma" in body["error"]["message"]


async def test_readyz_times_out_a_hanging_check():
    from finscribe_common import health

    async def hangs() -> None:
        await asyncio.sleep(60)

    router = health.health_router({"slow": hangs}, timeout=0.05)
    from fastapi import FastAPI

    app = FastAPI()
    app.include_router(router)
    response = await _get(app, "/readyz")
    assert response.status_code == 503
    assert "no answer" in response.json()["checks"]["slow"]


async def test_readyz_reports_a_degraded_check_but_stays_ready(make_app):
    async def degraded() -> str:
        return "circuit open for openai; runpod serves"

    response = await _get(make_app({"providers": degraded}), "/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["providers"] == "ok (circuit open for openai; runpod serves)"
