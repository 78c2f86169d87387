"""The company profile (기업개황, Open DART company.json) in our field names.

company.json has no listing date: est_dt is the date of incorporation (설립일). The KSIC
names below cover the industries of the companies we have recordings for and the
financial codes the sector rules use; other codes are returned without a name.
"""

import datetime as dt
from typing import Any

from finscribe_dart.financials import text_of

MARKETS = {"Y": "KOSPI", "K": "KOSDAQ", "N": "KONEX", "E": "기타"}
# KSIC (10th revision) names: five-digit codes first, then their division (two digits)
KSIC_NAMES = {
    "264": "통신 및 방송 장비 제조업",
    "2612": "전자집적회로 제조업",
    "28202": "축전지 제조업",
    "30121": "승용차 및 기타 여객용 자동차 제조업",
    "63120": "포털 및 기타 인터넷 정보 매개 서비스업",
    "64992": "지주회사",
    "65110": "생명 보험업",
    "26": "전자 부품, 컴퓨터, 영상, 음향 및 통신장비 제조업",
    "28": "전기장비 제조업",
    "30": "자동차 및 트레일러 제조업",
    "63": "정보서비스업",
    "64": "금융업",
    "65": "보험 및 연금업",
    "66": "금융 및 보험 관련 서비스업",
}


def industry_name(code: str | None) -> str | None:
    if not code:
        return None
    for length in range(len(code), 1, -1):
        name = KSIC_NAMES.get(code[:length])
        if name:
            return name
    return None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(value or "", "%Y%m%d").date()
    except ValueError:
        return None


def parse_profile(data: dict[str, Any]) -> dict[str, Any]:
    """company.json's body -> our profile; dates become ISO dates, acc_mt the fiscal year-end month."""
    induty = text_of(data, "induty_code")
    acc_mt = text_of(data, "acc_mt")
    corp_cls = text_of(data, "corp_cls")
    return {
        "corp_code": text_of(data, "corp_code"),
        "corp_name": text_of(data, "corp_name"),
        "corp_name_eng": text_of(data, "corp_name_eng"),
        "stock_name": text_of(data, "stock_name"),
        "stock_code": text_of(data, "stock_code"),
        "ceo_nm": text_of(data, "ceo_nm"),
        "corp_cls": corp_cls,
        "market": MARKETS.get(corp_cls or ""),
        "induty_code": induty,
        "industry": industry_name(induty),
        "est_dt": _date(text_of(data, "est_dt")),
        "acc_mt": int(acc_mt) if acc_mt and acc_mt.isdigit() and 1 <= int(acc_mt) <= 12 else None,
        "adres": text_of(data, "adres"),
        "hm_url": text_of(data, "hm_url"),
        "ir_url": text_of(data, "ir_url"),
        "phn_no": text_of(data, "phn_no"),
        "jurir_no": text_of(data, "jurir_no"),
        "bizr_no": text_of(data, "bizr_no"),
    }
