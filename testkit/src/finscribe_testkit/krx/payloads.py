"""KRX JSON payloads built from real recorded data, in the exact shape KRX returns.

Shapes follow pykrx 1.2.9's parsing code (pykrx/website/krx/market/core.py, wrap.py,
ticker.py): POST form to /comm/bldAttendant/getJsonData.cmd with `bld`; the answer is a
JSON object whose rows sit under `output` (stock/index series, PER/PBR) or `block1`
(finder lists), newest day first, every value a string with thousands separators,
dates as `YYYY/MM/DD`, "-" where KRX has no value.

What is real and what is derived:

- Ticker list (`finder_stkisu`, `finder_listdelisu`): real KRX codes, short names and
  markets of 51 listed and 3 delisted companies (data/listed.json; each listed code but
  the preferred share is also a stock_code in the real DART corp code list). `full_code`
  (ISIN) is computed from the code with the ISIN check-digit rule.
- 005930 (삼성전자) 2021-01-11..15 (`MDCSTAT01701`): every field real, as printed in
  pykrx's source (close 88,000 on 2021-01-15, volume 33,431,809, MKTCAP 525,340,864,400,000,
  LIST_SHRS 5,969,782,550).
- 005930 2024 (`MDCSTAT01701`, all 244 trading days): TDD_CLSPRC is the real recorded
  Yahoo Finance close of 005930.KS (fixtures/real/yahoo_005930.KS_close_2024.csv,
  Yahoo's dividend-adjusted series) rounded to the won; e.g. 53,200 on 2024-12-30. Derived:
  CMPPREVDD_PRC / FLUC_RT / FLUC_TP_CD from consecutive closes ("-" on 2024-01-02), MKTCAP =
  close x 5,969,782,550 (the real listed share count above, unchanged through 2024).
  Not recorded, so not invented: TDD_OPNPRC/TDD_HGPRC/TDD_LWPRC repeat the close and
  ACC_TRDVOL/ACC_TRDVAL are "0".
- 005930 fundamentals (`MDCSTAT03502`) 2021-01-04..08: EPS 3,166, BPS 37,528, DPS 1,416 and
  PER/PBR/DVD_YLD are real (pykrx's docstring, rounded to KRX's two decimals; PER 28.05 on
  2021-01-08). Derived: TDD_CLSPRC = PER x EPS rounded to the 100-won tick (83,000 ...
  88,800) and the change fields from those closes. 2021-01-11..15: EPS/BPS/DPS carried over
  (KRX changes them only when a new annual report is out), closes from the real rows above,
  PER = close / EPS, PBR = close / BPS, DVD_YLD = DPS / close x 100.
- KOSPI (index 1001, `MDCSTAT00301`) 2021-01-04..08: open/high/low/close/volume/value real
  (close 3,152.18 on 2021-01-08); change fields derived from the closes; MKTCAP "-" (not
  recorded).

Any other stock, index or date range answers with an empty `output`, which is also what
KRX does for a range with no data.
"""

import csv
import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from finscribe_testkit.common.fixtures import fixture_path

SAMSUNG = "005930"
SAMSUNG_ISIN = "KR7005930003"
SAMSUNG_SHARES = 5_969_782_550
KOSPI = "1001"

Row = dict[str, str]


def _data(name: str) -> Any:
    return json.loads(resources.files("finscribe_testkit.krx").joinpath(f"data/{name}").read_text("utf-8"))


def isin_for(code: str) -> str:
    body = f"KR7{code}00"
    digits = "".join(str(int(ch, 36)) for ch in body)
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def _fmt_int(value: int) -> str:
    return f"{value:,}"


def _fmt2(value: Decimal | float) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def _parse(value: str) -> Decimal:
    return Decimal(value.replace(",", ""))


def _fluc(close: Decimal, prev: Decimal | None, *, as_int: bool) -> tuple[str, str, str]:
    """FLUC_TP_CD (1 up, 2 down, 3 flat), the change and the change in percent."""
    if prev is None:
        return "-", "-", "-"
    diff = close - prev
    kind = "1" if diff > 0 else "2" if diff < 0 else "3"
    change = _fmt_int(int(diff)) if as_int else _fmt2(diff)
    return kind, change, _fmt2(diff / prev * 100)


def _rows(block: dict[str, Any]) -> list[Row]:
    return [dict(zip(block["columns"], values, strict=True)) for values in block["rows"]]


def _day(row: Row) -> dt.date:
    return dt.datetime.strptime(row["TRD_DD"], "%Y/%m/%d").date()


# ---- ticker lists ------------------------------------------------------------------------

_MARKET_CODES = {"유가증권": ("STK", "KOSPI"), "코스닥": ("KSQ", "KOSDAQ"), "코넥스": ("KNX", "KONEX")}


def _finder_rows(entries: list[list[str]]) -> list[Row]:
    rows = []
    for entry in entries:
        code, name, market_name = entry[:3]
        isin = entry[3] if len(entry) > 3 else isin_for(code)
        market_code, market_eng = _MARKET_CODES[market_name]
        rows.append(
            {
                "full_code": isin,
                "short_code": code,
                "codeName": name,
                "marketCode": market_code,
                "marketName": market_name,
                "marketEngName": market_eng,
                "ord1": "",
                "ord2": "16",
            }
        )
    return rows


