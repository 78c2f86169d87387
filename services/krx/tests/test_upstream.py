"""KRX failures -> the error envelope: never a 500, never a hang."""

import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import pytest

from finscribe_testkit.krx import KrxReplay
from finscribe_testkit.krx import replay as replay_module
from finscribe_testkit.krx.replay import LISTED_BLD, STOCK_BLD

OpenClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]
OHLCV_PATH = "/v1/stocks/005930/ohlcv"
OHLCV_PARAMS = {"start": "2021-01-11", "end": "2021-01-15"}
DATA_ROUTES = [
    ("/v1/tickers/resolve", {"q": "삼성전자"}),
    (OHLCV_PATH, OHLCV_PARAMS),
    ("/v1/stocks/005930/market-cap", {"start": "2021-01-11", "end": "2021-01-15"}),
    ("/v1/stocks/005930/fundamentals", {"start": "2021-01-04", "end": "2021-01-08"}),
    ("/v1/indices/1001/ohlcv", {"start": "2021-01-04", "end": "2021-01-08"}),
]


@pytest.mark.parametrize(("path", "params"), DATA_ROUTES)
@pytest.mark.parametrize("missing", [{"krx_id": None}, {"krx_pw": None}, {"krx_id": "  ", "krx_pw": ""}])
async def test_without_credentials_every_data_route_is_not_configured(
    open_client: OpenClient, replay: KrxReplay, path: str, params: dict[str, str], missing: dict[str, str | None]
) -> None:
    async with open_client(**missing) as http:
        resp = await http.get(path, params=params)
    assert resp.status_code == 503
    error = resp.json()["error"]
    assert error["code"] == "not_configured"
    assert "KRX_ID" in error["message"] and "KRX_PW" in error["message"]
    assert replay.total == 0


async def test_wrong_credentials_are_an_upstream_error(open_client: OpenClient, replay: KrxReplay) -> None:
    async with open_client(krx_pw="not-the-password") as http:
        resp = await http.get(OHLCV_PATH, params=OHLCV_PARAMS)
        again = await http.get(OHLCV_PATH, params=OHLCV_PARAMS)
    assert resp.status_code == again.status_code == 502
    assert "refused the login" in resp.json()["error"]["message"]
    assert "not retrying" in again.json()["error"]["message"]
    assert replay.logins == 1  # a refused password is not tried again at once
    assert replay.data_calls == []


async def test_a_refused_login_is_retried_after_the_pause(open_client: OpenClient, replay: KrxReplay) -> None:
    async with open_client(krx_pw="not-the-password", krx_login_retry_s=0) as http:
        await http.get(OHLCV_PATH, params=OHLCV_PARAMS)
        await http.get(OHLCV_PATH, params=OHLCV_PARAMS)
    assert replay.logins == 2


@pytest.mark.parametrize(
    ("fault", "status", "code", "words"),
    [
        ("timeout", 504, "upstream_timeout", "did not answer"),
        ("refused", 502, "upstream_error", "unreachable"),
        ("500", 502, "upstream_error", "HTTP 500"),
        ("malformed", 502, "upstream_error", "malformed"),
        ("empty", 502, "upstream_no_rows", "no rows"),
    ],
)
async def test_data_call_failures(
    client: httpx.AsyncClient, replay: KrxReplay, fault: str, status: int, code: str, words: str
) -> None:
    replay.fail(fault, bld=STOCK_BLD)
    resp = await client.get(OHLCV_PATH, params=OHLCV_PARAMS)
    assert resp.status_code == status
    error = resp.json()["error"]
    assert error["code"] == code
    assert words in error["message"]
    assert error["request_id"] == resp.headers["X-Request-ID"]


async def test_429_is_passed_on_with_retry_after(client: httpx.AsyncClient, replay: KrxReplay) -> None:
    replay.fail("429", bld=STOCK_BLD)
    resp = await client.get(OHLCV_PATH, params=OHLCV_PARAMS)
    assert resp.status_code == 429
    assert resp.headers["Retry-After"] == "30"
    assert resp.json()["error"]["code"] == "upstream_rate_limited"


async def test_after_a_429_krx_is_left_alone_for_its_retry_after(client: httpx.AsyncClient, replay: KrxReplay) -> None:
    replay.fail("429", bld=STOCK_BLD)
    assert (await client.get(OHLCV_PATH, params=OHLCV_PARAMS)).status_code == 429
    before = replay.total
    again = await client.get(OHLCV_PATH, params=OHLCV_PARAMS)
    assert again.status_code == 429 and again.json()["error"]["code"] == "upstream_rate_limited"
    assert "resume in" in again.json()["error"]["message"] and 29 <= int(again.headers["Retry-After"]) <= 30
    assert replay.total == before  # refused here, KRX never asked (with REDIS_URL: on every replica)


