"""The dart replay for demo mode (`finscribe up --demo`): the same server the full-stack tests use.

What it holds is asked of the replay itself through Open DART's protocol: `list.json` for
every periodic report (pblntf_ty A) over all dates, page by page, so the demo banner
lists exactly the filings the replay answers for, however many companies it carries.
"""

import datetime as dt
import json
from urllib.parse import urlencode

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


def demo_replay() -> DemoReplay:
    def environment(base_url: str) -> dict[str, str]:
        # the replay accepts any well-formed key; this one is its own, never a real key
        return {
            "FINSCRIBE_UPSTREAM_OVERRIDES": f"{HOST}={base_url}",
            "DART_API_KEY": REPLAY_API_KEY,
            "DART_MIN_INTERVAL_S": "0",
        }

    return DemoReplay("dart", fake_upstream_app(), environment, recorded_holdings())
