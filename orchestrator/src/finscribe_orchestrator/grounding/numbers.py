"""Find the numbers in Korean financial text: amounts (조/억/만/천, 원, 달러), percentages
(%, %p, bp), multiples (배), dates (2024년 6월 30일, 2024-06-30, 2024.06.30, 2024년 상반기)
and plain figures with thousands separators; with sign markers (▲▼△, +/-) and 약.

Each mention carries its value in base units and the display step (one unit of its last
shown digit), so matching can allow display rounding and truncation.
"""

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["amount", "percent", "multiple", "count", "number", "date"]

MULTIPLIERS = {
    "조": 1e12,
    "억": 1e8,
    "만": 1e4,
    "천": 1e3,
    "trillion": 1e12,
    "billion": 1e9,
    "million": 1e6,
}
_MULT = r"(?:조|억|만|천|\s?trillion|\s?billion|\s?million)"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PART = rf"(?:{_NUM})\s*{_MULT}"
_QTY = re.compile(
    rf"(?<![\d.,])(?P<prefix>(?:약|대략|최대|최소|[▲▼△+\-−])\s?)?"
    # '5만 3,200원': a plain remainder after 조/억/만 belongs to the amount when a unit follows
    rf"(?P<body>(?:{_PART})(?:\s*(?:{_PART}))*(?:\s*(?:{_NUM})(?=\s*(?:원|주|달러)))?|(?:{_NUM}))"
    r"\s*(?P<unit>%p|%포인트|퍼센트포인트|%|퍼센트|배|원|달러|USD|KRW|won|bp|주(?!간|년|차)|포인트|points?|x(?![a-z]))?"
    r"(?P<counter>개월|개|명|곳|위|분기|차|번째|번|장|호|건|세|가지|종목|년|월|일|시간|분|초|주간|년간)?"
)
_PART_RE = re.compile(rf"(?P<num>{_NUM})\s*(?P<mult>조|억|만|천|trillion|billion|million)?")
_CITATION = re.compile(r"\[\s*\d+(?:\s*[,，]\s*\d+)*\s*\]")

_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*년\s*(?P<m>1[0-2]|0?[1-9])\s*월\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*일"
        ),
        "day",
    ),
    (
        re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-./](?P<m>1[0-2]|0?[1-9])[-./](?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"),
        "day",
    ),
    (re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*년\s*(?P<m>1[0-2]|0?[1-9])\s*월"), "month"),
    (re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})[-.](?P<m>1[0-2]|0[1-9])(?![\d.])"), "month"),
    (re.compile(r"(?<!\d)(?P<m>1[0-2]|0?[1-9])\s*월\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*일"), "monthday"),
    (
        re.compile(
            r"(?<![\d.,])(?:FY\s?)?(?P<y>(?:19|20)\d{2})(?:\s*(?:년|년도|회계연도)|(?=\s*(?:상반기|하반기|[1-4]\s*분기|말|초)))"
        ),
        "year",
    ),
    (re.compile(r"(?<![\d.,])FY\s?(?P<y>(?:19|20)\d{2})(?!\d)"), "year"),
]


@dataclass(frozen=True)
class Mention:
    raw: str
    kind: Kind
    start: int
    end: int
    value: float | None = None  # base units: KRW / USD / percent points / times / count
    step: float = 0.0  # one unit of the last displayed digit, in base units
    approx: bool = False
    sign: int = 0
    date: str | None = None  # "YYYY-MM-DD", "YYYY-MM", "YYYY" or "--MM-DD"


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def strip_citations(text: str) -> str:
    """Blank out `[n]` markers (same length, so offsets stay valid)."""
    return _CITATION.sub(lambda m: " " * len(m.group(0)), text)


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def parse_korean_amount(body: str) -> tuple[float, float] | None:
    """'79조 1,405억' -> (7.91405e13, 1e8): the value and the step of its last digit."""
    total = 0.0
    step = 1.0
    found = False
    for part in _PART_RE.finditer(body):
        found = True
        number = part.group("num")
        mult = MULTIPLIERS.get((part.group("mult") or "").strip(), 1.0)
        total += float(number.replace(",", "")) * mult
        step = mult * 10 ** (-_decimals(number))
    return (total, step) if found else None


def _dates(text: str) -> tuple[list[Mention], str]:
    mentions: list[Mention] = []
    for pattern, precision in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if precision == "day":
                iso = f"{groups['y']}-{int(groups['m']):02d}-{int(groups['d']):02d}"
            elif precision == "month":
                iso = f"{groups['y']}-{int(groups['m']):02d}"
            elif precision == "monthday":
                iso = f"--{int(groups['m']):02d}-{int(groups['d']):02d}"
            else:
                iso = groups["y"]
            mentions.append(Mention(raw=match.group(0), kind="date", start=match.start(), end=match.end(), date=iso))
            text = _mask(text, match.start(), match.end())
    return mentions, text


_UNIT_KIND: dict[str, Kind] = {
    "%": "percent",
    "퍼센트": "percent",
    "%p": "percent",
    "%포인트": "percent",
    "퍼센트포인트": "percent",
    "bp": "percent",
    "배": "multiple",
    "원": "amount",
    "달러": "amount",
    "USD": "amount",
    "KRW": "amount",
    "won": "amount",
    "주": "count",
    "포인트": "number",
    "point": "number",
    "points": "number",
    "x": "multiple",
}


def extract_numbers(text: str) -> list[Mention]:
    """Every checkable number in `text`, in order. Ordinals and small counts (3개, 2분기) are not figures."""
    masked = strip_citations(text)
    mentions, masked = _dates(masked)
    for match in _QTY.finditer(masked):
        body = match.group("body")
        unit = match.group("unit") or ""
        counter = match.group("counter")
        has_mult = any(word in body for word in MULTIPLIERS)
        if counter and not unit and not has_mult:
            continue
        parsed = parse_korean_amount(body)
        if parsed is None:
            continue
        value, step = parsed
        if unit == "bp":
            value, step = value / 100, step / 100
        kind: Kind = _UNIT_KIND.get(unit, "amount" if has_mult else "number")
        if kind in ("number", "count") and not has_mult and "," not in body and "." not in body and value < 1000:
            continue  # a bare small integer is an ordinal, a count or a list number, not a figure
        prefix = (match.group("prefix") or "").strip()
        sign = -1 if prefix in ("▼", "-", "−", "△") else (1 if prefix in ("▲", "+") else 0)
        start = match.start("prefix") if match.group("prefix") else match.start("body")
        end = match.end("unit") if unit else match.end("body")
        mentions.append(
            Mention(
                raw=text[start:end],
                kind=kind,
                start=start,
                end=end,
                value=value,
                step=step,
                approx=prefix in ("약", "대략"),
                sign=sign,
            )
        )
    return sorted(mentions, key=lambda m: m.start)
