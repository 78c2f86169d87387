"""Every number and date the run fetched (and the ones derived from them), indexed for matching.

Data payloads are walked whole: any numeric value, numeric string or date in them is a
fact, kept with its sign and the dataset it came from (so a sentence can be checked for
its sign and cited to the right source). Derived figures (changes, ratios, YoY,
differences) are added by the summaries that show them to the LLM, and by `add_pairwise`
for small sets of headline metrics. A change between two percentages is a `pp` fact.
"""

import bisect
import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from finscribe_common.numbers import extract_numbers, parse_quantity
from finscribe_orchestrator.grounding.claims import claimed_sign

FactKind = Literal["value", "pp"]
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_COMPACT_DATE = re.compile(r"^((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")


@dataclass(frozen=True)
class Fact:
    """One fetched or derived figure: signed, in base units (KRW, percent points, times, count)."""

    value: float
    kind: FactKind = "value"  # 'pp': a difference of two percentages (percentage points)
    source: str | None = None  # the dataset key it came from; None for the user's own text
    signed: bool = True  # False: read from a passage that wrote no sign or direction (either sign is fine)


@dataclass
class FactIndex:
    _facts: list[Fact] = field(default_factory=list)
    _keys: list[float] = field(default_factory=list)
    _sorted: bool = True
    dates: set[str] = field(default_factory=set)
    months: set[str] = field(default_factory=set)
    years: set[str] = field(default_factory=set)
    month_days: set[str] = field(default_factory=set)
    source: str | None = None  # the dataset facts are attributed to while a summary runs
    periods: list[tuple[float, float]] = field(default_factory=list)  # (current, comparative) of a reported figure

    @contextlib.contextmanager
    def attributed(self, source: str | None) -> Iterator[None]:
        """Facts added inside the block without an explicit source belong to `source`."""
        previous, self.source = self.source, source
        try:
            yield
        finally:
            self.source = previous

    def add_number(
        self, value: float | None, *, source: str | None = None, kind: FactKind = "value", signed: bool = True
    ) -> None:
        if value is None or isinstance(value, bool):
            return
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):  # NaN or inf carry no fact
            return
        self._facts.append(Fact(number, kind, source if source is not None else self.source, signed))
        self._sorted = False

    def add_period_pair(self, current: float, prior: float) -> None:
        """A figure and its comparative period (profit this half vs the same half a year earlier):
        what '흑자 전환' / '적자 지속' is checked against."""
        self.periods.append((float(current), float(prior)))

    def priors(self, low: float, high: float) -> list[float]:
        """The comparatives of reported figures whose absolute value lies in [low, high]."""
        return [prior for current, prior in self.periods if low <= abs(current) <= high]

    def add_date(self, value: dt.date | str) -> None:
        iso = value.isoformat() if isinstance(value, dt.date) else str(value)[:10]
        match = _ISO_DATE.match(iso)
        if not match:
            return
        year, month, day = match.groups()
        self.dates.add(f"{year}-{month}-{day}")
        self.months.add(f"{year}-{month}")
        self.years.add(year)
        self.month_days.add(f"--{month}-{day}")

    def add_year(self, year: int | str) -> None:
        self.years.add(str(year))

    def add_payload(self, payload: Any, source: str | None = None) -> None:
        """Walk a JSON payload: every number, numeric string and date is a fact of `source`."""
        stack = [payload]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list | tuple):
                stack.extend(item)
            elif isinstance(item, bool):
                continue
            elif isinstance(item, int | float):
                self.add_number(item, source=source)
            elif isinstance(item, str):
                self._add_string(item.strip(), source)

    def _add_string(self, text: str, source: str | None) -> None:
        if _ISO_DATE.match(text):
            self.add_date(text)
            return
        compact = _COMPACT_DATE.match(text)
        if compact:
            self.add_date(f"{compact.group(1)}-{compact.group(2)}-{compact.group(3)}")
            return
        if len(text) <= 40 and text[:1] in "0123456789-+△▲▼(−":
            quantity = parse_quantity(text)  # '1,234', '-5.2', '△38' as upstream strings write them
            if quantity is not None and quantity.value is not None and quantity.kind in ("number", "amount"):
                self.add_number(quantity.value, source=source)

    def add_text(self, text: str, source: str | None = None) -> None:
        """Numbers quoted in a text the run fetched (a PDF passage, the user's own prompt).

        A figure keeps the sign its text gives it (a sign, a direction word, 흑자/적자, or their
        English counterparts: 'fell 3.2%', 'a net loss of', 'KRW (26.2) trillion'); one with none
        may stand for either sign.
        """
        for mention in extract_numbers(text):
            if mention.kind == "date" and mention.date:
                if len(mention.date) == 10 and not mention.date.startswith("--"):
                    self.add_date(mention.date)
                elif len(mention.date) == 7:
                    self.months.add(mention.date)
                    self.years.add(mention.date[:4])
                elif len(mention.date) == 4:
                    self.years.add(mention.date)
                else:
                    self.month_days.add(mention.date)
            elif mention.value is not None:
                sign, _ = claimed_sign(text, mention)
                kind: FactKind = "pp" if mention.kind == "pp" else "value"
                magnitude = abs(mention.value)
                self.add_number(magnitude * (sign or 1), source=source, kind=kind, signed=bool(sign))
                if mention.high is not None and mention.high != mention.value:
                    self.add_number(abs(mention.high) * (sign or 1), source=source, kind=kind, signed=bool(sign))

    def absorb(self, other: "FactIndex", rename: Callable[[str], str]) -> None:
        """Every fact, date and period pair of `other`, its dataset keys renamed (a peer's
        `price` becomes `price@005380`, so a figure is cited to that company's source only)."""
        for fact in other._facts:
            source = rename(fact.source) if fact.source is not None else None
            self._facts.append(Fact(fact.value, fact.kind, source, fact.signed))
        self._sorted = False
        self.dates |= other.dates
        self.months |= other.months
        self.years |= other.years
        self.month_days |= other.month_days
        self.periods.extend(other.periods)

    def add_pairwise(self, values: Iterable[float | None]) -> None:
        """Ratios between headline figures, as multiples and as percentages (margins, shares of total)."""
        numbers = [float(v) for v in values if v is not None and not isinstance(v, bool) and float(v) != 0.0]
        for a in numbers:
            for b in numbers:
                if a is not b:
                    self.add_number(a / b)
                    self.add_number(a / b * 100)
                    self.add_number((a - b) / abs(b) * 100)

    def _index(self) -> None:
        if not self._sorted:
            self._facts.sort(key=lambda f: abs(f.value))
            self._keys = [abs(f.value) for f in self._facts]
            self._sorted = True

    def near(self, low: float, high: float) -> list[Fact]:
        """Facts whose absolute value lies in [low, high]."""
        self._index()
        i = bisect.bisect_left(self._keys, low)
        j = bisect.bisect_right(self._keys, high)
        return self._facts[i:j]

    def values(self) -> list[float]:
        """Absolute values, sorted."""
        self._index()
        return self._keys

    def has_number_near(self, target: float, tolerance: float) -> bool:
        return bool(self.near(abs(target) - tolerance, abs(target) + tolerance))

    def __len__(self) -> int:
        return len(self._facts) + len(self.dates)
