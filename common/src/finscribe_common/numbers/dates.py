"""Dates as Korean financial text writes them: 2024년 6월 30일, 2024-06-30, 2024.06.30, 2024년 6월,
2024.06, 6월 30일, 2024년 상반기 / 2024년도 / FY2024. Read first, so their digits are not amounts."""

import re
from dataclasses import dataclass

_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![\d.,])(?P<y>(?:19|20)\d{2})(?=\s?[~∼-]\s?(?:19|20)?\d{2}\s?년)"), "year"),  # '2023~2024년'
    (
        re.compile(
            r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*년\s*(?P<m>1[0-2]|0?[1-9])\s*월\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*일"
        ),
        "day",
    ),
    (
        re.compile(
            r"(?<!\d)(?P<y>(?:19|20)\d{2})(?:[-/]|\.\s?)(?P<m>1[0-2]|0?[1-9])(?:[-/]|\.\s?)(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"
        ),
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
    # a range of years as English writes it, '2024-2026', '2023-24' (en dashes are hyphens by now):
    # both are years, or the second would read as a negative figure ('-2026')
    (
        re.compile(
            r"(?<![\d.,+\-△▲▼$₩])(?P<y>(?:19|20)\d{2})-(?P<y2>(?:19|20)\d{2}|\d{2})"
            r"(?![\d%]|[.,]\d|\s?(?:원|달러|주|배|명|개|억|조|만|천|년|bp|p|won|trillion|billion|million|tn|bn|mn)\b)"
        ),
        "years",
    ),
    # a bare 19xx/20xx with no separator and no unit is a year ('Q2 2024', '2024 실적', English 'in
    # 2023, revenue' and '… in 2023.'), not a figure
    (
        re.compile(
            r"(?<![\d.,+\-△▲▼$₩])(?P<y>(?:19|20)\d{2})(?![\d%]|[.,]\d|\s?(?:원|달러|주|배|명|개|억|조|만|천|bp|p))"
        ),
        "year",
    ),
]


@dataclass(frozen=True)
class DateMention:
    raw: str
    start: int
    end: int
    date: str  # "YYYY-MM-DD", "YYYY-MM", "YYYY" or "--MM-DD"


def mask(text: str, start: int, end: int) -> str:
    """Blank a span (same length, so offsets stay valid)."""
    return text[:start] + " " * (end - start) + text[end:]


def find_dates(text: str) -> tuple[list[DateMention], str]:
    """Every date in `text`, and the text with them blanked out."""
    found: list[DateMention] = []
    for pattern, precision in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if precision == "day":
                iso = f"{groups['y']}-{int(groups['m']):02d}-{int(groups['d']):02d}"
            elif precision == "month":
                iso = f"{groups['y']}-{int(groups['m']):02d}"
            elif precision == "monthday":
                iso = f"--{int(groups['m']):02d}-{int(groups['d']):02d}"
            elif precision == "years":
                second = groups["y2"] if len(groups["y2"]) == 4 else groups["y"][:2] + groups["y2"]
                found.append(DateMention(raw=groups["y"], start=match.start("y"), end=match.end("y"), date=groups["y"]))
                found.append(DateMention(raw=groups["y2"], start=match.start("y2"), end=match.end("y2"), date=second))
                text = mask(text, match.start(), match.end())
                continue
            else:
                iso = groups["y"]
            found.append(DateMention(raw=match.group(0), start=match.start(), end=match.end(), date=iso))
            text = mask(text, match.start(), match.end())
    return found, text
