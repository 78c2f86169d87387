"""Yahoo symbol rules without any network: validation, KRX codes, FX pairs, index aliases.

Yahoo's conventions: KOSPI shares end in `.KS`, KOSDAQ shares in `.KQ`, indices start
with `^`, a USD-based FX pair is `<QUOTE>=X` (USDKRW -> KRW=X) and any other pair
`<BASE><QUOTE>=X` (EURKRW -> EURKRW=X).
"""

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from finscribe_common.errors import BadRequest

KrxMarket = Literal["KOSPI", "KOSDAQ"]

SUFFIX_BY_MARKET: dict[KrxMarket, str] = {"KOSPI": ".KS", "KOSDAQ": ".KQ"}
MARKET_BY_SUFFIX: dict[str, KrxMarket] = {v: k for k, v in SUFFIX_BY_MARKET.items()}
# Yahoo's exchangeName for the two KRX boards, as its chart meta reports them
EXCHANGE_BY_MARKET: dict[KrxMarket, str] = {"KOSPI": "KSC", "KOSDAQ": "KOE"}

_SYMBOL = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-]{0,15}(=X|=F)?$")
_KRX_CODE = re.compile(r"^[0-9][0-9A-Z]{5}$")
_KRX_SYMBOL = re.compile(r"^([0-9][0-9A-Z]{5})\.(KS|KQ)$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_PAIR = re.compile(r"^([A-Z]{3})[/\-_ ]?([A-Z]{3})$")

# A few long-standing listings, so the common cases need no probe. The probe (chart for .KS,
# then .KQ) stays the source of truth for every other code; set YAHOO_USE_LISTING_TABLE=false
# to always probe.
KRX_LISTINGS: dict[str, tuple[KrxMarket, str]] = {
    "005930": ("KOSPI", "Samsung Electronics Co., Ltd."),
    "005935": ("KOSPI", "Samsung Electronics Co., Ltd. (preferred)"),
    "000660": ("KOSPI", "SK hynix Inc."),
    "005380": ("KOSPI", "Hyundai Motor Company"),
    "000270": ("KOSPI", "Kia Corporation"),
    "035420": ("KOSPI", "NAVER Corporation"),
    "035720": ("KOSPI", "Kakao Corp."),
    "051910": ("KOSPI", "LG Chem, Ltd."),
    "006400": ("KOSPI", "Samsung SDI Co., Ltd."),
    "005490": ("KOSPI", "POSCO Holdings Inc."),
    "068270": ("KOSPI", "Celltrion, Inc."),
    "207940": ("KOSPI", "Samsung Biologics Co.,Ltd."),
    "373220": ("KOSPI", "LG Energy Solution, Ltd."),
    "105560": ("KOSPI", "KB Financial Group Inc."),
    "055550": ("KOSPI", "Shinhan Financial Group Co., Ltd."),
    "263750": ("KOSDAQ", "Pearl Abyss Corp."),
    "293490": ("KOSDAQ", "Kakao Games Corp."),
    "035900": ("KOSDAQ", "JYP Entertainment Corporation"),
}


@dataclass(frozen=True)
class KnownSymbol:
    symbol: str
    name: str
    exchange: str
    kind: Literal["index", "fx"]


INDEX_ALIASES: dict[str, KnownSymbol] = {}


def _index(symbol: str, name: str, exchange: str, *aliases: str) -> None:
    known = KnownSymbol(symbol, name, exchange, "index")
    for alias in (symbol, *aliases):
        INDEX_ALIASES[_alias_key(alias)] = known


def _alias_key(text: str) -> str:
    return re.sub(r"[\s&_\-.]", "", text.upper())


_index("^KS11", "KOSPI Composite Index", "KSC", "KOSPI", "코스피", "KOSPI COMPOSITE")
_index("^KQ11", "KOSDAQ Composite Index", "KOE", "KOSDAQ", "코스닥")
_index("^KS200", "KOSPI 200 Index", "KSC", "KOSPI200", "코스피200")
_index("^IXIC", "NASDAQ Composite", "NIM", "NASDAQ", "NASDAQ COMPOSITE", "나스닥")
_index("^NDX", "NASDAQ 100", "NIM", "NASDAQ100")
_index("^GSPC", "S&P 500", "SNP", "S&P500", "SP500", "S&P 500")
_index("^DJI", "Dow Jones Industrial Average", "DJI", "DOW", "DJIA", "DOW JONES", "다우")
_index("^RUT", "Russell 2000", "WCB", "RUSSELL2000")
_index("^SOX", "PHLX Semiconductor", "NIM", "SOX")
_index("^N225", "Nikkei 225", "OSA", "NIKKEI", "NIKKEI225", "닛케이")
_index("^HSI", "HANG SENG INDEX", "HKG", "HANGSENG")
_index("000001.SS", "SSE Composite Index", "SHH", "SSE", "SHANGHAI")

# Exchange time zones for symbols whose market is clear from the symbol itself; others are
# read once from the chart meta (exchangeTimezoneName) and cached.
_SEOUL = "Asia/Seoul"
_NEW_YORK = "America/New_York"
_KNOWN_INDEX_TZ = {
    "^KS11": _SEOUL,
    "^KQ11": _SEOUL,
    "^KS200": _SEOUL,
    "^IXIC": _NEW_YORK,
    "^NDX": _NEW_YORK,
    "^GSPC": _NEW_YORK,
    "^DJI": _NEW_YORK,
    "^RUT": _NEW_YORK,
    "^SOX": _NEW_YORK,
    "^N225": "Asia/Tokyo",
    "^HSI": "Asia/Hong_Kong",
}


def normalize_symbol(raw: str) -> str:
    """Upper-case and validate a Yahoo symbol; raises BadRequest saying what is wrong."""
    symbol = (raw or "").strip().upper()
    if not symbol:
        raise BadRequest("symbol is empty")
    if not _SYMBOL.match(symbol):
        raise BadRequest(
            f"invalid symbol {raw[:40]!r}: use letters, digits, '.', '-', an optional leading '^' "
            "(indices) and an optional '=X' (FX), at most 20 characters"
        )
    return symbol


def krx_code(text: str) -> str | None:
    """The 6-character KRX code when `text` is one (005930), else None."""
    candidate = text.strip().upper()
    return candidate if _KRX_CODE.match(candidate) else None


def krx_symbol_parts(symbol: str) -> tuple[str, KrxMarket] | None:
    match = _KRX_SYMBOL.match(symbol)
    if not match:
        return None
    return match.group(1), MARKET_BY_SUFFIX["." + match.group(2)]


def parse_fx_pair(raw: str) -> tuple[str, str]:
    """USDKRW / usd-krw / USD_KRW -> ("USD", "KRW"); raises BadRequest otherwise."""
    text = (raw or "").strip().upper()
    if text.endswith("=X"):
        text = text[:-2]
        if _CURRENCY.match(text):  # KRW=X is Yahoo's name for USDKRW
            return "USD", text
    match = _PAIR.match(text)
    if not match:
        raise BadRequest(f"invalid FX pair {raw[:40]!r}: expected two ISO currency codes such as USDKRW or EUR-KRW")
    base, quote_ccy = match.group(1), match.group(2)
    if base == quote_ccy:
        raise BadRequest(f"invalid FX pair {raw[:40]!r}: base and quote currency are the same")
    return base, quote_ccy


def fx_symbol(base: str, quote_ccy: str) -> str:
    return f"{quote_ccy}=X" if base == "USD" else f"{base}{quote_ccy}=X"


def known_index(text: str) -> KnownSymbol | None:
    return INDEX_ALIASES.get(_alias_key(text))


def known_timezone(symbol: str) -> str | None:
    """The exchange time zone when the symbol alone says it; None when it must be looked up."""
    if symbol.endswith((".KS", ".KQ")):
        return _SEOUL
    if symbol in _KNOWN_INDEX_TZ:
        return _KNOWN_INDEX_TZ[symbol]
    # Yahoo gives US listings no suffix; every other market has one (.T, .L, .HK, =X ...)
    if re.fullmatch(r"[A-Z][A-Z\-]{0,5}", symbol):
        return _NEW_YORK
    return None


def quote_page_url(symbol: str) -> str:
    return f"https://finance.yahoo.com/quote/{quote(symbol, safe='')}"
