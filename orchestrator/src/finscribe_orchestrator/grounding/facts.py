"""Every number and date the run fetched (and the ones derived from them), indexed for matching.

Data payloads are walked whole: any numeric value, numeric string or date in them is a
fact. Derived figures (changes, ratios, YoY, differences) are added by the summaries
that show them to the LLM, and by `add_pairwise` for small sets of headline metrics.
"""

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from finscribe_orchestrator.grounding.numbers import extract_numbers

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_COMPACT_DATE = re.compile(r"^((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")
_NUMERIC_STRING = re.compile(r"^[+\-−]?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^[+\-−]?\d+(?:\.\d+)?$")


@dataclass
class FactIndex:
    _values: list[float] = field(default_factory=list)
    _sorted: bool = True
    dates: set[str] = field(default_factory=set)
    months: set[str] = field(default_factory=set)
    years: set[str] = field(default_factory=set)
    month_days: set[str] = field(default_factory=set)

    def add_number(self, value: float | int | None) -> None:
        if value is None or isinstance(value, bool):
            return
        number = abs(float(value))
        if number != number or number in (float("inf"),):  # NaN or inf carry no fact
            return
        self._values.append(number)
        self._sorted = False

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

    def add_payload(self, payload: Any) -> None:
        """Walk a JSON payload: every number, numeric string and date is a fact."""
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
                self.add_number(item)
            elif isinstance(item, str):
                self._add_string(item.strip())

    def _add_string(self, text: str) -> None:
        if _ISO_DATE.match(text):
            self.add_date(text)
            return
        compact = _COMPACT_DATE.match(text)
        if compact:
            self.add_date(f"{compact.group(1)}-{compact.group(2)}-{compact.group(3)}")
            return
        if _NUMERIC_STRING.match(text):
            self.add_number(float(text.replace(",", "").replace("−", "-")))

    def add_text(self, text: str) -> None:
        """Numbers quoted in a text the run fetched (a PDF passage, the user's own prompt)."""
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
                self.add_number(mention.value)

    def add_pairwise(self, values: Iterable[float | None]) -> None:
        """Ratios between headline figures, as multiples and as percentages (margins, shares of total)."""
        numbers = [float(v) for v in values if v is not None and not isinstance(v, bool) and float(v) != 0.0]
        for a in numbers:
            for b in numbers:
                if a is not b:
                    self.add_number(a / b)
                    self.add_number(a / b * 100)
                    self.add_number((a - b) / abs(b) * 100)

    def values(self) -> list[float]:
        if not self._sorted:
            self._values.sort()
            self._sorted = True
        return self._values

    def has_number_near(self, target: float, tolerance: float) -> bool:
        values = self.values()
        i = bisect.bisect_left(values, target - tolerance)
        return i < len(values) and values[i] <= target + tolerance

    def __len__(self) -> int:
        return len(self._values) + len(self.dates)
