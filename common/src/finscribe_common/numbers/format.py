"""Write numbers in the house style Korean reports use: 485.8조원, 1,405억원, 81,500원, -3.2%, +10.6%p.

What these write, `parse_quantity` / `extract_numbers` read back to the same value within the
display rounding (one unit of the last shown digit).
"""


def won_unit(value: float) -> str:
    """The unit Korean reports show a KRW amount in: '조원' from 1조, '억원' from 1억, else '원'."""
    v = abs(value)
    if round(v / 1e12, 1) >= 1:
        return "조원"
    return "억원" if round(v / 1e8) >= 1 else "원"


def won(value: float) -> str:
    """KRW in the units Korean reports use: >= 1조 in 조원 with one decimal, >= 1억 in whole 억원, else 원."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    unit = won_unit(v)
    if unit == "조원":
        return f"{sign}{v / 1e12:,.1f}조원"
    if unit == "억원":
        return f"{sign}{v / 1e8:,.0f}억원"
    return f"{sign}{v:,.0f}원"


def pct(value: float, signed: bool = True, digits: int = 2) -> str:
    """A percentage (points of 100): '+17.97%' (signed) or '11.68%'."""
    return f"{value:+,.{digits}f}%" if signed else f"{value:,.{digits}f}%"


def pp(value: float, digits: int = 2) -> str:
    """A change between two percentages, in percentage points: '+10.62%p'."""
    return f"{value:+,.{digits}f}%p"


def times(value: float, digits: int = 2) -> str:
    """A multiple (PER, PBR): '12.34배'."""
    return f"{value:,.{digits}f}배"


def num(value: float, digits: int = 2) -> str:
    """A plain figure with thousands separators; whole numbers without decimals: '5,969,782,550', '1,234.57'."""
    return f"{value:,.{digits}f}" if value != int(value) else f"{int(value):,}"


def change_word(value: float) -> str:
    """The word for a price or index move: 상승 / 하락 / 보합."""
    return "상승" if value > 0 else ("하락" if value < 0 else "보합")


def growth_word(value: float) -> str:
    """The word for a change in a reported figure: 증가 / 감소 / 변동 없음."""
    return "증가" if value > 0 else ("감소" if value < 0 else "변동 없음")


def in_unit(value: float, unit: str) -> str:
    """A value already scaled to `unit` (a chart axis or a table column): '1,234', '12.3', '3.2%'.

    Large values get separators and no decimals, small ones two decimals, percentages one.
    """
    if unit in ("%", "%p"):
        return f"{value:,.1f}{unit}"
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def table_cell(value: float | None) -> str:
    """A number in a document table (already in the column's unit): '1,234', '-3.2', '0.05'; '' for no value."""
    if value is None:
        return ""
    if value == int(value) or abs(value) >= 1000:
        return f"{value:,.0f}"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def won_en(value: float) -> str:
    """KRW the way English reports on Korean companies write it, at the same precision as `won`:
    'KRW 146.0 trillion' (>= 1조), 'KRW 140.5 billion' (>= 1억: one decimal of a billion is 1억),
    else 'KRW 81,500'. `extract_numbers` reads these back (currency KRW, English scale words)."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    unit = won_unit(v)
    if unit == "조원":
        return f"{sign}KRW {v / 1e12:,.1f} trillion"
    if unit == "억원":
        return f"{sign}KRW {v / 1e9:,.1f} billion"
    return f"{sign}KRW {v:,.0f}"


def times_en(value: float, digits: int = 2) -> str:
    """A multiple (PER, PBR) in English: '12.34x'."""
    return f"{value:,.{digits}f}x"
