"""Turn raw page text into clean blocks: no control characters, running headers/footers,
page numbers or rules; words re-joined across line wraps and hyphenation; real headings
and captions kept apart; tables kept as tables with their title, unit and column header.

Input is one string per page with one visual line per "\\n" (PDFium's order). Table rows
are recognised from the extractor's line layout: a row is a label followed by two or more
numeric cells (`Net sales $ 34,229 $ 35,355`, `유동자산 1,234 1,111`, `5.5 % 3.2 %`); a
column header is a line of years or periods; three rows or more make a table, and the short
lines just above it (statement title, `(Millions)`, `(단위: 백만원)`) are its context.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from finscribe_rag import tokens

BlockKind = Literal["heading", "caption", "text", "table"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str  # for a table: its rows, one per line
    context: str = ""  # for a table: title / unit / column-header lines every chunk of it repeats


_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
# Marks a Korean line join whose trailing space PDFium did not report (U+2063, invisible separator).
_KOREAN_JOIN = "\u2063"
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
# C0/C1 controls (NUL comes back for ligatures some fonts do not map: "Sec\x00on"),
# non-characters and zero-width marks; tab and newline are layout, kept until joined.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u200b-\u200d\u2060-\u2064\ufeff]")
# Private-use glyphs (decorative rules drawn with a symbol font) and dot leaders.
_DECORATION = re.compile(r"^[\ue000-\uf8ff\U000f0000-\U000fffff\u2024\u2025\u2026\u00b7\u30fb\uff65._\-=~*·•\s]+$")
_PRIVATE_RUN = re.compile(r"[\ue000-\uf8ff\U000f0000-\U000fffff]{3,}")
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*[-–—])?$|^(?:page|p\.)\s*\d{1,4}$", re.I)
# "1. 개요", "2.1.1. LLM 동향", "Ⅱ. 본론", "제3장 ..." -- but not "30.4.001" (a DOI piece).
_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.\s+|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,4}\.\s*|제\s*\d{1,2}\s*[장절]\s*)\S")
# Filings: "PART II", "Item 7. Management's Discussion ...", "ITEM 1A. RISK FACTORS", "NOTE 5. LEASES".
_FILING_HEADING = re.compile(
    r"^(?:PART|Part)\s+[IVX]{1,4}\b|^(?:ITEM|Item)\s+\d{1,2}[A-C]?\.\s*\S|^(?:NOTE|Note)\s+\d{1,2}[.:]\s*[A-Z]"
)
# An upper-case title line of 1-8 words (filings' unnumbered section titles).
_CAPS_HEADING = re.compile(r"^[A-Z][A-Z&’'\-]{2,}(?:\s+(?:[A-Z][A-Z&’'\-,]*|OF|AND|FOR|IN|ON|TO|THE|&)){0,7}$")
_TOC_ENTRY = re.compile(r"[A-Za-z\uac00-\ud7a3.)]\s+\d{1,3}$|\.{4,}|…{2,}")
_TOC_MIN_HEADINGS = 6  # a page with this many heading lines is a table of contents
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+\S")
# A caption is `<그림 2> Title`; `<표 1>은 ...` (a particle right after) is a reference in running text.
_CAPTION = re.compile(r"^[<〈《\[]\s*(?:그림|표|Figure|Fig\.|Table)\s*\d+(?:[-.]\d+)?\s*[>〉》\]](?:\s|$)", re.I)
_SENTENCE_END = re.compile(r"[.!?。？！]['\"”’)\]]?$")
_HEADING_MAX_CHARS = 70
_EDGE_LINES = 3  # lines at the top and bottom of a page that may be running headers/footers

# ---- table layout ---------------------------------------------------------------------
# One numeric cell as PDFium prints it: 34,229  (2,724)  5.5  12%  -  —  $  %  )
_NUMBER = re.compile(r"^\(?[-+]?\$?\d[\d,]*(?:\.\d+)?\)?%?$")
_CELL_MARK = re.compile(r"^(?:[$€£₩%)(]|\$\(|[-–—]|n/?m|N/?M|NM|n\.m\.)$")
_YEAR_OR_PERIOD = re.compile(
    r"^(?:\(?(?:19|20)\d{2}\)?|FY\d{2,4}|Q[1-4]|[1-4]Q\d{2}|제\s*\d+\s*기|\d{4}년|\d{4}\.\d{1,2}(?:\.\d{1,2})?)$"
)
# Month and day tokens between the years of a date header: "January 28, 2023 January 29, 2022".
_DATE_PART = re.compile(
    r"^(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?$|^\d{1,2},$"
)
_UNIT = re.compile(
    r"(?:\(|^)\s*(?:in\s+|dollars\s+in\s+|amounts\s+in\s+|\$\s*in\s+)?(?:millions|thousands|billions)\b|단위\s*[:：]",
    re.I,
)
_STATEMENT_TITLE = re.compile(
    r"(?:consolidated\s+)?(?:statements?|balance\s+sheets?)\s+of\s+|balance\s+sheets?|"
    r"재무상태표|대차대조표|손익계산서|포괄손익계산서|현금흐름표|자본변동표|재무제표",
    re.I,
)
_TABLE_MIN_ROWS = 3
_CONTEXT_LINES = 4  # short lines above a table that may be its title, period and unit
_CONTEXT_MAX_CHARS = 160
_LABEL_MAX_CHARS = 90  # a label-only line inside a table ("Operating expenses")
# A statement's long row label wraps: "Card Member receivables (includes gross receivables ...
# 2021," then "$5,175), less reserves ... 57,384 53,581". Such a line stays in the table when
# the next line is a row and it has no sentence end; prose between tables ends in one.
_WRAPPED_LABEL_MAX_CHARS = 240


def clean_text(text: str) -> str:
    """NFC, no control characters or zero-width marks (NUL-for-ligature included)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def _normalise_for_repeat(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line)).lower()