@lru_cache(maxsize=1)
def listed_rows() -> tuple[Row, ...]:
    return tuple(_finder_rows(_data("listed.json")["listed"]))


@lru_cache(maxsize=1)
def delisted_rows() -> tuple[Row, ...]:
    return tuple(_finder_rows(_data("listed.json")["delisted"]))


# ---- 005930 prices -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def yahoo_closes_2024() -> tuple[tuple[dt.date, int], ...]:
    with fixture_path("yahoo_005930.KS_close_2024.csv").open(newline="") as handle:
        reader = csv.DictReader(handle)
        return tuple(
            (dt.date.fromisoformat(row["Date"]), int(Decimal(row[SAMSUNG]).quantize(Decimal(1), ROUND_HALF_UP)))
            for row in reader
        )


@lru_cache(maxsize=1)
def samsung_price_rows() -> tuple[Row, ...]:
    """005930 rows for MDCSTAT01701, newest first."""
    rows: list[Row] = []
    prev: Decimal | None = None
    for day, close in yahoo_closes_2024():
        kind, change, pct = _fluc(Decimal(close), prev, as_int=True)
        price = _fmt_int(close)
        rows.append(
            {
                "TRD_DD": day.strftime("%Y/%m/%d"),
                "TDD_CLSPRC": price,
                "FLUC_TP_CD": kind,
                "CMPPREVDD_PRC": change,
                "FLUC_RT": pct,
                "TDD_OPNPRC": price,
                "TDD_HGPRC": price,
                "TDD_LWPRC": price,
                "ACC_TRDVOL": "0",
                "ACC_TRDVAL": "0",
                "MKTCAP": _fmt_int(close * SAMSUNG_SHARES),
                "LIST_SHRS": _fmt_int(SAMSUNG_SHARES),
            }
        )
        prev = Decimal(close)
    rows.extend(_rows(_data("recorded.json")["stock_005930_MDCSTAT01701"]))
    return tuple(sorted(rows, key=_day, reverse=True))


@lru_cache(maxsize=1)
def samsung_fundamental_rows() -> tuple[Row, ...]:
    recorded = _rows(_data("recorded.json")["fundamental_005930_MDCSTAT03502"])
    recorded.sort(key=_day)
    out: list[Row] = []
    prev: Decimal | None = None
    for row in recorded:
        close = (_parse(row["PER"]) * _parse(row["EPS"]) / 100).quantize(Decimal(1), ROUND_HALF_UP) * 100
        kind, change, pct = _fluc(close, prev, as_int=True)
        out.append({"TRD_DD": row["TRD_DD"], "TDD_CLSPRC": _fmt_int(int(close)), "FLUC_TP_CD": kind,
                    "CMPPREVDD_PRC": change, "FLUC_RT": pct, "EPS": row["EPS"], "PER": row["PER"],
                    "BPS": row["BPS"], "PBR": row["PBR"], "DPS": row["DPS"], "DVD_YLD": row["DVD_YLD"]})  # fmt: skip
        prev = close
    last = recorded[-1]
    eps, bps, dps = _parse(last["EPS"]), _parse(last["BPS"]), _parse(last["DPS"])
    prices = sorted(_rows(_data("recorded.json")["stock_005930_MDCSTAT01701"]), key=_day)
    for row in prices:
        close = _parse(row["TDD_CLSPRC"])
        out.append({"TRD_DD": row["TRD_DD"], "TDD_CLSPRC": row["TDD_CLSPRC"], "FLUC_TP_CD": row["FLUC_TP_CD"],
                    "CMPPREVDD_PRC": row["CMPPREVDD_PRC"], "FLUC_RT": row["FLUC_RT"], "EPS": last["EPS"],
                    "PER": _fmt2(close / eps), "BPS": last["BPS"], "PBR": _fmt2(close / bps), "DPS": last["DPS"],
                    "DVD_YLD": _fmt2(dps / close * 100)})  # fmt: skip
    return tuple(sorted(out, key=_day, reverse=True))


@lru_cache(maxsize=1)
def kospi_rows() -> tuple[Row, ...]:
    recorded = sorted(_rows(_data("recorded.json")["index_1001_MDCSTAT00301"]), key=_day)
    out: list[Row] = []
    prev: Decimal | None = None
    for row in recorded:
        close = _parse(row["CLSPRC_IDX"])
        kind, change, pct = _fluc(close, prev, as_int=False)
        out.append({"TRD_DD": row["TRD_DD"], "CLSPRC_IDX": row["CLSPRC_IDX"], "FLUC_TP_CD": kind,
                    "PRV_DD_CMPR": change, "UPDN_RATE": pct, "OPNPRC_IDX": row["OPNPRC_IDX"],
                    "HGPRC_IDX": row["HGPRC_IDX"], "LWPRC_IDX": row["LWPRC_IDX"], "ACC_TRDVOL": row["ACC_TRDVOL"],
                    "ACC_TRDVAL": row["ACC_TRDVAL"], "MKTCAP": "-"})  # fmt: skip
        prev = close
    return tuple(sorted(out, key=_day, reverse=True))


def in_range(rows: tuple[Row, ...], start: str, end: str) -> list[Row]:
    first = dt.datetime.strptime(start, "%Y%m%d").date()
    last = dt.datetime.strptime(end, "%Y%m%d").date()
    return [row for row in rows if first <= _day(row) <= last]
