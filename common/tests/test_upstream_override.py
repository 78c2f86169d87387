import pytest
import requests
import responses

from finscribe_common.upstream_override import install, parse_overrides, rewrite_url
from finscribe_testkit.common.server import serve_in_thread


def test_parse_and_rewrite():
    mapping = parse_overrides("data.krx.co.kr=http://127.0.0.1:9101, opendart.fss.or.kr=http://127.0.0.1:9102/base/")
    assert mapping == {"data.krx.co.kr": "http://127.0.0.1:9101", "opendart.fss.or.kr": "http://127.0.0.1:9102/base"}
    assert (
        rewrite_url("https://opendart.fss.or.kr/api/list.json?x=1", mapping)
        == "http://127.0.0.1:9102/base/api/list.json?x=1"
    )
    assert rewrite_url("https://example.com/a", mapping) == "https://example.com/a"


def test_bad_override_is_refused():
    with pytest.raises(ValueError):
        parse_overrides("data.krx.co.kr")
    with pytest.raises(ValueError):
        parse_overrides("data.krx.co.kr=ftp://x")


def test_requests_traffic_goes_to_the_local_server():
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def echo(request):
        return JSONResponse({"path": request.url.path, "q": request.url.query, "host": request.headers["host"]})

    app = Starlette(routes=[Route("/{path:path}", echo, methods=["GET", "POST"])])
    with serve_in_thread(app) as base:
        install({"data.krx.co.kr": base})
        try:
            body = requests.get("http://data.krx.co.kr/comm/bldAttendant/getJsonData.cmd?bld=x", timeout=5).json()
        finally:
            install({})
    assert body["path"] == "/comm/bldAttendant/getJsonData.cmd" and body["q"] == "bld=x"
    assert body["host"] == base.removeprefix("http://")


@responses.activate
def test_no_override_leaves_urls_alone():
    install({})
    responses.get("https://example.com/x", json={"ok": True})
    assert requests.get("https://example.com/x", timeout=5).json() == {"ok": True}


def test_install_from_env_keeps_an_explicit_install(monkeypatch):
    from finscribe_common import upstream_override

    install({"data.krx.co.kr": "http://127.0.0.1:1"})
    try:
        monkeypatch.delenv(upstream_override.ENV_VAR, raising=False)
        assert upstream_override.install_from_env() == {}
        assert upstream_override._installed == {"data.krx.co.kr": "http://127.0.0.1:1"}
    finally:
        install({})
