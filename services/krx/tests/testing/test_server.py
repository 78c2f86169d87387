"""The krx service against the replay over real HTTP (FINSCRIBE_UPSTREAM_OVERRIDES), with a
real slow upstream and a real refused connection."""

from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager, contextmanager

import httpx

from finscribe_common import upstream_override
from finscribe_common.testing.server import free_port, serve_in_thread
from finscribe_krx.testing import KrxReplay, fake_upstream_app
from finscribe_krx.testing.replay import STOCK_BLD

OpenClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@contextmanager
def krx_at(base_url: str) -> Iterator[None]:
    saved = dict(upstream_override._installed)
    upstream_override.install({"data.krx.co.kr": base_url})
    try:
        yield
    finally:
        upstream_override._installed.clear()
        upstream_override._installed.update(saved)


async def test_full_path_over_loopback(open_client: OpenClient) -> None:
    replay = KrxReplay()
    with serve_in_thread(fake_upstream_app(replay)) as base, krx_at(base):
        async with open_client() as http:
            resolved = await http.get("/v1/tickers/resolve", params={"q": "삼성전저"})
            ohlcv = await http.get("/v1/stocks/005930/ohlcv", params={"start": "2021-01-11", "end": "2021-01-15"})
    assert resolved.json()["data"][0]["ticker"] == "005930"
    assert ohlcv.status_code == 200
    assert ohlcv.json()["data"][-1]["close"] == 88000
    # real cookies over real HTTP: the data call carried the logged-in session
    assert replay.logins == 1
    assert len(replay.calls_for(STOCK_BLD)) == 1


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
