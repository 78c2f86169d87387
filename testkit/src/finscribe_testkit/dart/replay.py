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
- `GET /api/fnlttSinglAcnt.json?corp_code=&bsns_year=&reprt_code=` (단일회사 주요계정) and
  `GET /api/company.json?corp_code=` (기업개황): the bodies in `dart_main_accounts/`
  byte for byte, chosen by the request parameters exactly as `index.json` lists them
  (nine companies; the 2023 and 2024 annual reports and the 2024 third-quarter report).
  A missing required parameter is status 100, as DART answers it.
- `GET /api/list.json`: no list.json was recorded, so the filings list is built from the
  recorded receipts, in list.json's real shape: one periodic-report filing per recorded
  receipt number (the Samsung 2024 half-year statement's 20240814003284 and every
  `rcept_no` of the main-accounts recordings), rcept_dt = the date the receipt number
  starts with, corp_name from the corp code list, corp_cls from company.json, report_nm
  in DART's form "사업보고서 (2024.12)" / "반기보고서 (2024.06)" / "분기보고서 (2024.09)"
  from reprt_code, bsns_year and the fiscal year end (`acc_mt`). Three receipts are dated
  after the legal deadline (삼성생명 2024 Q3 on 2024-12-31, 카카오 2024 Q3 on 2024-12-26,
  KB금융지주 2024 annual on 2025-05-26): DART's statements carry the latest filing of a
  report, and the replay lists only what was recorded (`rm` was not recorded: empty).
  Filtered by corp_code, bgn_de/end_de and pblntf_ty (A = periodic), newest first, paged
  by page_no/page_count.
- Anything else valid but not recorded: status 013 "조회된 데이타가 없습니다." as DART
  answers for no data. A key that is not 40 hexadecimal characters: status 010
  "등록되지 않은 키입니다." (DART accepts only registered keys; the replay treats every
  well-formed key as registered).
