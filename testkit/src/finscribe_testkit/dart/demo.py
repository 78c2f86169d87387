"""The dart replay for demo mode (`finscribe up --demo`): the same server the full-stack tests use.

What it holds is asked of the replay itself through Open DART's protocol: `list.json` for
every periodic report (pblntf_ty A) over all dates, page by page, so the demo banner
lists exactly the filings the replay answers for, however many companies it carries.
"""

import datetime as dt
import json
from urllib.parse import urlencode

from finscribe_common.demo.provenance import Recording
from finscribe_common.demo.replays import DemoReplay, Holding
from finscribe_testkit.dart import HOST, REPLAY_API_KEY, fake_upstream_app, handle

_PAGE = 100  # Open DART's largest page_count


def recorded_filings() -> list[dict[str, str]]:
    """Every list.json item the replay answers with (newest first, as DART orders them)."""
    items: list[dict[str, str]] = []
    page = 1
    while True:
        query = {
            "crtfc_key": REPLAY_API_KEY,
            "bgn_de": "19990101",
            "end_de": "99991231",
            "pblntf_ty": "A",
            "page_no": page,
            "page_count": _PAGE,
        }
        status, _, body = handle("GET", f"https://{HOST}/api/list.json?{urlencode(query)}")
        payload = json.loads(body) if status == 200 else {}
        if payload.get("status") != "000":
            return items
        items.extend(payload.get("list") or [])
        if page >= int(payload.get("total_page") or 1):
            return items
        page += 1


def recorded_holdings() -> tuple[Holding, ...]:
    holdings = []
    for filing in recorded_filings():
        filed = dt.datetime.strptime(filing["rcept_dt"], "%Y%m%d").date()
        code = filing.get("stock_code") or filing["corp_code"]
        holdings.append(Holding("DART", "filing", code, filing["corp_name"], filing["report_nm"], filed, filed))
    return tuple(holdings)


# fixtures/real/PROVENANCE.md and dart_main_accounts/index.json (`recorded_at`)
MAIN_ACCOUNTS_RECORDED = "2026-02-17"
EARLY_2025 = "2025년 초"
EARLY_2025_EN = "early 2025"


def recordings() -> tuple[Recording, ...]:
    """When each DART answer of the replay was recorded: the main accounts and company
    profiles on 2026-02-17 (the profile is dated by its fetch, so the demo cites that day),
    Samsung's 2024 half-year statement (fnlttSinglAcntAll) and the corp list early in 2025;
    the filings list is built from the recorded receipt numbers (replay.py)."""
    return (
        Recording(
            "DART",
            "company.json",
            recorded=MAIN_ACCOUNTS_RECORDED,
            note="기업개황",
            note_en="company profile",
            dated_by_recording=True,
        ),
        Recording(
            "DART",
            "fnlttSinglAcnt",
            recorded=MAIN_ACCOUNTS_RECORDED,
            note="단일회사 주요계정",
            note_en="main accounts of one company",
        ),
        Recording(
            "DART",
            "fnlttSinglAcntAll",
            recorded=EARLY_2025,
            note="단일회사 전체 재무제표",
            note_en="full statements of one company",
            recorded_en=EARLY_2025_EN,
        ),
        Recording("DART", "corpCode.xml", recorded="2025-02", note="고유번호 목록", note_en="corp code list"),
        Recording(
            "DART",
            "list.json",
            recorded=f"{EARLY_2025}·{MAIN_ACCOUNTS_RECORDED}",
            note="기록된 접수번호로 구성",
            note_en="built from the recorded receipt numbers",
            recorded_en=f"{EARLY_2025_EN} and {MAIN_ACCOUNTS_RECORDED}",
        ),
    )


def demo_replay() -> DemoReplay:
    def environment(base_url: str) -> dict[str, str]:
        # the replay accepts any well-formed key; this one is its own, never a real key
        return {
            "FINSCRIBE_UPSTREAM_OVERRIDES": f"{HOST}={base_url}",
            "DART_API_KEY": REPLAY_API_KEY,
            "DART_MIN_INTERVAL_S": "0",
        }

    return DemoReplay("dart", fake_upstream_app(), environment, recorded_holdings(), recordings())
