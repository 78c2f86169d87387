"""Key metrics of nine real companies, 2022-2024 and 2024 Q3, through the real app and the replayed
Open DART, checked against figures computed here from the recorded main-accounts JSON (consolidated
rows only; amounts exact to the won; ratios rounded to 2 decimals like the service).

Formulas written out (CFS rows of fnlttSinglAcnt):
- annual Y:      flows and balances = thstrm_amount of the Y annual report
- annual 2022:   no 2022 report recorded -> frmtrm_amount of the 2023 annual report
- 2024 Q3:       flows = thstrm_add_amount (1-9월 누적), balances = thstrm_amount (09-30);
                 quarter alone = thstrm_amount of income lines, its prior = frmtrm_amount
- debt_ratio     = 부채총계 / 자본총계 x 100
- operating_margin = 영업이익 / 매출액 x 100 (general companies only)
- roe            = 당기순이익 / ((자본총계 now + 자본총계 at the prior fiscal year end) / 2) x 100
"""

import json
from typing import Any

import httpx
import pytest

from finscribe_testkit.common.fixtures import fixture_path

COMPANIES = {
    "00126380": "삼성전자",
    "00164742": "현대자동차",
    "00164779": "SK하이닉스",
    "00258801": "카카오",
    "00106641": "기아",
    "01515323": "LG에너지솔루션",
    "00266961": "NAVER",
    "00688996": "KB금융지주",
    "00126256": "삼성생명보험",
}
FINANCIAL = {"00688996": "financial_holding", "00126256": "insurance"}


def rows(corp_code: str, year: int, reprt_code: str) -> list[dict[str, Any]]:
    path = fixture_path(f"dart_main_accounts/fnlttSinglAcnt_{corp_code}_{year}_{reprt_code}.json")
    return [r for r in json.loads(path.read_text(encoding="utf-8"))["list"] if r["fs_div"] == "CFS"]


def amount(rs: list[dict[str, Any]], names: tuple[str, ...], column: str) -> int | None:
    for name in names:
        for r in rs:
            if r["account_nm"] == name and r.get(column) not in (None, "", "-"):
                return int(r[column].replace(",", ""))
    return None


REVENUE = ("매출액",)
OPERATING = ("영업이익", "영업이익(손실)")
NET = ("당기순이익(손실)", "당기순이익")
ASSETS, LIABILITIES, EQUITY = ("자산총계",), ("부채총계",), ("자본총계",)


def expected(corp_code: str, year: int, report: str) -> dict[str, Any]:
    if report == "q3":
        rs, flow, balance, prior_balance = (
            rows(corp_code, 2024, "11014"),
            "thstrm_add_amount",
            "thstrm_amount",
            "frmtrm_amount",
        )
    elif year == 2022:
        rs, flow, balance, prior_balance = (
            rows(corp_code, 2023, "11011"),
            "frmtrm_amount",
            "frmtrm_amount",
            "bfefrmtrm_amount",
        )
    else:
        rs, flow, balance, prior_balance = (
            rows(corp_code, year, "11011"),
            "thstrm_amount",
            "thstrm_amount",
            "frmtrm_amount",
        )
    revenue = amount(rs, REVENUE, flow)
    operating = amount(rs, OPERATING, flow)
    net = amount(rs, NET, flow)
    assets, liabilities, equity = (amount(rs, n, balance) for n in (ASSETS, LIABILITIES, EQUITY))
    equity_before = amount(rs, EQUITY, prior_balance)
    assert net is not None and equity is not None and equity_before is not None
    out = {
        "operating_income": operating,
        "net_income": net,
        "total_assets": assets,
        "total_liabilities": liabilities,
        "total_equity": equity,
        "debt_ratio": round(liabilities / equity * 100, 2),
        "roe": round(net / ((equity + equity_before) / 2) * 100, 2),
    }
    if corp_code in FINANCIAL:
        out.update(revenue=None, operating_margin=None, net_margin=None)
    else:
        assert revenue is not None
        out.update(
            revenue=revenue,
            operating_margin=round(operating / revenue * 100, 2),
            net_margin=round(net / revenue * 100, 2),
        )
    return out


PERIODS = [(2022, "annual"), (2023, "annual"), (2024, "annual"), (2024, "q3")]


@pytest.mark.parametrize("corp_code", list(COMPANIES))
async def test_key_metrics_of_every_recorded_period(client: httpx.AsyncClient, corp_code: str) -> None:
    for year, report in PERIODS:
        response = await client.get(f"/v1/corps/{corp_code}/key-metrics", params={"year": year, "report": report})
        assert response.status_code == 200, (COMPANIES[corp_code], year, report, response.text)
        data = response.json()["data"]
        want = expected(corp_code, year, report)
        got = {key: data[key] for key in want}
        assert got == want, (COMPANIES[corp_code], year, report)
        assert (data["fs_div"], data["dataset"]) == ("CFS", "fnlttSinglAcnt")
        assert data["sector"]["code"] == FINANCIAL.get(corp_code, "general")
        if year == 2022:
            assert data["served_from"]["year"] == 2023 and data["served_from"]["column"] == "frmtrm"
        else:
            assert data["served_from"] is None


