"""The vocabulary of Korean financial numbers: digits, multipliers, signs, units and table unit headers.

Everything here is data; `parse` and `scan` read with it, `format` writes with it.
"""

import re
from typing import Literal

Kind = Literal["amount", "percent", "pp", "multiple", "count", "number", "date"]

# 1:1 character replacements (offsets in a text stay valid): full-width digits and punctuation
# as pasted from Korean word processors, and the typographic minus.
FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "，": ",",
        "．": ".",
        "％": "%",
        "＋": "+",
        "－": "-",
        "−": "-",  # U+2212 MINUS SIGN
        # U+2013 EN DASH, typeset for a minus ('–3.2%') and in ranges ('15–20%') as a hyphen is; a
        # spaced one ('margin – 11.68% –') is punctuation, and a sign needs a digit right after it
        "–": "-",
        "（": "(",
        "）": ")",
        "～": "~",
        "〜": "~",
        "＄": "$",
        "￦": "₩",
    }
)

HANGUL_DIGITS = {
    "영": 0,
    "공": 0,
    "일": 1,
    "이": 2,
    "삼": 3,
    "사": 4,
    "오": 5,
    "육": 6,
    "륙": 6,
    "칠": 7,
    "팔": 8,
    "구": 9,
}
SMALL_UNITS = {"십": 10.0, "백": 100.0, "천": 1000.0}
BIG_UNITS = {"만": 1e4, "억": 1e8, "조": 1e12, "경": 1e16}
# 'tn' / 'trn' are how English broker notes on Korean companies shorten trillion ('KRW 6.57tn')
ENGLISH_SCALE = {
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
}

# sign markers: △ is how Korean filings print a negative number; ▲/▼ are trading-system up/down
NEGATIVE_MARKS = ("-", "△", "▼")
POSITIVE_MARKS = ("+", "▲")

CURRENCY_WORDS = {
    "원": "KRW",
    "KRW": "KRW",
    "₩": "KRW",
    "won": "KRW",
    "달러": "USD",
    "USD": "USD",
    "$": "USD",
    "US$": "USD",
    "엔": "JPY",
    "JPY": "JPY",
    "위안": "CNY",
    "CNY": "CNY",
    "유로": "EUR",
    "EUR": "EUR",
}

# unit word -> (kind, factor to base units). Percent points stay in points, basis points become points.
UNIT_WORDS: dict[str, tuple[Kind, float]] = {
    "%p": ("pp", 1.0),
    "%포인트": ("pp", 1.0),
    "퍼센트포인트": ("pp", 1.0),
    "%pt": ("pp", 1.0),
    # English: '3.2 pp', '3.2 percentage points', '17.97 per cent' (the scanner drops the spaces)
    "pp": ("pp", 1.0),
    "percentagepoint": ("pp", 1.0),
    "percentagepoints": ("pp", 1.0),
    "percentage-point": ("pp", 1.0),
    "percentage-points": ("pp", 1.0),
    "percent": ("percent", 1.0),
    "bp": ("pp", 0.01),
    "%": ("percent", 1.0),
    "퍼센트": ("percent", 1.0),
    "배": ("multiple", 1.0),
    "x": ("multiple", 1.0),
    "주": ("count", 1.0),
    "포인트": ("number", 1.0),
    "point": ("number", 1.0),
    "points": ("number", 1.0),
    "pt": ("number", 1.0),
    **{word: ("amount", 1.0) for word in CURRENCY_WORDS},
}

# qualifiers kept as tolerance: (relative below, relative above) of the written value
APPROX_WORDS = ("약", "대략", "가량", "정도", "내외", "안팎", "여", "남짓", "수준")
APPROX_RELATIVE = 0.03  # '약 490조' for 485.8조 is honest rounding; 3 % is the house tolerance
AT_LEAST_WORDS = ("이상", "초과", "넘는", "넘게", "상회")
AT_MOST_WORDS = ("이하", "미만", "못 미치는", "하회")
BOUND_RELATIVE = 0.10  # '1조원 이상' is a writer rounding down, not any number above 1조

# a table's or a column's unit header: (단위: 백만원), 매출액(억원), [단위 : 천원]
_UNIT_HEADER = re.compile(
    r"[(\[]\s*(?:단위\s*[:：]?\s*)?(?P<unit>조원|억원|백만원|천만원|십억원|만원|천원|원|백만달러|천달러|달러|USD|%p|%|배|천주|만주|주)\s*[)\]]"
)
HEADER_UNITS: dict[str, tuple[Kind, float, str]] = {
    "조원": ("amount", 1e12, "KRW"),
    "십억원": ("amount", 1e9, "KRW"),
    "억원": ("amount", 1e8, "KRW"),
    "천만원": ("amount", 1e7, "KRW"),
    "백만원": ("amount", 1e6, "KRW"),
    "만원": ("amount", 1e4, "KRW"),
    "천원": ("amount", 1e3, "KRW"),
    "원": ("amount", 1.0, "KRW"),
    "백만달러": ("amount", 1e6, "USD"),
    "천달러": ("amount", 1e3, "USD"),
    "달러": ("amount", 1.0, "USD"),
    "USD": ("amount", 1.0, "USD"),
    "%p": ("pp", 1.0, ""),
    "%": ("percent", 1.0, ""),
    "배": ("multiple", 1.0, ""),
    "천주": ("count", 1e3, ""),
    "만주": ("count", 1e4, ""),
    "주": ("count", 1.0, ""),
}


def unit_header(text: str) -> tuple[Kind, float, str] | None:
    """The unit a table or column header declares: '(단위: 백만원)' -> ('amount', 1e6, 'KRW'); None if none."""
    match = _UNIT_HEADER.search(text.translate(FULLWIDTH))
    return HEADER_UNITS[match.group("unit")] if match else None
