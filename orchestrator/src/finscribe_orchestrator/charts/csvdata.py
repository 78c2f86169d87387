"""Read an uploaded CSV as data only: decode (UTF-8 or CP949), split, profile columns.

Nothing in a CSV is ever evaluated: a cell such as `=cmd|...` or `__import__(...)` is
just text; numbers and dates are recognised by patterns, not by a parser of expressions.
Numbers are read by the kit's Korean number module (`finscribe_common.numbers`): '△38.4',
'▼3.2', '(1,234)', '1.2조', '12.5%', with a column header's unit ('매출액(억원)') applied.
A cell of a numeric column that does not read as a number is kept in `bad_cells` and
reported (row and text), never dropped silently.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from finscribe_common.numbers import is_nil, parse_quantity

ENCODINGS = ("utf-8-sig", "cp949")
NUMERIC_SHARE = 0.6  # a column is numeric when this share of its non-empty cells reads as numbers
_UNIT_OF = {"amount": "원", "percent": "%", "pp": "%p", "multiple": "배", "count": "주"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y%m%d", "%Y-%m", "%Y.%m", "%Y년 %m월 %d일", "%Y-%m-%d %H:%M:%S")


class CsvError(ValueError):
    pass


def decode(raw: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise CsvError("the CSV is neither UTF-8 nor CP949 text")


def parse_number(text: str, header: str = "") -> float | None:
    """A cell's value in base units (the header's unit applied), or None when it is not one number."""
    quantity = parse_quantity(text, header)
    return quantity.value if quantity is not None else None


def parse_date(text: str) -> dt.date | None:
    value = text.strip()
    if len(value) < 6 or not value[:4].isdigit():
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class ColumnProfile:
    name: str
    type: str  # date | number | text
    non_empty: int
    samples: list[str] = field(default_factory=list)
    min: Any = None
    max: Any = None
    unit: str = ""  # of a numeric column's values: '원' (KRW, header units applied), '%', '배' …
    bad_cells: list[tuple[int, str]] = field(default_factory=list)  # (CSV row number, cell text)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "non_empty": self.non_empty,
            "samples": self.samples,
            "min": self.min.isoformat() if isinstance(self.min, dt.date) else self.min,
            "max": self.max.isoformat() if isinstance(self.max, dt.date) else self.max,
            "unit": self.unit,
            "unparsed": [{"row": row, "text": text} for row, text in self.bad_cells],
        }


@dataclass
class CsvTable:
    columns: list[str]
    rows: list[dict[str, str]]
    encoding: str
    profiles: dict[str, ColumnProfile] = field(default_factory=dict)
    row_numbers: list[int] = field(default_factory=list)  # each row's number in the file (header = 1)

    def date_column(self) -> str | None:
        return next((c for c in self.columns if self.profiles[c].type == "date"), None)

    def label_column(self) -> str | None:
        return next((c for c in self.columns if self.profiles[c].type == "text"), None)

    def numeric_columns(self) -> list[str]:
        return [c for c in self.columns if self.profiles[c].type == "number"]

    def number(self, row: dict[str, str], column: str) -> float | None:
        return parse_number(row.get(column) or "", column)

    def unparsed(self) -> list[tuple[str, list[tuple[int, str]]]]:
        """(column, [(row number, cell text), …]) for every numeric column with cells that are not numbers."""
        return [(c, self.profiles[c].bad_cells) for c in self.numeric_columns() if self.profiles[c].bad_cells]

    def date(self, row: dict[str, str], column: str) -> dt.date | None:
        return parse_date(row.get(column) or "")

    def profile_text(self) -> str:
        lines = [f"행 {len(self.rows)}개, 인코딩 {self.encoding}"]
        for name in self.columns:
            p = self.profiles[name]
            extra = f", 범위 {p.as_dict()['min']} ~ {p.as_dict()['max']}" if p.min is not None else ""
            lines.append(f"열 '{name}': {p.type}, 값 {p.non_empty}개{extra}, 예: {', '.join(p.samples)}")
        return "\n".join(lines)


def _profile(name: str, values: list[str], row_numbers: list[int]) -> ColumnProfile:
    cells = [(row, v.strip()) for row, v in zip(row_numbers, values, strict=True) if v and v.strip()]
    present = [v for _, v in cells]
    samples = [v[:40] for v in present[:3]]
    if not present:
        return ColumnProfile(name, "text", 0, samples)
    dates = [parse_date(v) for v in present]
    if sum(d is not None for d in dates) >= 0.9 * len(present):
        valid = [d for d in dates if d is not None]
        return ColumnProfile(name, "date", len(present), samples, min(valid), max(valid))
    quantities = [(row, v, parse_quantity(v, name)) for row, v in cells if not is_nil(v)]
    numbers = [q for _, _, q in quantities if q is not None and q.value is not None]
    if quantities and len(numbers) >= NUMERIC_SHARE * len(quantities):
        valid_n = [q.value for q in numbers if q.value is not None]
        kinds = {q.kind for q in numbers}
        unit = _UNIT_OF.get(kinds.pop(), "") if len(kinds) == 1 else ""
        bad = [(row, v) for row, v, q in quantities if q is None]
        return ColumnProfile(name, "number", len(present), samples, min(valid_n), max(valid_n), unit, bad)
    return ColumnProfile(name, "text", len(present), samples)


def read_csv(raw: bytes, max_rows: int) -> CsvTable:
    text, encoding = decode(raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise CsvError("the CSV is empty") from exc
    if not any(header):
        raise CsvError("the CSV has no header row")
    header = [h or f"열{i + 1}" for i, h in enumerate(header)]
    if len(set(header)) != len(header):
        raise CsvError("the CSV header has duplicate column names")
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    for index, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= max_rows:
            raise CsvError(f"the CSV has more than {max_rows} rows")
        rows.append({header[i]: record[i] if i < len(record) else "" for i in range(len(header))})
        numbers.append(index)
    if not rows:
        raise CsvError("the CSV has a header but no data rows")
    table = CsvTable(
        columns=header, rows=rows, encoding="utf-8" if encoding == "utf-8-sig" else encoding, row_numbers=numbers
    )
    table.profiles = {name: _profile(name, [r.get(name, "") for r in rows], numbers) for name in header}
    return table
