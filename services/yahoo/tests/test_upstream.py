"""Yahoo misbehaving: rate limits, timeouts, refused connections, malformed bodies."""

import time

import httpx
import pandas as pd
import pytest
import requests

from finscribe_common import upstream_override
from finscribe_testkit.common.server import free_port
from finscribe_testkit.yahoo import TEST_INTERNAL_TOKEN, YahooCallCounter, handle, test_settings
from finscribe_yahoo.main import create_app
from finscribe_yahoo.upstream import build_session, frame_to_bars

PAST = {"start": "2024-12-02", "end": "2024-12-06"}


def _chart_fault(reply_or_exc):
    """A handler answering every chart request with `reply_or_exc`, everything else from the replay."""

    def handler(method, url, params, body):
        if "/v8/finance/chart/" in url:
            if isinstance(reply_or_exc, BaseException):
                raise reply_or_exc
            return reply_or_exc
        return handle(method, url, params, body)

    return handler


TOO_MANY = (429, {"Content-Type": "text/html"}, b"Too Many Requests")


async def test_rate_limit_backs_off_then_answers_429_and_cools_down(
    client: httpx.AsyncClient, upstream, counter: YahooCallCounter
) -> None:
    upstream.handler = _chart_fault(TOO_MANY)
    response = await client.get("/v1/quotes/005930")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "upstream_rate_limited"
    assert response.headers["Retry-After"] == "30"  # YAHOO_RATE_LIMIT_COOLDOWN_S of test_settings
    # two attempts (YAHOO_RATE_LIMIT_RETRIES=1); yfinance itself retries a 4xx once with a new crumb
    assert counter.by_kind["chart"] == 4
    # during the cooldown Yahoo is not called at all, even for another symbol
    upstream.handler = handle
    again = await client.get("/v1/quotes/TSLA")
    assert again.status_code == 429
    assert int(again.headers["Retry-After"]) >= 1
    assert counter.by_kind["chart"] == 4


async def test_rate_limit_recovers_within_backoff(
    client: httpx.AsyncClient, upstream, counter: YahooCallCounter
) -> None:
    faults = {"left": 2}

    def handler(method, url, params, body):
        if "/v8/finance/chart/" in url and faults["left"] > 0:
            faults["left"] -= 1
            return TOO_MANY
        return handle(method, url, params, body)

    upstream.handler = handler
    response = await client.get("/v1/quotes/005930")
    assert response.status_code == 200
    assert response.json()["data"]["price"] == 53200.0
    assert counter.by_kind["chart"] == 3


async def test_crumb_rate_limit_does_not_block_the_chart(client: httpx.AsyncClient, upstream) -> None:
    def handler(method, url, params, body):
        if "/v1/test/getcrumb" in url:
            return TOO_MANY
        return handle(method, url, params, body)

    upstream.handler = handler
    response = await client.get("/v1/history/TSLA", params=PAST)
    assert response.status_code == 200
    assert len(response.json()["data"]) == 5


async def test_read_timeout_is_504(client: httpx.AsyncClient, upstream) -> None:
    upstream.handler = _chart_fault(requests.exceptions.ReadTimeout("read timed out"))
    response = await client.get("/v1/history/005930", params=PAST)
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"


@pytest.mark.parametrize("settings", [test_settings(yahoo_timeout_s=0.3)])
async def test_hanging_upstream_hits_the_deadline(client: httpx.AsyncClient, upstream) -> None:
    def slow(method, url, params, body):
        if "/v8/finance/chart/" in url:
            time.sleep(1.0)
        return handle(method, url, params, body)

    upstream.handler = slow
    started = time.perf_counter()
    response = await client.get("/v1/quotes/TSLA")
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"
    assert time.perf_counter() - started < 0.9  # answered at the deadline, not when Yahoo finally replied


async def test_connection_error_is_502(client: httpx.AsyncClient, upstream) -> None:
    upstream.handler = _chart_fault(requests.exceptions.ConnectionError("connection reset by peer"))
    response = await client.get("/v1/quotes/TSLA")
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_error"
    assert "unreachable" in response.json()["error"]["message"]


