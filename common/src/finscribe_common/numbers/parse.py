"""Read the numeric body of a Korean amount: digits, separators, 천/백/십 and 조/억/만 in any mix.

'16조 5천9백6십억' -> 16,596,000,000,000 with step 1,000,000,000 (one unit of its last shown
digit: 6십억). '1조2,345억', '12억 3,456만', '삼천억', '2천5백억' read the same way.
"""

import re

from finscribe_common.numbers.units import BIG_UNITS, HANGUL_DIGITS, SMALL_UNITS

_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<h>[영공일이삼사오육륙칠팔구])|(?P<u>[십백천만억조경])|\s+"
)


class BodyError(ValueError):
    """The text is not a well-formed number body (e.g. two numbers without a unit between them)."""


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def read_body(body: str) -> tuple[float, float, float]:
    """(value, step, place) of a number body without sign or unit.

    `step` is one unit of the last shown digit, in base units; `place` is the lowest non-zero
    place of the last written figure ('30조' -> 1e13, '17조' -> 1e12, '1조2천억' -> 1e11), which
    is what '대' adds ('30조원대' = 30조 up to 40조). Raises BodyError on anything else.
    """
    total = 0.0
    section = 0.0  # the part before the next 조/억/만, built from 천/백/십
    pending: tuple[float, float] | None = None  # a number waiting for its unit: (value, its own step)
    section_step = 1.0
    step = 1.0
    place = 1.0
    last_place: float | None = None
    position = 0
    for match in _TOKEN.finditer(body):
        if match.start() != position:
            raise BodyError(f"unexpected text in {body!r}")
        position = match.end()
        if match.group("num") is not None or match.group("h") is not None:
            if pending is not None:
                raise BodyError(f"two numbers without a unit between them in {body!r}")
            raw = match.group("num")
            if raw is not None:
                digits = raw.replace(",", "")
                pending = (float(digits), 10.0 ** -_decimals(raw))
            else:
                pending = (float(HANGUL_DIGITS[match.group("h")]), 1.0)
        elif match.group("u") is not None:
            unit = match.group("u")
            if unit in SMALL_UNITS:
                scale = SMALL_UNITS[unit]
                number, own = pending if pending is not None else (1.0, 1.0)
                section += number * scale
                section_step = own * scale
                place = _lowest_place(number, own) * scale
                pending = None
            else:
                scale = BIG_UNITS[unit]
                if pending is not None:
                    section += pending[0]
                    section_step = pending[1]
                    place = _lowest_place(*pending)
                    pending = None
                if section == 0:
                    section, section_step, place = 1.0, 1.0, 1.0
                total += section * scale
                step = section_step * scale
                last_place = place * scale
                section, section_step = 0.0, 1.0
    if position != len(body):
        raise BodyError(f"unexpected text in {body!r}")
    if pending is not None:
        section += pending[0]
        section_step = pending[1]
        place = _lowest_place(*pending)
    if section:
        total += section
        step = section_step
        last_place = place
    if last_place is None and not body.strip():
        raise BodyError("empty number")
    return total, step, last_place if last_place is not None else 1.0


def _lowest_place(number: float, own_step: float) -> float:
    """10 ** (trailing zeros of the integer part): 30 -> 10, 17 -> 1, 2000 -> 1000; 1.5 -> 0.1 (its step)."""
    if own_step < 1 or number != int(number):
        return own_step
    whole = int(number)
    place = 1
    while whole and whole % 10 == 0:
        whole //= 10
        place *= 10
    return float(place)
