"""Korean numbers, one module for every reader and writer of a figure: grounding, CSV profiling,
charts, tables, the data-only writer and the CLI.

- `scan.extract_numbers(text)`: every number and date in running text, as `Mention`s
- `scan.parse_quantity(cell, header)`: one table or CSV cell, with the column's unit header
- `parse.read_body(body)`: the value of '16조 5천9백6십억', '1조2,345억', '삼천억'
- `format`: the house style (485.8조원, 1,405억원, -3.2%, +10.6%p) that reads back to its value
- `units`: the vocabulary (multipliers, signs, units, unit headers, tolerances)
"""

from finscribe_common.numbers.format import change_word, growth_word, num, pct, pp, times, won
from finscribe_common.numbers.scan import Mention, extract_numbers, is_nil, parse_quantity, strip_citations
from finscribe_common.numbers.units import unit_header

__all__ = [
    "Mention",
    "change_word",
    "extract_numbers",
    "growth_word",
    "is_nil",
    "num",
    "parse_quantity",
    "pct",
    "pp",
    "strip_citations",
    "times",
    "unit_header",
    "won",
]