async def test_connection_refused_for_real(monkeypatch: pytest.MonkeyPatch) -> None:
    # no `responses` here: requests really connects to a loopback port nobody listens on
    dead = f"http://127.0.0.1:{free_port()}"
    hosts = ("query1.finance.yahoo.com", "query2.finance.yahoo.com", "fc.yahoo.com", "guce.yahoo.com")
    monkeypatch.setenv(upstream_override.ENV_VAR, ",".join(f"{h}={dead}" for h in hosts))
    try:
        app = create_app(test_settings())
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://yahoo.test",
            headers={"X-Internal-Token": TEST_INTERNAL_TOKEN},
        ) as client:
            response = await client.get("/v1/history/TSLA", params=PAST)
    finally:
        upstream_override.install({})
    assert response.status_code == 502
    assert "unreachable" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ((200, {"Content-Type": "application/json"}, b"<html>oops</html>"), "not JSON"),
        ((200, {"Content-Type": "application/json"}, b'{"chart":{"result":[{"meta":{}}],"error":null}}'), "shape"),
        ((200, {"Content-Type": "text/html"}, b"<html>Will be right back...</html>"), "DOWN"),
    ],
)
async def test_malformed_body_is_502_and_not_remembered(
    client: httpx.AsyncClient, upstream, counter: YahooCallCounter, reply, message: str
) -> None:
    upstream.handler = _chart_fault(reply)
    response = await client.get("/v1/history/005930", params=PAST)
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_error"
    assert message in response.json()["error"]["message"]
    # neither our cache nor yfinance's response cache keeps the bad answer
    upstream.handler = handle
    recovered = await client.get("/v1/history/005930", params=PAST)
    assert recovered.status_code == 200
    assert len(recovered.json()["data"]) == 5


async def test_yahoo_server_error_is_502(client: httpx.AsyncClient, upstream) -> None:
    upstream.handler = _chart_fault((500, {"Content-Type": "text/plain"}, b"Internal Server Error"))
    response = await client.get("/v1/quotes/TSLA")
    assert response.status_code == 502


def test_requests_session_when_overrides_name_yahoo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(upstream_override.ENV_VAR, "query2.finance.yahoo.com=http://127.0.0.1:9")
    try:
        session = build_session(test_settings(yahoo_http_client="curl_cffi"))
    finally:
        upstream_override.install({})
    assert isinstance(session, requests.Session)


def test_curl_cffi_session_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(upstream_override.ENV_VAR, raising=False)
    from curl_cffi import requests as curl_requests

    assert isinstance(build_session(test_settings(yahoo_http_client="curl_cffi")), curl_requests.Session)


def test_frame_to_bars_keeps_real_zero_volume_and_drops_filled_one(samsung_closes) -> None:
    day1, day2 = sorted(samsung_closes)[:2]
    close1, close2 = samsung_closes[day1], samsung_closes[day2]
    frame = pd.DataFrame(
        {
            "Open": [close1, float("nan")],
            "High": [close1, float("nan")],
            "Low": [close1, float("nan")],
            "Close": [close1, float("nan")],
            "Adj Close": [close1, close2],
            "Volume": [0, 0],  # yfinance turns a missing volume into 0
        },
        index=pd.DatetimeIndex([pd.Timestamp(day1), pd.Timestamp(day2)]).tz_localize("Asia/Seoul"),
    )
    first, second = frame_to_bars(frame)
    assert (first.date, first.open, first.close, first.volume) == (day1, close1, close1, 0)
    assert (second.date, second.open, second.close, second.adj_close, second.volume) == (day2, None, None, close2, None)


async def test_search_rate_limit_is_429(client: httpx.AsyncClient, upstream, counter: YahooCallCounter) -> None:
    def handler(method, url, params, body):
        if "/v1/finance/search" in url:
            return TOO_MANY
        return handle(method, url, params, body)

    upstream.handler = handler
    response = await client.get("/v1/symbols/resolve", params={"q": "Tesla"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "upstream_rate_limited"
    assert "Retry-After" in response.headers
    assert counter.by_kind["search"] == 4  # 2 attempts x (request + yfinance's retry with a new crumb)
