import csv
import io
import json
import zipfile

import httpx
import requests
import responses

from finscribe_common.testing.fixtures import fixture_path
from finscribe_common.testing.server import serve_in_thread
from finscribe_dart.testing import REPLAY_API_KEY, fake_upstream_app, handle, register_dart_replay

BASE = "https://opendart.fss.or.kr"
FIN_URL = (
    f"{BASE}/api/fnlttSinglAcntAll.json?crtfc_key={REPLAY_API_KEY}"
    "&corp_code=00126380&bsns_year=2024&reprt_code=11012&fs_div=CFS"
)


def test_statement_envelope_is_the_csv() -> None:
    status, headers, body = handle("GET", FIN_URL)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    envelope = json.loads(body)
    assert (envelope["status"], envelope["message"]) == ("000", "정상")
    text = fixture_path("dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(envelope["list"]) == len(rows) == 204
    first = envelope["list"][0]
    assert "" not in first  # the pandas index column is gone
    assert first["thstrm_amount"] == "485757698000000" and first["frmtrm_amount"] == "455905980000000"
    assert first["rcept_no"] == "20240814003284" and first["corp_code"] == "00126380"
    assert all(isinstance(v, str) for item in envelope["list"] for v in item.values())


def test_other_statements_are_no_data() -> None:
    body = json.loads(handle("GET", FIN_URL.replace("bsns_year=2024", "bsns_year=2023"))[2])
    assert body == {"status": "013", "message": "조회된 데이타가 없습니다."}


def test_bad_key_is_010() -> None:
    body = json.loads(handle("GET", FIN_URL.replace(REPLAY_API_KEY, "nope"))[2])
    assert body["status"] == "010"
    _, _, xml = handle("GET", f"{BASE}/api/corpCode.xml?crtfc_key=nope")
    assert b"<status>010</status>" in xml


def test_corp_code_zip_is_the_real_file() -> None:
    status, headers, body = handle("GET", f"{BASE}/api/corpCode.xml", {"crtfc_key": REPLAY_API_KEY})
    assert status == 200
    assert "attachment" in headers["Content-Disposition"]
    assert body == fixture_path("dart_corpCode.zip").read_bytes()
    assert zipfile.ZipFile(io.BytesIO(body)).namelist() == ["CORPCODE.xml"]


def test_filings_carry_the_real_receipt() -> None:
    params = {"crtfc_key": REPLAY_API_KEY, "corp_code": "00126380", "bgn_de": "20240101", "end_de": "20241231"}
    body = json.loads(handle("GET", f"{BASE}/api/list.json", params)[2])
    # the recorded receipts filed in 2024: the 2024 Q3, the 2024 half-year and the 2023 annual report
    assert body["status"] == "000" and body["total_count"] == 3
    assert [f["rcept_no"] for f in body["list"]] == ["20241114002642", "20240814003284", "20240312000736"]
    assert [f["report_nm"] for f in body["list"]] == ["분기보고서 (2024.09)", "반기보고서 (2024.06)", "사업보고서 (2023.12)"]
    assert {f["corp_name"] for f in body["list"]} == {"삼성전자"}  # as in the real corp code list
    outside = json.loads(handle("GET", f"{BASE}/api/list.json", {**params, "end_de": "20240301"})[2])
    assert outside["status"] == "013"


def test_register_counts_calls() -> None:
    with responses.RequestsMock() as rsps:
        counter = register_dart_replay(rsps)
        assert requests.get(FIN_URL, timeout=5).json()["status"] == "000"
        requests.get(FIN_URL.replace("2024", "2023", 1), timeout=5)
    assert counter.calls == 2
    assert counter.by_path["/api/fnlttSinglAcntAll.json"] == 2
    assert all("crtfc_key" not in query for _, query in counter.queries)


def test_fake_upstream_app_over_http() -> None:
    app = fake_upstream_app()
    with serve_in_thread(app) as base:
        answer = httpx.get(FIN_URL.replace(BASE, base), timeout=5)
    assert answer.json()["list"][0]["account_nm"] == "자산총계"
    assert app.state.counter.calls == 1
