"""A pure replay of data.krx.co.kr as pykrx talks to it (login + getJsonData.cmd).

`handle(method, url, params, body, headers)` -> `(status, headers, body_bytes)`. The login
flow is pykrx's (pykrx/website/comm/auth.py): GET MDCCOMS001.cmd and login.jsp hand out a
JSESSIONID, POST MDCCOMS001D1.cmd with mbrId/pw answers `{"_error_code": "CD001"}` when the
credentials are right. Data requests without the logged-in cookie get what KRX gives a
logged-out client since 2025: HTTP 400 with the body `LOGOUT`. When `headers` is None the
cookie check is skipped (for callers that only want the data).
"""

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from finscribe_testkit.krx import payloads

REPLAY_ID = "finscribe-replay"
REPLAY_PW = "replay-only-password"
ANON_COOKIE = "replay-anonymous"
LOGIN_COOKIE = "replay-logged-in"

LOGIN_PAGE = "/contents/MDC/COMS/client/MDCCOMS001.cmd"
LOGIN_JSP = "/contents/MDC/COMS/client/view/login.jsp"
LOGIN_POST = "/contents/MDC/COMS/client/MDCCOMS001D1.cmd"
DATA_PATH = "/comm/bldAttendant/getJsonData.cmd"

STOCK_BLD = "dbms/MDC/STAT/standard/MDCSTAT01701"
FUNDAMENTAL_BLD = "dbms/MDC/STAT/standard/MDCSTAT03502"
INDEX_BLD = "dbms/MDC/STAT/standard/MDCSTAT00301"
LISTED_BLD = "dbms/comm/finder/finder_stkisu"
DELISTED_BLD = "dbms/comm/finder/finder_listdelisu"

Response = tuple[int, dict[str, str], bytes]


def form(body: bytes | str | Mapping[str, Any] | None) -> dict[str, str]:
    if body is None:
        return {}
    if isinstance(body, Mapping):
        return {str(k): str(v) for k, v in body.items()}
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    return dict(parse_qsl(text, keep_blank_values=True))


def _json(payload: Any, status: int = 200, cookie: str | None = None) -> Response:
    headers = {"Content-Type": "application/json;charset=UTF-8"}
    if cookie:
        headers["Set-Cookie"] = f"JSESSIONID={cookie}; Path=/; HttpOnly"
    return status, headers, json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _html(text: str, cookie: str | None = None) -> Response:
    headers = {"Content-Type": "text/html;charset=UTF-8"}
    if cookie:
        headers["Set-Cookie"] = f"JSESSIONID={cookie}; Path=/; HttpOnly"
    return 200, headers, text.encode("utf-8")


def _cookie(headers: Mapping[str, str]) -> str | None:
    for name, value in headers.items():
        if name.lower() == "cookie":
            for part in value.split(";"):
                key, _, val = part.strip().partition("=")
                if key == "JSESSIONID":
                    return val
    return None


def _stamp() -> str:
    # KRX stamps every answer with its server clock, e.g. "2021.01.15 PM 05:00:00"
    return dt.datetime.now().strftime("%Y.%m.%d %p %I:%M:%S")


def handle(
    method: str,
    url: str,
    params: Mapping[str, Any] | None = None,
    body: bytes | str | Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update({str(k): str(v) for k, v in (params or {}).items()})
    method = method.upper()
    if parts.path == LOGIN_PAGE and method == "GET":
        return _html("<html><body>KRX 로그인</body></html>", cookie=ANON_COOKIE)
    if parts.path == LOGIN_JSP and method == "GET":
        return _html("<html><body><form id='loginForm'></form></body></html>")
    if parts.path == LOGIN_POST and method == "POST":
        fields = form(body)
        if fields.get("mbrId") == REPLAY_ID and fields.get("pw") == REPLAY_PW:
            return _json({"_error_code": "CD001", "_error_message": "정상"}, cookie=LOGIN_COOKIE)
        return _json({"_error_code": "CD002", "_error_message": "아이디 또는 비밀번호가 일치하지 않습니다."})
    if parts.path == DATA_PATH and method == "POST":
        if headers is not None and _cookie(headers) != LOGIN_COOKIE:
            return 400, {"Content-Type": "text/plain;charset=UTF-8"}, b"LOGOUT"
        return data(form(body) | query)
    return 404, {"Content-Type": "text/html"}, b"<html><body>404 Not Found</body></html>"


def data(fields: Mapping[str, str]) -> Response:
    bld = fields.get("bld", "")
    if bld == LISTED_BLD:
        return _json({"block1": _finder(payloads.listed_rows(), fields)})
    if bld == DELISTED_BLD:
        return _json({"block1": _finder(payloads.delisted_rows(), fields)})
    start, end = fields.get("strtDd", ""), fields.get("endDd", "")
    if bld in (STOCK_BLD, FUNDAMENTAL_BLD, INDEX_BLD) and not (_is_day(start) and _is_day(end)):
        return _json({"output": [], "CURRENT_DATETIME": _stamp()})
    if bld == STOCK_BLD:
        rows = payloads.samsung_price_rows() if fields.get("isuCd") == payloads.SAMSUNG_ISIN else ()
        return _json({"output": payloads.in_range(rows, start, end), "CURRENT_DATETIME": _stamp()})
    if bld == FUNDAMENTAL_BLD:
        rows = payloads.samsung_fundamental_rows() if fields.get("isuCd") == payloads.SAMSUNG_ISIN else ()
        return _json({"output": payloads.in_range(rows, start, end), "CURRENT_DATETIME": _stamp()})
    if bld == INDEX_BLD:
        code = fields.get("indIdx", "") + fields.get("indIdx2", "")
        rows = payloads.kospi_rows() if code == payloads.KOSPI else ()
        return _json({"output": payloads.in_range(rows, start, end), "CURRENT_DATETIME": _stamp()})
    return unknown_bld(bld)


UNKNOWN_BLD_CODE = "REPLAY_UNKNOWN_BLD"


def unknown_bld(bld: str) -> Response:
    """The answer to a `bld` the replay holds nothing for: HTTP 400 with a JSON body
    `{"_error_code": "REPLAY_UNKNOWN_BLD", "_error_message": "..."}`.

    What KRX itself answers to an unknown bld was never recorded (fixtures/real/PROVENANCE.md
    has no KRX recording of it, and pykrx's source does not say), so the replay does not
    pretend to know KRX's code for it: it answers in the shape KRX's JSON errors take (the
    `_error_code`/`_error_message` pair its login endpoint answers, which pykrx's auth.py reads)
    with a code that names the replay, never an empty body a client can only guess about."""
    message = f"bld {bld!r} is not recorded in the KRX replay (KRX's own answer to an unknown bld was never recorded)"
    return _json({"_error_code": UNKNOWN_BLD_CODE, "_error_message": message}, status=400)


def _finder(rows: tuple[dict[str, str], ...], fields: Mapping[str, str]) -> list[dict[str, str]]:
    market = fields.get("mktsel", "ALL")
    text = fields.get("searchText", "")
    return [
        row
        for row in rows
        if (market == "ALL" or row["marketCode"] == market) and (not text or text in row["codeName"])
    ]


def _is_day(value: str) -> bool:
    try:
        dt.datetime.strptime(value, "%Y%m%d")
    except ValueError:
        return False
    return True
