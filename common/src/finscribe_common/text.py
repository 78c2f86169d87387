"""Text that cannot be stored or sent: lone surrogates and Unicode noncharacters.

`"\\ud800"` is valid JSON, and Python's json module turns it into a `str` holding a lone
surrogate; that string cannot be encoded as UTF-8, so writing it to MySQL or into a JSON
answer fails (a 500). Noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF) are "permanently
reserved for internal use" (Unicode 15, section 23.7) and no analyst's text holds them.

- `find_bad_text(value)`: where the first such string is in a decoded JSON value (its
  keys included), for the request guard (`text_guard.py`) to answer 422.
- `scrub(value)`: the same value with lone surrogates turned into U+FFFD, so rows stored
  before the guard existed can still be read back.
- `SafeJSONResponse`: a JSONResponse that scrubs only when plain encoding fails (the
  common path costs nothing extra); every kit app uses it as its default response class.
"""

import json
import re
from typing import Any

from fastapi.responses import JSONResponse

# A valid pair decodes to one astral character, so any surrogate left in a `str` is unpaired.
BAD_CHARS = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)
_SURROGATES = re.compile("[\ud800-\udfff]")


def bad_char(text: str) -> str | None:
    """The first lone surrogate or noncharacter in `text`, as `U+XXXX`, else None."""
    found = BAD_CHARS.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def find_bad_text(value: Any, *, max_depth: int) -> tuple[str, list[str]] | None:
    """(problem, location) for the first bad string in a decoded JSON value, or for nesting
    deeper than `max_depth`; None when the value is clean. Problems: `bad_text`, `too_deep`."""
    stack: list[tuple[Any, list[str], int]] = [(value, [], 1)]
    while stack:
        item, loc, depth = stack.pop()
        if isinstance(item, str):
            if (char := bad_char(item)) is not None:
                return f"bad_text:{char}", loc
        elif isinstance(item, dict | list):
            if depth > max_depth:
                return "too_deep", loc
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(key, str) and (char := bad_char(key)) is not None:
                    return f"bad_text:{char}", [*loc, _safe(key)]
                stack.append((child, [*loc, _safe(str(key))], depth + 1))
    return None


def _safe(text: str) -> str:
    return BAD_CHARS.sub("\ufffd", text)[:100]


def scrub(value: Any) -> Any:
    """`value` with every lone surrogate in its strings (and keys) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


class SafeJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return super().render(scrub(content))


def dumps_safe(value: Any) -> bytes:
    """Compact UTF-8 JSON that never fails on a lone surrogate (for hand-built answers)."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:
        return json.dumps(scrub(value), ensure_ascii=False, separators=(",", ":")).encode()
