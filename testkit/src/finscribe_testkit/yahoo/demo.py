"""The yahoo replay for demo mode (`finscribe up --demo`): the same server the full-stack tests use.

What it holds comes from the recordings the replay serves (`load_recordings`): each
symbol's recorded adjusted closes, first and last day.
"""

from finscribe_common.demo.provenance import Recording
from finscribe_common.demo.replays import DemoReplay, Holding, HoldingKind
from finscribe_testkit.yahoo.recordings import load_recordings
from finscribe_testkit.yahoo.server import fake_upstream_app, overrides_for
from finscribe_yahoo.service import CHART_DATASET


def recorded_holdings() -> tuple[Holding, ...]:
    holdings = []
    for symbol, series in load_recordings().items():
        if not series.rows:
            continue
        kind: HoldingKind = "index" if series.profile.instrument_type == "INDEX" else "prices"
        first, last = series.rows[0][0], series.rows[-1][0]
        holdings.append(Holding("Yahoo Finance", kind, symbol, series.profile.long_name, "수정 종가", first, last))
    return tuple(holdings)


# fixtures/real/PROVENANCE.md: the Yahoo files were recorded and published early in 2025
RECORDED = "2025년 초"
RECORDED_EN = "early 2025"


def recordings() -> tuple[Recording, ...]:
    """Every Yahoo price the demo serves: an adjusted close recorded early in 2025."""
    return (
        Recording(
            "Yahoo Finance",
            CHART_DATASET,
            recorded=RECORDED,
            note="수정 종가",
            note_en="adjusted close",
            recorded_en=RECORDED_EN,
        ),
    )


def demo_replay() -> DemoReplay:
    def environment(base_url: str) -> dict[str, str]:
        # the override patches `requests`; curl_cffi (the default client) would bypass it
        return {
            "FINSCRIBE_UPSTREAM_OVERRIDES": overrides_for(base_url),
            "YAHOO_HTTP_CLIENT": "requests",
            "YAHOO_MIN_INTERVAL_S": "0",
        }

    return DemoReplay("yahoo", fake_upstream_app(), environment, recorded_holdings(), recordings())
