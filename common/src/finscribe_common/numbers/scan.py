"""Find every number in Korean financial text, or read one table/CSV cell, with one grammar.

English amounts read with the same grammar: 'KRW 26.2 trillion', '$1.5bn', a minus before the
currency ('-KRW 26.2 trillion') and the accounting parentheses of English reports
('KRW (26.2) trillion', '$(1.2) billion', '(3.2)%') as a negative sign.

A mention carries its signed value in base units (KRW, USD, … for amounts; points for
% and %p; times; counts), the step of its last shown digit, the sign as written and the
bounds its qualifiers allow ('약', '17조원대', '10~15%', '이상'), so a check can allow
display rounding, truncation and a writer's honest approximation.
"""

import re
from dataclasses import dataclass

from finscribe_common.numbers.dates import find_dates, mask
from finscribe_common.numbers.parse import BodyError, read_body
from finscribe_common.numbers.units import (
    APPROX_RELATIVE,
    BIG_UNITS,
    BOUND_RELATIVE,
    CURRENCY_WORDS,
    ENGLISH_SCALE,
    FULLWIDTH,
    NEGATIVE_MARKS,
    POSITIVE_MARKS,
    UNIT_WORDS,
    Kind,
    unit_header,
)

_D = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_H = r"[일이삼사오육륙칠팔구]"
_N = rf"(?:{_D}|{_H})"
_SMALL = rf"{_N}?[십백천](?:\s?{_N}?[십백천])*{_N}?"  # 5천9백6십, 2천 5백, 삼천, 천
_SECTION = rf"(?:{_SMALL}|{_N})\s?[조억만경]"
_UNIT_AHEAD = r"(?=\s?(?:원|달러|주|여\s?원))"
_BODY = rf"(?:{_SECTION})(?:\s?(?:{_SECTION}))*(?:\s?(?:{_SMALL}|{_D}){_UNIT_AHEAD})?|{_SMALL}|{_D}"
_UNIT = (
    r"%pt|%p|%포인트|퍼센트\s?포인트|percentage[\s-]points?(?![A-Za-z])|pp(?![A-Za-z])|%|퍼센트"
    r"|per\s?cent(?![A-Za-z])|bp|배|원|달러|USD|KRW|won|엔|위안|유로|EUR|JPY|CNY"
    r"|주(?!간|년|차|가|식|요|주|택|말|제|력|로\s?전환)|포인트|points?|pt|x(?![A-Za-z])"
)
_SCALE = r"trillion|billion|million|thousand|trn|tn|bn|mn"
_COUNTER = r"개월|개사|개|명|곳|위|분기|차|번째|번|장|호|건|세|가지|종목|년|월|일|시간|분|초|주간|년간|회|층|대"
_QTY = re.compile(
    rf"(?<![\dA-Za-z.,])(?P<prefix>(?:약|대략|최대|최소|무려)\s?)?"
    rf"(?P<sign>[-+](?=[\d$₩]|KRW|USD|US\$)|[△▲▼]\s?)?(?P<cur>US\$|\$|₩|KRW\s?|USD\s?)?"
    # English accounting negatives: 'KRW (26.2) trillion', '$ (1,234) million', '(3.2)%'
    rf"(?P<paren>(?:(?<=[$₩])\s)?\((?=\d))?(?P<body>{_BODY})(?(paren)\))(?P<yeo>여)?(?:\s?(?P<scale>{_SCALE})(?![A-Za-z]))?(?:\s?(?P<unit>{_UNIT}))?"
    # a range: '10~15%', and as English writes it '15-20%', '15%-20%', 'KRW 1-2 trillion' (a hyphen
    # or en dash with no space, so '3.2% - 1.1%' is not one)
    rf"(?:(?:\s?[~∼]\s?|-(?=\d))(?P<sign2>[-+△▲▼])?(?P<cur2>US\$|\$|₩)?(?P<body2>{_BODY})(?:\s?(?P<scale2>{_SCALE})(?![A-Za-z]))?"
    rf"(?:\s?(?P<unit2>{_UNIT}))?)?"
    r"(?P<dae>대(?!비|출|형|표|응|한|상|량|체|금|폭|신|주|규모|략))?"
    r"(?P<suffix>\s?(?:가량|정도|내외|안팎|남짓|이상|미만|이하|초과|수준|넘게|웃도는|밑도는))?"
    rf"(?P<counter>(?:{_COUNTER})|\s(?:명|개사|개|곳|건|종목|가구)(?=[이가은는을를의에도]|[^가-힣]|$))?"
)
_CITATION = re.compile(r"\[\s*\d+(?:\s*[,，]\s*\d+)*\s*\]")
_HANGUL = re.compile(r"[가-힣]")
_NIL = {"-", "–", "—", "N/A", "n/a", "NA", "na", "null", "NULL", "None", "nan", "NaN", "해당없음", "해당 없음", "없음"}