def _is_noise(line: str) -> bool:
    stripped = line.strip()
    return not stripped or bool(_DECORATION.match(stripped)) or bool(_PAGE_NUMBER.match(stripped))


def running_lines(pages: list[list[str]]) -> set[str]:
    """Normalised lines that open or close many pages: running heads, footers, journal lines."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        content = [line for line in lines if not _is_noise(line)]
        edge = content[:_EDGE_LINES] + content[-_EDGE_LINES:]
        seen.update({_normalise_for_repeat(line) for line in edge})
    # Alternating left/right page heads appear on about half of the pages.
    threshold = max(3, int(len(pages) * 0.3))
    return {line for line, count in seen.items() if count >= threshold and line}


def is_heading(line: str, *, markdown: bool = True) -> bool:
    """A line that is a heading by its numbering pattern (context is checked by the caller)."""
    stripped = line.strip()
    if len(stripped) > _HEADING_MAX_CHARS:
        return False
    if markdown and _MARKDOWN_HEADING.match(stripped):
        return True
    if _TOC_ENTRY.search(stripped):  # "Item 16. Form 10-K Summary 130": a contents line
        return False
    if _FILING_HEADING.match(stripped):
        return not _SENTENCE_END.search(stripped) or (stripped.endswith(".") and len(stripped.split()) <= 8)
    if _CAPS_HEADING.match(stripped) and not _SENTENCE_END.search(stripped) and (" " in stripped or len(stripped) >= 6):
        return True  # "PROVISIONS FOR CREDIT LOSSES", "LIQUIDITY AND CAPITAL RESOURCES"
    if not _NUMBERED_HEADING.match(stripped) or _SENTENCE_END.search(stripped):
        return False
    rest = re.sub(r"^\S+\s*", "", stripped)
    # "16. As discussed in Note 16, 3M" is a wrapped sentence: a clause break inside, or a
    # lower-case start ("3. the Company") is running text, not a title.
    return not ("," in rest and len(rest.split()) > 4) and not rest[:1].islower()


# ---- tables -----------------------------------------------------------------------------


def _numeric_tail(tokens: list[str]) -> tuple[int, int]:
    """(numbers, tokens) at the end of a line that are cells: `$ 34,229 $ 35,355` -> (2, 4)."""
    numbers = used = 0
    for token in reversed(tokens):
        if _NUMBER.match(token):
            numbers += 1
        elif not _CELL_MARK.match(token):
            break
        used += 1
    return numbers, used


def row_label(line: str) -> str:
    """A table line without its numeric cells: `Net sales $ 34,229 $ 35,355` -> `Net sales`;
    a column header or a label-only line comes back whole."""
    tokens = line.split()
    if line_kind(line) != "row":
        return line
    _, used = _numeric_tail(tokens)
    return " ".join(tokens[: len(tokens) - used])


def line_kind(line: str) -> str:
    """'row' (label + >= 2 numeric cells), 'header' (years/periods), or 'other'."""
    tokens = line.split()
    years = 0
    for token in reversed(tokens):
        if not (_YEAR_OR_PERIOD.match(token) or _DATE_PART.match(token) or token in ("$", "%", "|")):
            break
        years += bool(_YEAR_OR_PERIOD.match(token))
    # "(Millions, except per share amounts) 2022 2021 2020", "제55기 제54기",
    # "Fiscal Years Ended January 28, 2023 January 29, 2022 January 30, 2021"
    if years >= 2:
        return "header"
    numbers, used = _numeric_tail(tokens)
    if numbers >= 2 or (numbers >= 1 and used == len(tokens) and len(tokens) >= 2):
        return "row"
    return "other"


def _is_label(line: str) -> bool:
    """A row label on its own line inside a table: short, no sentence end."""
    return len(line) <= _LABEL_MAX_CHARS and not _SENTENCE_END.search(line)


def _wraps_into_row(lines: list[str], kinds: list[str], j: int) -> bool:
    """A long row label wrapped onto the next line, which ends in the row's cells."""
    line = lines[j]
    return (
        len(line) <= _WRAPPED_LABEL_MAX_CHARS
        and not _SENTENCE_END.search(line)
        and j + 1 < len(lines)
        and kinds[j + 1] == "row"
    )


