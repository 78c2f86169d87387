import datetime as dt
import json
import re

import pytest
import requests
import responses
from dart_fss.utils import request as dart_request

from finscribe_common.errors import NotConfigured, RateLimited, UpstreamError, UpstreamTimeout
from finscribe_common.throttle import Cooldown, DailyQuota
from finscribe_dart.config import DartSettings
from finscribe_dart.upstream import DartUpstream, NoData, raise_for_status
from finscribe_testkit.dart import REPLAY_API_KEY, status_reply

URL = re.compile(r"https://opendart\.fss\.or\.kr/api/.*")
PARAMS = {"corp_code": "00126380", "bsns_year": "2024", "reprt_code": "11012", "fs_div": "CFS"}
PATH = "/api/fnlttSinglAcntAll.json"


def reply_with(rsps: responses.RequestsMock, status: int, body: bytes | str, content_type: str = "application/json"):
    rsps.add(responses.GET, URL, body=body, status=status, content_type=content_type)


def test_dart_fss_sleep_is_handed_to_our_throttle(settings: DartSettings) -> None:
    dart_request.set_delay(0.2)
    DartUpstream(settings)
    assert dart_request.delay is None


@pytest.mark.parametrize(
    ("status", "error", "http"),
    [
        ("010", NotConfigured, 503),
        ("011", NotConfigured, 503),
        ("012", NotConfigured, 503),
        ("901", NotConfigured, 503),
        ("020", RateLimited, 429),
        ("100", UpstreamError, 502),
        ("800", UpstreamError, 502),
        ("900", UpstreamError, 502),
        ("999", UpstreamError, 502),
    ],
)
def test_status_mapping(status: str, error: type[Exception], http: int) -> None:
    with pytest.raises(error) as info:
        raise_for_status(status, "message from DART")
    assert info.value.status_code == http  # type: ignore[attr-defined]
    assert status in info.value.message  # type: ignore[attr-defined]


def test_no_data_is_not_an_error() -> None:
    with pytest.raises(NoData):
        raise_for_status("013", "조회된 데이타가 없습니다.")
    raise_for_status("000", "정상")


async def test_ok_envelope_through_dart_fss_request(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    reply_with(rsps, 200, json.dumps({"status": "000", "message": "정상", "list": []}))
    upstream = DartUpstream(settings)
    data = await upstream.get_json(PATH, PARAMS)
    assert data["status"] == "000"
    sent = rsps.calls[0].request
    assert "crtfc_key=" + REPLAY_API_KEY in sent.url and "fs_div=CFS" in sent.url
    # dart-fss's session sends its own browser user agent
    assert "Mozilla" in sent.headers["user-agent"]
    assert upstream.stats.calls == 1 and upstream.quota.used == 1


async def test_rate_limit_status_020(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    body = status_reply("020")[2]
    reply_with(rsps, 200, body)
    with pytest.raises(RateLimited) as info:
        await DartUpstream(settings).get_json(PATH, PARAMS)
    assert info.value.headers["Retry-After"] == "60"


async def test_020_cools_down_locally_until_retry_after(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    """Issue 15, item 7: after a 020 the next calls are refused here, not sent to DART again."""
    now = [1000.0]
    upstream = DartUpstream(settings)
    upstream.cooldown = Cooldown("dart", clock=lambda: now[0])
    reply_with(rsps, 200, status_reply("020")[2])
    with pytest.raises(RateLimited):
        await upstream.get_json(PATH, PARAMS)
    assert len(rsps.calls) == 1
    now[0] += 30
    with pytest.raises(RateLimited) as info:
        await upstream.get_json(PATH, PARAMS)
    assert len(rsps.calls) == 1  # refused locally
    assert info.value.headers["Retry-After"] == "30"
    assert upstream.quota.used == 1  # a refused-here call spends no quota
    now[0] += 31
    with pytest.raises(RateLimited):  # the cool-down is over: DART is asked again (and says 020 again)
        await upstream.get_json(PATH, PARAMS)
    assert len(rsps.calls) == 2


async def test_http_429(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    reply_with(rsps, 429, "Too Many Requests", "text/plain")
    with pytest.raises(RateLimited):
        await DartUpstream(settings).get_json(PATH, PARAMS)


async def test_http_5xx(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    reply_with(rsps, 503, "<html>maintenance</html>", "text/html")
    with pytest.raises(UpstreamError, match="HTTP 503"):
        await DartUpstream(settings).get_json(PATH, PARAMS)


@pytest.mark.parametrize("body", ["<html>not json</html>", "[1, 2]", '{"message": "no status"}', '{"status": "000"'])
async def test_malformed_body(settings: DartSettings, rsps: responses.RequestsMock, body: str) -> None:
    reply_with(rsps, 200, body)
    with pytest.raises(UpstreamError) as info:
        await DartUpstream(settings).get_json(PATH, PARAMS)
    assert info.value.status_code == 502


async def test_connection_refused_hides_the_key(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, URL, body=requests.ConnectionError(f"refused for crtfc_key={REPLAY_API_KEY}"))
    with pytest.raises(UpstreamError) as info:
        await DartUpstream(settings).get_json(PATH, PARAMS)
    assert info.value.code == "upstream_unreachable"
    assert REPLAY_API_KEY not in info.value.message


async def test_read_timeout_is_504(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, URL, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(UpstreamTimeout):
        await DartUpstream(settings).get_json(PATH, PARAMS)


async def test_missing_key_never_calls_out(tmp_path, rsps: responses.RequestsMock) -> None:
    settings = DartSettings(dart_api_key=None, data_dir=tmp_path, internal_token="t")
    upstream = DartUpstream(settings)
    with pytest.raises(NotConfigured, match="DART_API_KEY"):
        await upstream.get_json(PATH, PARAMS)
    assert len(rsps.calls) == 0 and upstream.quota.used == 0


async def test_quota_refuses_before_dart(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    reply_with(rsps, 200, json.dumps({"status": "000", "message": "정상", "list": []}))
    upstream = DartUpstream(settings.model_copy(update={"dart_daily_limit": 2}))
    fixed = dt.datetime(2026, 11, 25, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    upstream.quota = DailyQuota(2, "Open DART", now=lambda: fixed)
    await upstream.get_json(PATH, PARAMS)
    await upstream.get_json(PATH, PARAMS)
    with pytest.raises(RateLimited) as info:
        await upstream.get_json(PATH, PARAMS)
    assert info.value.code == "quota_exceeded"
    assert info.value.headers["Retry-After"] == "3600"  # an hour until midnight KST
    assert len(rsps.calls) == 2


async def test_zip_endpoint_error_status_in_xml(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<result><status>010</status><message>등록되지 않은 키입니다.</message></result>"
    )
    reply_with(rsps, 200, xml, "application/xml")
    with pytest.raises(NotConfigured, match="010"):
        await DartUpstream(settings).get_zip("/api/corpCode.xml")


async def test_zip_endpoint_garbage(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    reply_with(rsps, 200, b"\x00\x01garbage", "application/octet-stream")
    with pytest.raises(UpstreamError, match="neither a zip"):
        await DartUpstream(settings).get_zip("/api/corpCode.xml")


async def test_calls_are_spaced_by_the_throttle(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    import time

    reply_with(rsps, 200, json.dumps({"status": "000", "message": "정상", "list": []}))
    upstream = DartUpstream(settings.model_copy(update={"dart_min_interval_s": 0.05}))
    started = time.monotonic()
    for _ in range(3):
        await upstream.get_json(PATH, PARAMS)
    # three calls need at least two full gaps
    assert time.monotonic() - started >= 0.1