@dataclass(frozen=True)
class Mention:
    """One number as written. `value` and the bounds are signed, in base units."""

    raw: str
    kind: Kind
    start: int
    end: int
    value: float | None = None  # KRW / USD / … for amounts; points for % and %p; times; count
    step: float = 0.0  # one unit of the last shown digit, in base units
    sign: int = 0  # -1 for - − △ ▼, (1,234) and 'KRW (26.2) trillion'; +1 for + ▲; 0 when none is written
    unit: str = ""  # the unit as written: '원', '%p', '배', '' …
    currency: str = ""  # ISO code of an amount's currency, '' when none is written
    low: float | None = None
    high: float | None = None
    approx: bool = False
    qualifier: str = ""  # 약 / 가량 / 대 / ~ / 이상 / 미만 …
    date: str | None = None  # for kind 'date': "YYYY-MM-DD", "YYYY-MM", "YYYY" or "--MM-DD"

    def magnitude_bounds(self) -> tuple[float, float]:
        """The closed range of absolute values this mention allows, qualifiers included.

        A shown figure is the true one rounded (within half a step) or truncated (up to one
        step below it): '485.7조' allows 485.65조 to 485.8조.
        """
        value = self.value or 0.0
        first = self.low if self.low is not None else value
        last = self.high if self.high is not None else value
        low, high = sorted((abs(first), abs(last)))
        if first * last < 0:
            low = 0.0  # '-1~2%' spans zero
        epsilon = max(high, 1.0) * 1e-9
        return max(0.0, low - self.step / 2 - epsilon), high + self.step + epsilon


def strip_citations(text: str) -> str:
    """Blank out `[n]` markers (same length, so offsets stay valid)."""
    return _CITATION.sub(lambda m: " " * len(m.group(0)), text)