def _table_spans(lines: list[str]) -> list[tuple[int, int, int]]:
    """(context_start, start, end) of each table region in `lines`, end exclusive."""
    kinds = [line_kind(line) for line in lines]
    spans: list[tuple[int, int, int]] = []
    i = 0
    while i < len(lines):
        if kinds[i] == "other":
            i += 1
            continue
        start = end = i
        rows = 0
        j = i
        gap = 0
        while j < len(lines):
            if kinds[j] != "other":
                rows += kinds[j] == "row"
                end = j + 1
                gap = 0
            elif gap < 3 and (_is_label(lines[j]) or _wraps_into_row(lines, kinds, j)):
                gap += 1  # "Operating expenses", "Cash Flows from Investing Activities"
            else:
                break
            j += 1
        if rows >= _TABLE_MIN_ROWS:
            context_start = start
            while (
                context_start > 0
                and start - context_start < _CONTEXT_LINES
                and kinds[context_start - 1] == "other"
                and len(lines[context_start - 1]) <= _CONTEXT_MAX_CHARS
                and (
                    _is_label(lines[context_start - 1])
                    or _UNIT.search(lines[context_start - 1])
                    or lines[context_start - 1].endswith(":")
                )
            ):
                context_start -= 1
            spans.append((context_start, start, end))
            i = end
        else:
            i = max(end, i + 1)
    return spans


def _table_block(context: list[str], rows: list[str]) -> Block:
    header = [line for line in rows[:3] if line_kind(line) == "header"]
    body = rows if not header else [line for line in rows if line not in header[:1]]
    return Block("table", "\n".join(body), "\n".join([*context, *header[:1]]))


# ---- running text ---------------------------------------------------------------------------


def _join(left: str, right: str, left_had_space: bool) -> str:
    """Join a wrapped line to the next: a trailing space in the source means a word break."""
    if not left:
        return right
    if left.endswith("-") and len(left) > 1:
        before = re.search(r"([A-Za-z]+)-$", left)
        after = re.match(r"[a-z]+", right)
        # `effec-\ntive` -> `effective`; `Text-\nto-Video` keeps its hyphen.
        if before and after and before.group(1).islower():
            return left[:-1] + right
        return left + right
    if left_had_space:
        return f"{left} {right}"
    last, first = left[-1], right[:1]
    if last in ".!?,;:)]}”’。" and first not in ".,;:)]}":
        return f"{left} {right}"
    if _LATIN_OR_DIGIT.match(last) and _LATIN_OR_DIGIT.match(first):
        return f"{left} {right}"
    if _HANGUL.match(last) and _HANGUL.match(first):
        return left + _KOREAN_JOIN + right  # word break or not: Kiwi decides (_resolve_korean_joins)
    if _HANGUL.match(last) or _HANGUL.match(first) or last in "(/-" or first in ").,:;/-":
        return left + right
    return f"{left} {right}"


