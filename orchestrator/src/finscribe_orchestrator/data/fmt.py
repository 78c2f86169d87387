"""Korean display of figures; every figure shown is also registered as a fact."""


def won(value: float) -> str:
    """KRW in the units Korean reports use: 485.8조원, 1,405억원, 81,500원."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1e12:
        return f"{sign}{v / 1e12:,.1f}조원"
    if v >= 1e8:
        return f"{sign}{v / 1e8:,.0f}억원"
    return f"{sign}{v:,.0f}원"


def pct(value: float, signed: bool = True) -> str:
    return f"{value:+.2f}%" if signed else f"{value:.2f}%"


def times(value: float) -> str:
    return f"{value:.2f}배"


def num(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}" if value != int(value) else f"{int(value):,}"


def change_word(value: float) -> str:
    return "상승" if value > 0 else ("하락" if value < 0 else "보합")


def growth_word(value: float) -> str:
    return "증가" if value > 0 else ("감소" if value < 0 else "변동 없음")
