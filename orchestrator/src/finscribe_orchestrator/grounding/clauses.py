"""The clause a figure stands in, for the sign/direction/profit rules of both languages."""

import re


def clause_around(text: str, start: int, end: int, clause_end: re.Pattern[str]) -> tuple[str, str]:
    """(text of the clause before the figure, text after it up to the clause's end), where
    `clause_end` marks a boundary (Korean: '.', ', ', a 다/요 ending; English: '.', ', ',
    'and', 'while' …); `start`/`end` are the figure's character offsets in `text`."""
    before = text[:start]
    cut = max((m.end() for m in clause_end.finditer(before)), default=0)
    after = text[end:]
    stop = clause_end.search(after)
    return before[cut:], after[: stop.start() if stop else len(after)]
