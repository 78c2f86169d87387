"""The replay speaks KRX's protocol and carries the real recorded values."""

import csv
import json
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal

from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.krx import REPLAY_ID, REPLAY_PW, handle, payloads
from finscribe_testkit.krx.replay import (
    DATA_PATH,
    INDEX_BLD,
    LISTED_BLD,
    LOGIN_COOKIE,
    LOGIN_POST,
    STOCK_BLD,
)

KRX = "https://data.krx.co.kr"
LOGGED_IN = {"Cookie": f"JSESSIONID={LOGIN_COOKIE}"}


def test_login_accepts_only_the_replay_credentials() -> None:
    status, headers, body = handle("POST", KRX + LOGIN_POST, body={"mbrId": REPLAY_ID, "pw": REPLAY_PW})
    assert status == 200 and json.loads(body)["_error_code"] == "CD001"
    assert LOGIN_COOKIE in headers["Set-Cookie"]
    _, _, body = handle("POST", KRX + LOGIN_POST, body={"mbrId": REPLAY_ID, "pw": "nope"})
    assert json.loads(body)["_error_code"] != "CD001"


def test_data_without_login_is_logout_like_krx_since_2025() -> None:
    status, _, body = handle("POST", KRX + DATA_PATH, body=f"bld={STOCK_BLD}", headers={})
    assert (status, body) == (400, b"LOGOUT")


def test_stock_rows_have_krx_shape_newest_first() -> None:
    form = f"bld={STOCK_BLD}&isuCd=KR7005930003&strtDd=20210111&endDd=20210115&adjStkPrc=2"
    status, _, body = handle("POST", KRX + DATA_PATH, body=form, headers=LOGGED_IN)
    rows = json.loads(body)["output"]
    assert status == 200
    assert [r["TRD_DD"] for r in rows] == ["2021/01/15", "2021/01/14", "2021/01/13", "2021/01/12", "2021/01/11"]
    assert rows[0]["TDD_CLSPRC"] == "88,000" and rows[0]["LIST_SHRS"] == "5,969,782,550"


def test_2024_closes_are_the_recorded_yahoo_closes() -> None:
    with fixture_path("yahoo_005930.KS_close_2024.csv").open(newline="") as handle_:
        recorded = {
            row["Date"].replace("-", "/"): Decimal(row["005930"]).quantize(Decimal(1), ROUND_HALF_UP)
            for row in csv.DictReader(handle_)
        }
    _, _, body = handle(
        "POST", KRX + DATA_PATH, body=f"bld={STOCK_BLD}&isuCd=KR7005930003&strtDd=20240101&endDd=20241231"
    )
    rows = json.loads(body)["output"]
    assert {r["TRD_DD"]: Decimal(r["TDD_CLSPRC"].replace(",", "")) for r in rows} == recorded
    by_day = {r["TRD_DD"]: r for r in rows}
    assert by_day["2024/12/30"]["MKTCAP"] == f"{53200 * 5_969_782_550:,}"
    assert by_day["2024/01/02"]["FLUC_RT"] == "-"


def test_unknown_stock_or_index_is_an_empty_output() -> None:
    hynix = f"bld={STOCK_BLD}&isuCd=KR7000660001&strtDd=20240101&endDd=20241231"
    _, _, body = handle("POST", KRX + DATA_PATH, body=hynix)
    assert json.loads(body)["output"] == []
    kosdaq = f"bld={INDEX_BLD}&indIdx=2&indIdx2=001&strtDd=20210101&endDd=20210110"
    _, _, body = handle("POST", KRX + DATA_PATH, body=kosdaq)
    assert json.loads(body)["output"] == []


def test_finder_filters_by_market_and_text() -> None:
    _, _, body = handle("POST", KRX + DATA_PATH, body=f"bld={LISTED_BLD}&mktsel=KSQ&searchText=")
    rows = json.loads(body)["block1"]
    assert rows and {r["marketName"] for r in rows} == {"코스닥"}
    _, _, body = handle("POST", KRX + DATA_PATH, body=f"bld={LISTED_BLD}&mktsel=ALL&searchText=삼성전자")
    assert [r["short_code"] for r in json.loads(body)["block1"]] == ["005930", "005935"]


def test_listed_codes_are_real_dart_stock_codes() -> None:
    with zipfile.ZipFile(fixture_path("dart_corpCode.zip")) as archive:
        xml = archive.read("CORPCODE.xml").decode("utf-8")
    dart = set(re.findall(r"<stock_code>\s*([0-9A-Z]{6})\s*</stock_code>", xml))
    assert len(dart) > 3000
    ours = {row["short_code"] for row in payloads.listed_rows()} - {"005935"}  # a preferred share has no corp
    assert ours <= dart
    assert len(ours) == 50


def test_isin_check_digit_matches_the_isins_pykrx_prints() -> None:
    assert payloads.isin_for("005930") == "KR7005930003"
    assert payloads.isin_for("060310") == "KR7060310000"
    assert payloads.isin_for("095570") == "KR7095570008"


def test_an_unknown_bld_answers_in_krx_json_error_shape() -> None:
    # KRX's answer to an unknown bld was never recorded (fixtures/real/PROVENANCE.md); the replay
    # answers in the shape KRX's JSON errors take (`_error_code`, `_error_message`, as its login
    # answers), never an empty body a client could only guess about
    status, headers, body = handle("POST", KRX + DATA_PATH, body="bld=dbms/MDC/STAT/standard/NOPE", headers=LOGGED_IN)
    assert status == 400 and headers["Content-Type"].startswith("application/json")
    error = json.loads(body)
    assert error["_error_code"] == "REPLAY_UNKNOWN_BLD"
    assert "dbms/MDC/STAT/standard/NOPE" in error["_error_message"] and "not recorded" in error["_error_message"]