def normalize(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one (offsets stay valid)."""
    return text.translate(FULLWIDTH)


def _sign(mark: str | None) -> int:
    mark = (mark or "").strip()
    if mark in NEGATIVE_MARKS:
        return -1
    if mark in POSITIVE_MARKS:
        return 1
    return 0


def _unit(word: str | None) -> tuple[Kind | None, float, str]:
    if not word:
        return None, 1.0, ""
    key = re.sub(r"\s", "", word)
    kind, factor = UNIT_WORDS[key]
    return kind, factor, CURRENCY_WORDS.get(key, "")


def _read(match: re.Match[str], text: str, cell: bool) -> Mention | None:
    body = match.group("body")
    unit_word = match.group("unit") or match.group("unit2") or ""
    currency_mark = match.group("cur") or match.group("cur2")
    big = any(ch in BIG_UNITS for ch in body)
    start = match.start()
    if _HANGUL.match(body):
        # a Hangul numeral ('삼천억원') only counts with a unit, and not inside a word ('이천시', '백화점')
        if (start and _HANGUL.match(text[start - 1])) or not (unit_word in ("원", "달러", "주") or big):
            return None
        if not re.search(r"[십백천만억조]", body):
            return None
    counter = (match.group("counter") or "").strip()
    dae = match.group("dae")
    if dae and not (unit_word or big):
        counter, dae = "대", None  # '3대' is a count of things, not a range
    if counter and not unit_word and not big and not cell:
        return None
    try:
        value, step, place = read_body(body)
    except BodyError:
        return None
    kind, factor, currency = _unit(unit_word)
    scale = ENGLISH_SCALE.get(match.group("scale") or match.group("scale2") or "", 1.0)
    if currency_mark:
        currency = CURRENCY_WORDS[currency_mark.strip()]
        kind = "amount"
    if kind is None:
        kind = "count" if counter else ("amount" if big or scale != 1.0 else "number")
    factor *= scale
    second: float | None = None
    hyphen = match.group("body2") and "-" in text[match.end("body") : match.start("body2")]
    if cell and hyphen and not (unit_word or currency_mark or match.group("scale") or match.group("scale2")):
        return None  # a cell '2024-08' or '2023-24' is a month or a fiscal year, not a range of numbers
    if match.group("body2"):
        try:
            units = re.search(r"[십백천만억조경]+$", match.group("body2"))
            if units and not big and not re.search(r"[십백천]", body):
                # '5~6조원' is 5조 to 6조: the first figure takes the second's unit
                value, step, place = read_body(body + units.group(0))
                big = True
            second, step2, _ = read_body(match.group("body2"))
        except BodyError:
            return None
        second *= factor * ENGLISH_SCALE.get(match.group("scale2") or "", 1.0) / scale
        if not match.group("scale2"):
            second *= scale
        step = max(step, step2)
    value, step, place = value * factor, step * factor, place * factor
    if (
        not cell
        and kind in ("number", "count")
        and not big
        and "," not in body
        and "." not in body
        and value < 1000
        and not match.group("sign")
    ):
        return None  # a bare small integer is an ordinal, a count or a list number, not a figure
    sign = _sign(match.group("sign"))
    # parentheses in running text are an accounting negative only with a currency before them or a
    # scale or % after them ('KRW (26.2) trillion', '(3.2)%'); a bare '(17.05)' is an aside
    paren = bool(match.group("paren")) and bool(
        currency_mark or match.group("scale") or unit_word in ("%", "%p", "%pt") or cell
    )
    if paren and not sign:
        sign = -1
    signed = -value if sign < 0 else value
    low = high = signed
    qualifier = ""
    approx = False
    prefix = (match.group("prefix") or "").strip()
    suffix = (match.group("suffix") or "").strip()
    if second is not None:
        high = -second if _sign(match.group("sign2")) < 0 else second
        qualifier = "~"
    if dae:
        high = signed + (place if signed >= 0 else -place)
        qualifier = "대"
    if match.group("yeo") or prefix in ("약", "대략") or suffix in ("가량", "정도", "내외", "안팎", "남짓", "수준"):
        approx = True
        low, high = low - abs(low) * APPROX_RELATIVE, high + abs(high) * APPROX_RELATIVE
        qualifier = qualifier or (prefix or suffix or "여")
    if suffix in ("이상", "초과", "넘게", "웃도는") or prefix == "최소":
        high = high + abs(high) * BOUND_RELATIVE
        qualifier = suffix or prefix
    if suffix in ("미만", "이하", "밑도는") or prefix == "최대":
        low = low - abs(low) * BOUND_RELATIVE
        qualifier = suffix or prefix
    if prefix == "무려":
        prefix = ""
    end = match.end("suffix") if suffix else max(match.end("body"), match.end("unit") if unit_word else 0)
    end = max(end, match.end("unit2") if match.group("unit2") else 0, match.end("dae") if dae else 0)
    end = max(end, match.end("body2") if match.group("body2") else 0)
    for scale_group in ("scale", "scale2"):  # 'KRW 1-2 trillion' ends at its scale word
        if match.group(scale_group):
            end = max(end, match.end(scale_group))
    first = match.start("prefix") if prefix else (match.start("sign") if match.group("sign") else match.start())
    if match.group("paren") and not paren and end == match.end("body"):
        first = match.start("body")  # '(17.05)': the figure without its parentheses, unsigned
    return Mention(
        raw=text[first:end],
        kind=kind,
        start=first,
        end=end,
        value=signed,
        step=step,
        sign=sign,
        unit=re.sub(r"\s", "", unit_word),
        currency=currency,
        low=low,
        high=high,
        approx=approx,
        qualifier=qualifier,
    )


def extract_numbers(text: str) -> list[Mention]:
    """Every checkable number and date in `text`, in order; `[n]` citations are not numbers.

    Ordinals and small counts ('3개', '2분기', '1위') are skipped; dates come back as kind 'date'.
    """
    original = text
    masked = normalize(strip_citations(text))
    dates, masked = find_dates(masked)
    mentions = [Mention(raw=d.raw, kind="date", start=d.start, end=d.end, date=d.date) for d in dates]
    for match in _QTY.finditer(masked):
        mention = _read(match, masked, cell=False)
        if mention is not None:
            mentions.append(_restore(mention, original))
    return sorted(mentions, key=lambda m: m.start)


def _restore(mention: Mention, original: str) -> Mention:
    from dataclasses import replace

    return replace(mention, raw=original[mention.start : mention.end])


def is_nil(cell: str) -> bool:
    """An empty cell or a table's nil marker ('-', '—', 'N/A', '해당없음'): no value, and not an error."""
    text = normalize(cell).strip()
    return not text or text in _NIL


def parse_quantity(cell: str, header: str = "") -> Mention | None:
    """One table or CSV cell read whole: '△1,234', '(1,234)', '1.2조', '12.5%', '▼3.2'. None if it is
    not exactly one number (or is a nil marker such as '-' or 'N/A').

    `header` is the column's or table's unit header ('매출액(억원)', '(단위: 백만원)'): a cell
    without its own unit is in that unit. Parentheses around the whole cell mean negative.
    """
    if is_nil(cell):
        return None
    text = normalize(cell).strip()
    negative = False
    if text.startswith("(") and text.endswith(")"):
        text, negative = text[1:-1].strip(), True
    text = text.replace(" ", "") if re.fullmatch(r"[\d,.\s]+", text) else text
    match = _QTY.fullmatch(text)
    if match is None:
        return None
    mention = _read(match, text, cell=True)
    if mention is None:
        return None
    if negative:
        if mention.sign:
            return None  # '(-1,234)' says negative twice: not a well-formed cell
        mention = _negate(mention)
    declared = unit_header(header) if header else None
    if declared is not None and not mention.unit and mention.kind in ("number", "amount"):
        kind, factor, currency = declared
        mention = _scaled(mention, kind, factor, currency)
    return mention


def _negate(m: Mention) -> Mention:
    from dataclasses import replace

    return replace(
        m,
        value=-(m.value or 0.0),
        low=-(m.low or 0.0) if m.low is not None else None,
        high=-(m.high or 0.0) if m.high is not None else None,
        sign=-1,
    )


def _scaled(m: Mention, kind: Kind, factor: float, currency: str) -> Mention:
    from dataclasses import replace

    def times(x: float | None) -> float | None:
        return x * factor if x is not None else None

    return replace(
        m,
        kind=kind,
        value=times(m.value),
        step=m.step * factor,
        low=times(m.low),
        high=times(m.high),
        currency=m.currency or currency,
    )


__all__ = ["Mention", "extract_numbers", "is_nil", "mask", "normalize", "parse_quantity", "strip_citations"]
