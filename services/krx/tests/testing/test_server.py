"""The krx service against the replay over real HTTP, with a real slow upstream and a
real refused connection.

pykrx's requests to data.krx.co.kr are rewritten to the loopback server the way
FINSCRIBE_UPSTREAM_OVERRIDES does it (`rewrite_url`), inside a `responses` mock that passes
everything through to the real transport: that keeps these tests on real sockets even
when another test in the same process left a `responses` mock running.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import responses
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter

from finscribe_common import upstream_override
from finscribe_testkit.common.server import free_port, serve_in_thread
from finscribe_testkit.krx import KrxReplay, fake_upstream_app
from finscribe_testkit.krx.replay import STOCK_BLD

OpenClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@contextmanager
def krx_at(base_url: str) -> Iterator[None]:
    mapping = {"data.krx.co.kr": base_url}

    def send(adapter: HTTPAdapter, request: PreparedRequest, **kwargs: Any) -> Response:
        request.url = upstream_override.rewrite_url(request.url or "", mapping)
        request.headers["Host"] = urlsplit(request.url).netloc
        return responses._real_send(adapter, request, **kwargs)

    with responses.RequestsMock(assert_all_requests_are_fired=False, real_adapter_send=send) as rsps:
        rsps.add_passthru(re.compile(r".*"))
        yield


async def test_full_path_over_loopback(open_client: OpenClient) -> None:
    replay = KrxReplay()
    with serve_in_thread(fake_upstream_app(replay)) as base, krx_at(base):
        async with open_client() as http:
            resolved = await http.get("/v1/tickers/resolve", params={"q": "삼성전저"})
            ohlcv = await http.get("/v1/stocks/005930/ohlcv", params={"start": "2021-01-11", "end": "2021-01-15"})
    assert resolved.json()["data"][0]["ticker"] == "005930"
    assert ohlcv.status_code == 200
    assert ohlcv.json()["data"][-1]["close"] == 88000
    # real cookies over real HTTP: the replay answers a data call without the logged-in
    # cookie with KRX's `LOGOUT` 400, so the 200 above is the proof the session was carried.
    # On a loaded machine an HTTP timeout can make the client log in once more (the
    # dead-session path), so the count is bounded rather than exact.
    assert 1 <= replay.logins <= 2
    assert len(replay.calls_for(STOCK_BLD)) >= 1


async def test_a_silent_upstream_times_out(open_client: OpenClient) -> None:
    with serve_in_thread(fake_upstream_app(delay_s=1.0)) as base, krx_at(base):
        async with open_client(krx_http_timeout_s=0.3) as http:
            resp = await http.get("/v1/tickers/resolve", params={"q": "삼성전자"})
    assert resp.status_code == 504
    assert resp.json()["error"]["code"] == "upstream_timeout"


async def test_connection_refused(open_client: OpenClient) -> None:
    with krx_at(f"http://127.0.0.1:{free_port()}"):
        async with open_client() as http:
            resp = await http.get("/v1/stocks/005930/ohlcv", params={"start": "2021-01-11", "end": "2021-01-15"})
    assert resp.status_code == 502
    assert "unreachable" in resp.json()["error"]["message"]
