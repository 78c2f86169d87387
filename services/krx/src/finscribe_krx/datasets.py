"""Which KRX screen each answer comes from (for `source.dataset` / `source.url`)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    name: str
    url: str


_MDI = "http://data.krx.co.kr/contents/MDC/MDI/mdiLoader/index.cmd?menuId="

TICKERS = Dataset(
    "KRX 상장종목검색 (bld dbms/comm/finder/finder_stkisu) via pykrx StockTicker",
    _MDI + "MDC0201020103",
)
STOCK_OHLCV = Dataset(
    "KRX [12003] 개별종목 시세 추이 (bld dbms/MDC/STAT/standard/MDCSTAT01701) via pykrx get_market_ohlcv_by_date",
    _MDI + "MDC0201020103",
)
MARKET_CAP = Dataset(
    "KRX [12003] 개별종목 시세 추이 MKTCAP/LIST_SHRS (bld dbms/MDC/STAT/standard/MDCSTAT01701) "
    "via pykrx get_market_cap_by_date",
    _MDI + "MDC0201020103",
)
FUNDAMENTALS = Dataset(
    "KRX [12021] PER/PBR/배당수익률 개별종목 (bld dbms/MDC/STAT/standard/MDCSTAT03502) "
    "via pykrx get_market_fundamental_by_date",
    _MDI + "MDC0201020502",
)
INDEX_OHLCV = Dataset(
    "KRX [11003] 개별지수 시세 추이 (bld dbms/MDC/STAT/standard/MDCSTAT00301) via pykrx get_index_ohlcv_by_date",
    "http://data.krx.co.kr/contents/MDC/STAT/standard/MDCSTAT00301.cmd",
)
