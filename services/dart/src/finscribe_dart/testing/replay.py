"""Open DART replayed from the real recorded fixtures, speaking DART's own protocol.

What the replay carries (all from fixtures/real/, see PROVENANCE.md):

- `GET /api/corpCode.xml`: the real `dart_corpCode.zip` byte for byte (CORPCODE.xml,
  109,436 companies, 2025-02), with DART's download headers
  (`Content-Disposition: attachment; filename=CORPCODE.zip`).
- `GET /api/fnlttSinglAcntAll.json?corp_code=00126380&bsns_year=2024&reprt_code=11012&fs_div=CFS`:
  `{"status":"000","message":"정상","list":[...]}` rebuilt from the 204 rows of
  `dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv` (Samsung Electronics, 2024
  half-year, consolidated; rcept_no 20240814003284; 자산총계 485,757,698,000,000 current
  and 455,905,980,000,000 prior). The pandas index column is dropped; every value stays
  a string as DART sends it; a cell left empty in the CSV is left out of its item
  (pandas wrote a missing key and an empty string alike).
- `GET /api/list.json`: there is no recorded list.json, so the one filing the recorded
  statement comes from is served in list.json's real shape: rcept_no 20240814003284
  (Samsung Electronics' 2024 half-year report, filed 2024-08-14 as the receipt number
  says), corp_name/stock_code from the corp code list, corp_cls Y, report_nm
  "반기보고서 (2024.06)"; `rm` was not recorded and is left empty.
- Anything else valid but not recorded: status 013 "조회된 데이타가 없습니다." as DART
  answers for no data. A key that is not 40 hexadecimal characters: status 010
  "등록되지 않은 키입니다." (DART accepts only registered keys; the replay treats every
  well-formed key as registered).
"""

import csv
import io
import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from finscribe_common.testing.fixtures import fixture_path

Reply = tuple[int, dict[str, str], bytes]

HOST = "opendart.fss.or.kr"
REPLAY_API_KEY = "f1" * 20  # 40 hex characters, the shape of a real Open DART key
CORP_CODE_FIXTURE = "dart_corpCode.zip"
STATEMENT_FIXTURE = "dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv"
STATEMENT_PARAMS = {"corp_code": "00126380", "bsns_year": "2024", "reprt_code": "11012", "fs_div": "CFS"}
SAMSUNG_H1_2024_FILING = {
    "corp_code": "00126380",
    "corp_name": "삼성전자",
    "stock_code": "005930",
    "corp_cls": "Y",
    "report_nm": "반기보고서 (2024.06)",
    "rcept_no": "20240814003284",
    "flr_nm": "삼성전자",
    "rcept_dt": "20240814",
    "rm": "",
}

MESSAGES = {
    "000": "정상",
    "010": "등록되지 않은 키입니다.",
    "013": "조회된 데이타가 없습니다.",
    "020": "요청 제한을 초과하였습니다.",
    "100": "필드의 부적절한 값입니다. 필드 설명에 없는 값을 사용한 경우에 발생하는 메시지입니다.",
    "800": "원활한 공시서비스를 위하여 오픈API 서비스가 중지 중입니다.",
}
JSON_HEADERS = {"Content-Type": "application/json;charset=UTF-8"}
_KEY_RE = re.compile(r"^[0-9a-fA-F]{40}$")


@lru_cache(maxsize=1)
def corp_code_zip() -> bytes:
    return fixture_path(CORP_CODE_FIXTURE).read_bytes()


@lru_cache(maxsize=1)
def statement_rows() -> tuple[dict[str, str], ...]:
    text = fixture_path(STATEMENT_FIXTURE).read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        rows.append({key: value for key, value in row.items() if key and value != ""})
    return tuple(rows)


def status_body(status: str, message: str | None = None) -> bytes:
    return json.dumps({"status": status, "message": message or MESSAGES[status]}, ensure_ascii=False).encode()


def json_reply(payload: dict[str, Any], status: int = 200) -> Reply:
    return status, dict(JSON_HEADERS), json.dumps(payload, ensure_ascii=False).encode()


def status_reply(status: str, message: str | None = None) -> Reply:
    return 200, dict(JSON_HEADERS), status_body(status, message)


def xml_status_reply(status: str) -> Reply:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<result><status>{status}</status><message>{MESSAGES[status]}</message></result>"
    )
    return 200, {"Content-Type": "application/xml;charset=UTF-8"}, body.encode()


def statement_envelope() -> dict[str, Any]:
    return {"status": "000", "message": "정상", "list": [dict(r) for r in statement_rows()]}


def _params(url: str, params: dict[str, Any] | None) -> dict[str, str]:
    merged = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    merged.update({k: str(v) for k, v in (params or {}).items() if v is not None})
    return merged


def handle(method: str, url: str, params: dict[str, Any] | None = None, body: bytes | None = None) -> Reply:
    """Answer one Open DART request as the real service would, from the recorded data."""
    path = urlsplit(url).path
    query = _params(url, params)
    if method.upper() != "GET" or not path.startswith("/api/"):
        return 404, {"Content-Type": "text/html"}, b"<html><body>404 Not Found</body></html>"
    if not _KEY_RE.match(query.get("crtfc_key", "")):
        return xml_status_reply("010") if path == "/api/corpCode.xml" else status_reply("010")
    if path == "/api/corpCode.xml":
        headers = {
            "Content-Type": "application/x-msdownload;charset=UTF-8",
            "Content-Disposition": "attachment; filename=CORPCODE.zip",
        }
        return 200, headers, corp_code_zip()
    if path == "/api/fnlttSinglAcntAll.json":
        if any(k not in query for k in STATEMENT_PARAMS):
            return status_reply("100")
        if all(query.get(k) == v for k, v in STATEMENT_PARAMS.items()):
            return json_reply(statement_envelope())
        return status_reply("013")
    if path == "/api/list.json":
        return _filings(query)
    return 404, {"Content-Type": "text/html"}, b"<html><body>404 Not Found</body></html>"


def _filings(query: dict[str, str]) -> Reply:
    filing = SAMSUNG_H1_2024_FILING
    page_no = int(query.get("page_no") or 1)
    page_count = int(query.get("page_count") or 10)
    matches = (
        query.get("corp_code") in (None, filing["corp_code"])
        and query.get("bgn_de", "19990101") <= filing["rcept_dt"] <= query.get("end_de", "99991231")
        and query.get("pblntf_ty") in (None, "", "A")
        and page_no == 1
    )
    if not matches:
        return status_reply("013")
    return json_reply(
        {
            "status": "000",
            "message": "정상",
            "page_no": page_no,
            "page_count": page_count,
            "total_count": 1,
            "total_page": 1,
            "list": [dict(filing)],
        }
    )