@pytest.mark.parametrize("fault", ["malformed", "refused"])
async def test_ticker_list_failures(client: httpx.AsyncClient, replay: KrxReplay, fault: str) -> None:
    replay.fail(fault, bld=LISTED_BLD)
    resp = await client.get("/v1/tickers/resolve", params={"q": "삼성전자"})
    assert resp.status_code in (429, 502)
    assert resp.json()["error"]["code"] in ("upstream_error", "upstream_rate_limited")
    # the failed list is not kept: the next request loads it again and succeeds
    again = await client.get("/v1/tickers/resolve", params={"q": "삼성전자"})
    assert again.status_code == 200
    assert again.json()["data"][0]["ticker"] == "005930"


async def test_an_expired_session_logs_in_again_and_retries(client: httpx.AsyncClient, replay: KrxReplay) -> None:
    assert (await client.get("/v1/tickers/resolve", params={"q": "삼성전자"})).status_code == 200
    assert replay.logins == 1
    replay.fail("logout", bld=STOCK_BLD)
    resp = await client.get(OHLCV_PATH, params=OHLCV_PARAMS)
    assert resp.status_code == 200
    assert resp.json()["data"][-1]["close"] == 88000
    assert replay.logins == 2


async def test_a_session_refused_twice_is_an_upstream_error(client: httpx.AsyncClient, replay: KrxReplay) -> None:
    replay.fail("logout", bld=STOCK_BLD, times=2)
    resp = await client.get(OHLCV_PATH, params=OHLCV_PARAMS)
    assert resp.status_code == 502
    assert "LOGOUT" in resp.json()["error"]["message"]


async def test_the_whole_call_has_a_deadline(
    open_client: OpenClient, replay: KrxReplay, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a KRX answer that takes longer than the call's deadline (the HTTP timeout is larger)
    original = KrxReplay.respond

    def slow(self: KrxReplay, *args: Any, **kwargs: Any) -> Any:
        time.sleep(1.0)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(KrxReplay, "respond", slow)
    async with open_client(krx_call_timeout_s=0.3) as http:
        resp = await http.get(OHLCV_PATH, params=OHLCV_PARAMS)
    assert resp.status_code == 504
    assert resp.json()["error"]["code"] == "upstream_timeout"


def test_pykrx_neither_logs_in_on_import_nor_prints() -> None:
    """pykrx logs in from os.environ when imported (a second login beside ours, here to a host
    that does not answer) and prints its errors to stdout; the guarded import does neither.
    A child process, because pykrx's import runs once per process."""
    import subprocess
    import sys

    script = (
        "from finscribe_common import upstream_override\n"
        "upstream_override.install({'data.krx.co.kr': 'http://127.0.0.1:9'})\n"
        "from finscribe_krx.upstream import _import_pykrx\n"
        "_import_pykrx()\n"
        "from pykrx.website.comm.util import dataframe_empty_handler\n"
        "def get_index_ohlcv_by_date():\n"
        "    return {}['TRD_DD']\n"
        "assert dataframe_empty_handler(get_index_ohlcv_by_date)().empty\n"
    )
    env = {"PATH": "", "KRX_ID": "someone", "KRX_PW": "secret", "HOME": "/nonexistent"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


async def test_a_bld_krx_does_not_know_is_a_clear_json_error(
    client: httpx.AsyncClient, replay: KrxReplay, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pykrx asks for a bld the upstream does not serve (as after a KRX screen is renamed): a 502
    # in the envelope that says what KRX answered, never a 500 or an empty body
    monkeypatch.setattr(replay_module, "STOCK_BLD", "dbms/MDC/STAT/standard/RENAMED")
    resp = await client.get(OHLCV_PATH, params=OHLCV_PARAMS)
    assert resp.status_code == 502 and resp.headers["content-type"].startswith("application/json")
    error = resp.json()["error"]
    assert error["code"] == "upstream_error" and error["request_id"] == resp.headers["X-Request-ID"]
    assert "HTTP 400" in error["message"] and "OHLCV of 005930" in error["message"]
    # KRX's own words, so whoever reads the log knows it was the request, not the network
    assert "REPLAY_UNKNOWN_BLD" in error["message"] and STOCK_BLD in error["message"], error["message"]