def _resolve_korean_joins(blocks: list[Block]) -> list[Block]:
    """Replace every Korean line-join mark by a space or nothing, one Kiwi call per page."""
    pairs: list[tuple[str, str]] = []
    for block in blocks:
        pieces = block.text.split(_KOREAN_JOIN)
        pairs += [(pieces[i], pieces[i + 1]) for i in range(len(pieces) - 1)]
    if not pairs:
        return blocks
    answers = iter(tokens.korean_word_breaks(pairs))
    resolved = []
    for block in blocks:
        pieces = block.text.split(_KOREAN_JOIN)
        text = pieces[0]
        for piece in pieces[1:]:
            text += (" " if next(answers) else "") + piece
        resolved.append(Block(block.kind, text, block.context))
    return resolved


def page_blocks(text: str, running: set[str] | frozenset[str] = frozenset(), *, markdown: bool = True) -> list[Block]:
    """Blocks of one page in reading order. `markdown`: `# Title` lines are headings (plain
    text input); off for PDFs, where a line starting with "#" is a footnote mark."""
    blocks: list[Block] = []
    current = ""
    current_space = False

    def flush() -> None:
        nonlocal current
        cleaned = re.sub(r"[ \t\u00a0\u3000]+", " ", current).strip()
        if cleaned:
            blocks.append(Block("text", cleaned))
        current = ""

    raw_lines = clean_text(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[tuple[str, bool]] = []  # (stripped line, had a trailing space)
    for raw in raw_lines:
        line = _PRIVATE_RUN.sub(" ", raw).strip()
        if not line:
            kept.append(("", False))
            continue
        if _is_noise(line) or (running and _normalise_for_repeat(line) in running):
            continue
        kept.append((line, raw.endswith((" ", "\t", "\u3000"))))

    lines = [line for line, _ in kept]
    # A contents page lists every heading: none of them starts a section here.
    headings_allowed = sum(is_heading(line, markdown=markdown) for line in lines) < _TOC_MIN_HEADINGS
    tables = {start: (context_start, end) for context_start, start, end in _table_spans(lines)}
    table_at = {context_start: (start, end) for start, (context_start, end) in tables.items()}
    previous_ended = True  # start of page: a heading may open it
    i = 0
    while i < len(kept):
        if i in table_at:
            start, end = table_at[i]
            flush()
            blocks.append(_table_block(lines[i:start], lines[start:end]))
            previous_ended = True
            i = end
            continue
        line, had_space = kept[i]
        i += 1
        if not line:
            flush()  # a blank line ends a paragraph (plain text input; PDFium rarely emits them)
            previous_ended = True
            continue
        if headings_allowed and is_heading(line, markdown=markdown) and (previous_ended or not current):
            flush()
            blocks.append(Block("heading", line.lstrip("#").strip() if markdown else line))
            previous_ended = True
            continue
        if _CAPTION.match(line):
            flush()
            blocks.append(Block("caption", line))
            previous_ended = True
            continue
        current = _join(current, line, current_space)
        current_space = had_space
        previous_ended = bool(_SENTENCE_END.search(line)) or line.endswith(":")
    flush()
    return _resolve_korean_joins(blocks)


def document_blocks(pages: list[str], *, markdown: bool = False) -> list[list[Block]]:
    """Blocks per page (index 0 = page 1), with lines repeated across pages removed."""
    lines = [[_PRIVATE_RUN.sub(" ", line).strip() for line in clean_text(page).split("\n")] for page in pages]
    running = running_lines(lines)
    return [page_blocks(page, running, markdown=markdown) for page in pages]
