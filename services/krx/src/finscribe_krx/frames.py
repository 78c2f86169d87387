"""pykrx DataFrames (Korean column names, DatetimeIndex) -> our rows."""

import math
from typing import Any

import pandas as pd

from finscribe_krx.schemas import FundamentalRow, IndexRow, MarketCapRow, OhlcvRow

# pykrx's column names
OPEN, HIGH, LOW, CLOSE, VOLUME, VALUE, CHANGE = "시가", "고가", "저가", "종가", "거래량", "거래대금", "등락률"
MKTCAP, SHARES, INDEX_MKTCAP = "시가총액", "상장주식수", "상장시가총액"

_PERIOD = {"m": "M", "y": "Y"}


def combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Chunks -> one frame in date order; a day present in two chunks counts once."""
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames)
    df = df[~df.index.duplicated(keep="last")]
    return df.sort_index()


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _int_or_none(value: Any, *, zero_is_missing: bool = False) -> int | None:
    number = _num(value)
    if number is None or (zero_is_missing and number == 0):
        return None
    return int(number)


def _round(value: Any, digits: int = 2) -> float | None:
    number = _num(value)
    return None if number is None else round(number, digits)


def resample_ohlc(df: pd.DataFrame, freq: str, *, has_value: bool) -> pd.DataFrame:
    """Monthly/yearly bars labelled with the period's last trading day (pykrx labels calendar ends)."""
    if freq == "d" or df.empty:
        return df
    groups = df.groupby(df.index.to_period(_PERIOD[freq]))
    agg: dict[str, str] = {OPEN: "first", HIGH: "max", LOW: "min", CLOSE: "last", VOLUME: "sum"}
    if has_value and VALUE in df.columns:
        agg[VALUE] = "sum"
    extra = [c for c in (INDEX_MKTCAP,) if c in df.columns]
    for column in extra:
        agg[column] = "last"
    out = groups.agg(agg)
    out.index = groups.apply(lambda g: g.index.max())
    # period change is close over the previous period's close; the first period has none
    out[CHANGE] = out[CLOSE].pct_change() * 100
    return out


def ohlcv_rows(df: pd.DataFrame) -> list[OhlcvRow]:
    rows = []
    for day, rec in df.iterrows():
        rows.append(
            OhlcvRow(
                date=day.date(),
                open=int(rec[OPEN]),
                high=int(rec[HIGH]),
                low=int(rec[LOW]),
                close=int(rec[CLOSE]),
                volume=int(rec[VOLUME]),
                value=_int_or_none(rec.get(VALUE)),
                change_pct=_round(rec.get(CHANGE)),
            )
        )
    return rows


def market_cap_rows(df: pd.DataFrame) -> list[MarketCapRow]:
    return [
        MarketCapRow(
            date=day.date(),
            market_cap=int(rec[MKTCAP]),
            shares=int(rec[SHARES]),
            volume=_int_or_none(rec.get(VOLUME)),
            value=_int_or_none(rec.get(VALUE)),
        )
        for day, rec in df.iterrows()
    ]


def fundamental_rows(df: pd.DataFrame) -> list[FundamentalRow]:
    # pykrx writes KRX's "-" (not meaningful, e.g. PER of a loss-maker) as 0; a 0 PER or EPS
    # cited in a report would be false, so those become null. 0 DIV/DPS is a real "no dividend".
    return [
        FundamentalRow(
            date=day.date(),
            bps=_int_or_none(rec["BPS"], zero_is_missing=True),
            per=None if not _num(rec["PER"]) else _round(rec["PER"]),
            pbr=None if not _num(rec["PBR"]) else _round(rec["PBR"]),
            eps=_int_or_none(rec["EPS"], zero_is_missing=True),
            div=_round(rec["DIV"]) or 0.0,
            dps=_int_or_none(rec["DPS"]) or 0,
        )
        for day, rec in df.iterrows()
    ]


def index_rows(df: pd.DataFrame) -> list[IndexRow]:
    closes = df[CLOSE] if CLOSE in df.columns else None
    changes = df[CHANGE] if CHANGE in df.columns else (closes.pct_change() * 100 if closes is not None else None)
    rows = []
    for i, (day, rec) in enumerate(df.iterrows()):
        change = changes.iloc[i] if changes is not None else None
        rows.append(
            IndexRow(
                date=day.date(),
                open=round(float(rec[OPEN]), 2),
                high=round(float(rec[HIGH]), 2),
                low=round(float(rec[LOW]), 2),
                close=round(float(rec[CLOSE]), 2),
                volume=int(rec[VOLUME]),
                value=_int_or_none(rec.get(VALUE)),
                market_cap=_int_or_none(rec.get(INDEX_MKTCAP), zero_is_missing=True),
                change_pct=_round(change),
            )
        )
    return rows
