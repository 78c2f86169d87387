import csv
import io
import json
import zipfile

import httpx
import requests
import responses

from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.dart import REPLAY_API_KEY, fake_upstream_app, handle, register_dart_replay

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
    assert [f["report_nm"] for f in body["list"]] == [
        "분기보고서 (2024.09)",
        "반기보고서 (2024.06)",
        "사업보고서 (2023.12)",
    ]
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


# Open DART's documented response fields (개발가이드 > 상장기업 재무정보 > 단일회사 주요계정, and
# 공시정보 > 기업개황). Every recorded item must use only these names; the replay serves the bodies as recorded.
MAIN_ACCOUNTS_FIELDS = {
    "rcept_no", "bsns_year", "stock_code", "reprt_code", "account_nm", "fs_div", "fs_nm", "sj_div", "sj_nm",
    "thstrm_nm", "thstrm_dt", "thstrm_amount", "thstrm_add_amount", "frmtrm_nm", "frmtrm_dt", "frmtrm_amount",
    "frmtrm_add_amount", "bfefrmtrm_nm", "bfefrmtrm_dt", "bfefrmtrm_amount", "ord", "currency",
    "corp_code",  # not in the field table, but in DART's own worked example and in every recorded item
}  # fmt: skip
COMPANY_FIELDS = {
    "status", "message", "corp_name", "corp_name_eng", "stock_name", "stock_code", "ceo_nm", "corp_cls",
    "jurir_no", "bizr_no", "adres", "hm_url", "ir_url", "phn_no", "fax_no", "induty_code", "est_dt", "acc_mt",
    "corp_code",
}  # fmt: skip


def _recorded() -> list[dict[str, object]]:
    return json.loads(fixture_path("dart_main_accounts/index.json").read_text(encoding="utf-8"))


def test_every_recording_is_served_by_its_documented_parameters() -> None:
    entries = _recorded()
    assert len(entries) == 36  # nine companies: company.json and three reports each
    for entry in entries:
        status, headers, body = handle(
            "GET", f"{BASE}{entry['endpoint']}", {"crtfc_key": REPLAY_API_KEY, **entry["params"]}
        )
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        assert body == fixture_path(f"dart_main_accounts/{entry['file']}").read_bytes()


def test_recordings_match_dart_documented_layout() -> None:
    for entry in _recorded():
        body = json.loads(fixture_path(f"dart_main_accounts/{entry['file']}").read_text(encoding="utf-8"))
        assert (body["status"], body["message"]) == ("000", "정상")
        if entry["endpoint"] == "/api/company.json":
            assert set(body) <= COMPANY_FIELDS and body["corp_code"] == entry["params"]["corp_code"]
            continue
        params = entry["params"]
        annual = params["reprt_code"] == "11011"
        assert {row["fs_div"] for row in body["list"]} == {"CFS", "OFS"}  # both in one answer
        for row in body["list"]:
            assert set(row) <= MAIN_ACCOUNTS_FIELDS, set(row) - MAIN_ACCOUNTS_FIELDS
            assert all(isinstance(v, str) for v in row.values())
            assert (row["corp_code"], row["bsns_year"], row["reprt_code"]) == (
                params["corp_code"], params["bsns_year"], params["reprt_code"]
            )  # fmt: skip
            assert row["sj_div"] in ("BS", "IS") and row["currency"] == "KRW"
            # 전전기 only in annual reports; 누적 only for income lines of interim reports
            assert ("bfefrmtrm_amount" in row) == annual
            if not annual and row["sj_div"] == "IS":
                assert "thstrm_add_amount" in row and "frmtrm_add_amount" in row


def test_main_accounts_parameters_are_checked_like_dart() -> None:
    url = f"{BASE}/api/fnlttSinglAcnt.json"
    key = {"crtfc_key": REPLAY_API_KEY}
    missing = json.loads(handle("GET", url, {**key, "corp_code": "00126380", "bsns_year": "2024"})[2])
    assert missing["status"] == "100"
    other = json.loads(
        handle("GET", url, {**key, "corp_code": "00126380", "bsns_year": "2024", "reprt_code": "11012"})[2]
    )
    assert other == {"status": "013", "message": "조회된 데이타가 없습니다."}
    unknown = json.loads(handle("GET", f"{BASE}/api/company.json", {**key, "corp_code": "00434003"})[2])
    assert unknown["status"] == "013"


def test_filings_of_the_nine_companies_come_from_their_receipts() -> None:
    params = {"crtfc_key": REPLAY_API_KEY, "corp_code": "00688996", "bgn_de": "20240101", "end_de": "20241120"}
    body = json.loads(handle("GET", f"{BASE}/api/list.json", {**params, "pblntf_ty": "A"})[2])
    assert [(f["report_nm"], f["rcept_dt"]) for f in body["list"]] == [
        ("분기보고서 (2024.09)", "20241114"),
        ("사업보고서 (2023.12)", "20240326"),
    ]
    assert (
        body["list"][0]["corp_name"] == "KB금융"
    )  # as the real corp code list names it and body["list"][0]["corp_cls"] == "Y"
    paged = json.loads(handle("GET", f"{BASE}/api/list.json", {**params, "page_count": "1", "page_no": "2"})[2])
    assert paged["total_count"] == 2 and paged["total_page"] == 2 and len(paged["list"]) == 1