@pytest.mark.parametrize("corp_code", list(COMPANIES))
async def test_history_covers_three_years_and_the_quarter_alone(client: httpx.AsyncClient, corp_code: str) -> None:
    annual = (await client.get(f"/v1/corps/{corp_code}/key-metrics", params={"year": 2024})).json()["data"]
    rs = rows(corp_code, 2024, "11011")
    assert [(h["year"], h["period"], h["scope"]) for h in annual["history"]] == [
        (2024, "thstrm", "annual"),
        (2023, "frmtrm", "annual"),
        (2022, "bfefrmtrm", "annual"),
    ]
    for entry, column in zip(annual["history"], ("thstrm_amount", "frmtrm_amount", "bfefrmtrm_amount"), strict=True):
        assert entry["net_income"] == amount(rs, NET, column)
        assert entry["total_assets"] == amount(rs, ASSETS, column)

    q3 = (await client.get(f"/v1/corps/{corp_code}/key-metrics", params={"year": 2024, "report": "q3"})).json()["data"]
    rs = rows(corp_code, 2024, "11014")
    assert q3["period_label"] == "2024년 1~9월 누적"
    labels = [(h["label"], h["scope"]) for h in q3["history"]]
    assert labels == [
        ("2024년 1~9월 누적", "cumulative"),
        ("2024년 3분기(7~9월)", "quarter"),
        ("2023년 1~9월 누적", "cumulative"),
        ("2023년 3분기(7~9월)", "quarter"),
    ]
    quarter = q3["quarter"]
    assert quarter["label"] == "2024년 3분기(7~9월)"
    assert quarter["net_income"] == amount(rs, NET, "thstrm_amount")  # the quarter alone
    assert quarter["prior"]["net_income"] == amount(rs, NET, "frmtrm_amount")  # July-September a year earlier
    assert q3["prior"]["net_income"] == amount(rs, NET, "frmtrm_add_amount")  # 1-9월 a year earlier
    # balances at the prior fiscal year end, not a year-earlier quarter end
    assert q3["prior"]["total_equity"] == amount(rs, EQUITY, "frmtrm_amount")


async def test_kb_is_a_financial_holding_with_its_own_lines(client: httpx.AsyncClient) -> None:
    data = (await client.get("/v1/corps/00688996/key-metrics", params={"year": 2024, "report": "q3"})).json()["data"]
    rs = rows("00688996", 2024, "11014")
    assert data["sector"]["induty_code"] == "64992" and "순이자손익" in data["sector"]["basis"]
    assert data["net_interest_income"] == amount(rs, ("순이자손익",), "thstrm_add_amount") == 9_522_689_000_000
    assert data["net_fee_income"] == amount(rs, ("순수수료손익",), "thstrm_add_amount") == 2_852_432_000_000
    assert data["deposits"] == amount(rs, ("예수부채",), "thstrm_amount")
    assert data["lines"][:2] == ["net_interest_income", "net_fee_income"]
    assert "revenue" not in data["lines"] and data["revenue"] is None
    assert "매출액" in data["omitted"]["operating_margin"] and data["operating_margin"] is None
    # KB's separate (holding company alone) rows carry a negative 순이자손익: never mixed into CFS figures
    ofs = [
        r
        for r in json.loads(fixture_path("dart_main_accounts/fnlttSinglAcnt_00688996_2024_11014.json").read_text())[
            "list"
        ]
        if r["fs_div"] == "OFS"
    ]
    assert amount(ofs, ("순이자손익",), "thstrm_add_amount") == -41_379_000_000
    separate = (
        await client.get("/v1/corps/00688996/key-metrics", params={"year": 2024, "report": "q3", "fs": "separate"})
    ).json()["data"]
    assert separate["fs_div"] == "OFS" and separate["net_interest_income"] == -41_379_000_000
    assert separate["total_assets"] == amount(ofs, ASSETS, "thstrm_amount")


async def test_samsung_life_is_an_insurer_and_says_which_lines_dart_lacks(client: httpx.AsyncClient) -> None:
    data = (await client.get("/v1/corps/00126256/key-metrics", params={"year": 2024})).json()["data"]
    assert data["sector"]["code"] == "insurance" and data["sector"]["induty_code"] == "65110"
    assert data["insurance_liabilities"] == amount(rows("00126256", 2024, "11011"), ("보험계약부채",), "thstrm_amount")
    assert "insurance_result" in data["omitted"]  # DART's main accounts carry no 보험손익 line for it
    assert data["operating_margin"] is None and data["net_margin"] is None


async def test_known_facts_from_provenance(client: httpx.AsyncClient) -> None:
    samsung = (await client.get("/v1/corps/00126380/key-metrics", params={"year": 2024})).json()["data"]
    kb = (await client.get("/v1/corps/00688996/key-metrics", params={"year": 2024})).json()["data"]
    assert samsung["revenue"] == 300_870_903_000_000
    assert kb["total_assets"] == 757_845_532_000_000


async def test_company_profile_is_company_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/corps/00688996/company")
    assert response.status_code == 200
    body = response.json()
    raw = json.loads(fixture_path("dart_main_accounts/company_00688996.json").read_text(encoding="utf-8"))
    data = body["data"]
    assert (data["ceo_nm"], data["induty_code"], data["hm_url"]) == (raw["ceo_nm"], raw["induty_code"], raw["hm_url"])
    assert (data["market"], data["acc_mt"], data["est_dt"]) == ("KOSPI", 12, "2008-09-29")
    assert data["industry"] == "지주회사"
    assert body["source"]["dataset"] == "company.json" and "crtfc_key" not in body["source"]["url"]
    missing = await client.get("/v1/corps/00434003/company")  # in the corp list, no profile recorded: 013
    assert missing.status_code == 404


async def test_a_year_with_no_report_anywhere_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/corps/00126380/key-metrics", params={"year": 2019})
    assert response.status_code == 404
    assert "013" in response.json()["error"]["message"]
