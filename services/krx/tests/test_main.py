"""The app as deployed: health, readiness, the internal-token guard and the OpenAPI docs."""

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import httpx
import pytest

from finscribe_krx import calendar
from finscribe_testkit.krx import KrxReplay

OpenClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


async def test_healthz_needs_no_token(open_client: OpenClient) -> None:
    async with open_client(token=None) as http:
        resp = await http.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}


async def test_readyz_reports_missing_credentials(open_client: OpenClient) -> None:
    async with open_client(token=None, krx_id=None) as http:
        resp = await http.get("/readyz")
    assert resp.status_code == 503
    assert "KRX_ID" in resp.json()["checks"]["krx_credentials"]
    async with open_client(token=None) as http:
        assert (await http.get("/readyz")).status_code == 200


async def test_readyz_is_degraded_when_the_calendar_misses_this_year(
    open_client: OpenClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with open_client(token=None) as http:
        now = await http.get("/readyz")
        monkeypatch.setattr(calendar, "today_kst", lambda: dt.date(2101, 1, 3))  # past the package's 2100
        later = await http.get("/readyz")
    assert now.json()["checks"]["krx_calendar"] == "ok"
    assert later.status_code == 200 and later.json()["status"] == "ok"
    note = later.json()["checks"]["krx_calendar"]
    assert "degraded" in note and "2101" in note


async def test_data_routes_need_the_internal_token(open_client: OpenClient, replay: KrxReplay) -> None:
    async with open_client(token=None) as http:
        missing = await http.get("/v1/tickers/resolve", params={"q": "삼성전자"})
    async with open_client(token="wrong") as http:
        wrong = await http.get("/v1/tickers/resolve", params={"q": "삼성전자"})
    assert missing.status_code == wrong.status_code == 401
    assert missing.json()["error"]["code"] == "unauthenticated"
    assert replay.total == 0


async def test_request_id_is_passed_through(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v1/tickers/resolve", params={"q": "삼성전자"}, headers={"X-Request-ID": "abc-123"})
    assert resp.headers["X-Request-ID"] == "abc-123"


async def test_openapi_documents_every_route_with_an_example(open_client: OpenClient) -> None:
    async with open_client(token=None) as http:
        spec = (await http.get("/openapi.json")).json()
        assert (await http.get("/docs")).status_code == 200
    routes = {
        "/v1/tickers/resolve",
        "/v1/stocks/{ticker}/ohlcv",
        "/v1/stocks/{ticker}/market-cap",
        "/v1/stocks/{ticker}/fundamentals",
        "/v1/indices/{code}/ohlcv",
    }
    assert routes <= set(spec["paths"])
    for path in routes:
        operation = spec["paths"][path]["get"]
        example = operation["responses"]["200"]["content"]["application/json"]["example"]
        assert example["data"] and example["source"]["provider"] == "KRX"
        assert {"400", "503", "502", "504"} <= set(operation["responses"])