"""

import csv
import io
import json
import re
import zipfile
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from finscribe_testkit.common.fixtures import fixture_path

Reply = tuple[int, dict[str, str], bytes]

HOST = "opendart.fss.or.kr"
REPLAY_API_KEY = "f1" * 20  # 40 hex characters, the shape of a real Open DART key
CORP_CODE_FIXTURE = "dart_corpCode.zip"
STATEMENT_FIXTURE = "dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv"
STATEMENT_PARAMS = {"corp_code": "00126380", "bsns_year": "2024", "reprt_code": "11012", "fs_div": "CFS"}
MAIN_ACCOUNTS_DIR = "dart_main_accounts"
# Open DART's required request parameters of the recorded endpoints (개발가이드)
REQUIRED_PARAMS = {
    "/api/fnlttSinglAcnt.json": ("corp_code", "bsns_year", "reprt_code"),
    "/api/company.json": ("corp_code",),
}
# months into the fiscal year at each report's period end
REPORT_MONTHS = {"11013": 3, "11012": 6, "11014": 9, "11011": 12}
REPORT_KINDS = {"11011": "사업보고서", "11012": "반기보고서", "11013": "분기보고서", "11014": "분기보고서"}
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


@lru_cache(maxsize=1)
def recorded_index() -> dict[tuple[str, tuple[tuple[str, str], ...]], str]:
    """(endpoint, sorted parameters) -> file name in dart_main_accounts/, from its index.json."""
    entries = json.loads(fixture_path(f"{MAIN_ACCOUNTS_DIR}/index.json").read_text(encoding="utf-8"))
    return {(e["endpoint"], tuple(sorted(e["params"].items()))): e["file"] for e in entries}


@lru_cache(maxsize=64)
def recorded_body(file: str) -> bytes:
    return fixture_path(f"{MAIN_ACCOUNTS_DIR}/{file}").read_bytes()


def recorded_json(file: str) -> dict[str, Any]:
    return json.loads(recorded_body(file))


def _recorded_reply(path: str, query: dict[str, str]) -> Reply:
    required = REQUIRED_PARAMS[path]
    if any(not query.get(k) for k in required):
        return status_reply("100")
    file = recorded_index().get((path, tuple(sorted((k, query[k]) for k in required))))
    if file is None:
        return status_reply("013")
    return 200, dict(JSON_HEADERS), recorded_body(file)


@lru_cache(maxsize=1)
def corp_names() -> dict[str, str]:
    """corp_code -> corp_name of the recorded companies, read from the real CORPCODE.xml."""
    codes = {code for (endpoint, params) in recorded_index() for key, code in params if key == "corp_code"}
    codes.add(SAMSUNG_H1_2024_FILING["corp_code"])
    with zipfile.ZipFile(io.BytesIO(corp_code_zip())) as archive:
        xml = archive.read("CORPCODE.xml").decode("utf-8")
    names = {}
    for code in codes:
        match = re.search(rf"<corp_code>{code}</corp_code>\s*<corp_name>([^<]*)</corp_name>", xml)
        if match:
            names[code] = match.group(1).strip()
    return names


@lru_cache(maxsize=1)
def recorded_filings() -> tuple[dict[str, str], ...]:
    """list.json items for every recorded periodic-report receipt, newest first."""
    filings = [dict(SAMSUNG_H1_2024_FILING)]
    names = corp_names()
    for (endpoint, params), file in recorded_index().items():
        if endpoint != "/api/fnlttSinglAcnt.json":
            continue
        query = dict(params)
        rows = recorded_json(file).get("list") or []
        if not rows:
            continue
        corp_code, year, code = query["corp_code"], int(query["bsns_year"]), query["reprt_code"]
        company_file = recorded_index().get(("/api/company.json", (("corp_code", corp_code),)))
        company = recorded_json(company_file) if company_file else {}
        fiscal_end = int(company.get("acc_mt") or 12)
        month = (fiscal_end + REPORT_MONTHS[code] - 1) % 12 + 1
        period_year = year if month <= fiscal_end else year - 1
        rcept_no = rows[0]["rcept_no"]
        filings.append(
            {
                "corp_code": corp_code,
                "corp_name": names.get(corp_code, company.get("stock_name", "")),
                "stock_code": rows[0].get("stock_code", ""),
                "corp_cls": company.get("corp_cls", ""),
                "report_nm": f"{REPORT_KINDS[code]} ({period_year}.{month:02d})",
                "rcept_no": rcept_no,
                "flr_nm": names.get(corp_code, company.get("stock_name", "")),
                "rcept_dt": rcept_no[:8],
                "rm": "",
            }
        )
    unique = {f["rcept_no"]: f for f in filings}
    return tuple(sorted(unique.values(), key=lambda f: (f["rcept_dt"], f["rcept_no"]), reverse=True))


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
    if path in REQUIRED_PARAMS:
        return _recorded_reply(path, query)
    if path == "/api/list.json":
        return _filings(query)
    return 404, {"Content-Type": "text/html"}, b"<html><body>404 Not Found</body></html>"


def _filings(query: dict[str, str]) -> Reply:
    page_no = int(query.get("page_no") or 1)
    page_count = int(query.get("page_count") or 10)
    matches = [
        f
        for f in recorded_filings()
        if query.get("corp_code") in (None, "", f["corp_code"])
        and query.get("bgn_de", "19990101") <= f["rcept_dt"] <= query.get("end_de", "99991231")
        and query.get("pblntf_ty") in (None, "", "A")
    ]
    page = matches[(page_no - 1) * page_count : page_no * page_count]
    if not page:
        return status_reply("013")
    return json_reply(
        {
            "status": "000",
            "message": "정상",
            "page_no": page_no,
            "page_count": page_count,
            "total_count": len(matches),
            "total_page": -(-len(matches) // page_count),
            "list": [dict(f) for f in page],
        }
    )
