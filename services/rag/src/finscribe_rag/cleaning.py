"""Turn raw page text into clean blocks: no running headers/footers, page numbers or
rules, words re-joined across line wraps and hyphenation, headings kept apart."""

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "caption", "text"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
# Private-use glyphs (decorative rules drawn with a symbol font) and dot leaders.
_DECORATION = re.compile(r"^[\ue000-\uf8ff\U000f0000-\U000fffff\u2024\u2025\u2026\u00b7\u30fb\uff65._\-=~*·•\s]+$")
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*[-–—])?$|^(?:page|p\.)\s*\d{1,4}$", re.I)
# "1. 개요", "2.1.1. LLM 동향", "Ⅱ. 본론", "제3장 ..." -- but not "30.4.001" (a DOI piece).
_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.\s+|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,4}\.\s*|제\s*\d{1,2}\s*[장절]\s*)\S")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+\S")
# A caption is `<그림 2> Title`; `<표 1>은 ...` (a particle right after) is a reference in running text.
_CAPTION = re.compile(r"^[<〈《\[]\s*(?:그림|표|Figure|Fig\.|Table)\s*\d+(?:[-.]\d+)?\s*[>〉》\]](?:\s|$)", re.I)
_SENTENCE_END = re.compile(r"[.!?。？！]['\"”’)\]]?$")
_HEADING_MAX_CHARS = 70
_EDGE_LINES = 3  # lines at the top and bottom of a page that may be running headers/footers


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


def is_heading(line: str) -> bool:
    stripped = line.strip()
    if len(stripped) > _HEADING_MAX_CHARS:
        return False
    if _MARKDOWN_HEADING.match(stripped):
        return True
    return bool(_NUMBERED_HEADING.match(stripped)) and not _SENTENCE_END.search(stripped)


def _join(left: str, right: str, left_had_space: bool) -> str:
    """Join a wrapped line to the next: pypdf keeps a trailing space where the source had one."""
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
    if _HANGUL.match(last) or _HANGUL.match(first) or last in "(/-" or first in ").,:;/-":
        return left + right
    return f"{left} {right}"


def page_blocks(text: str, running: set[str] | frozenset[str] = frozenset()) -> list[Block]:
    blocks: list[Block] = []
    current = ""
    current_space = False

    def flush() -> None:
        nonlocal current
        cleaned = re.sub(r"[ \t\u00a0\u3000]+", " ", current).strip()
        if cleaned:
            blocks.append(Block("text", cleaned))
        current = ""

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        had_space = raw.endswith((" ", "\t", "\u3000"))
        line = raw.strip()
        if not line:
            flush()  # a blank line ends a paragraph (plain text input; pypdf rarely emits them)
            continue
        if _is_noise(line) or (running and _normalise_for_repeat(line) in running):
            continue
        if is_heading(line):
            flush()
            blocks.append(Block("heading", line.lstrip("#").strip()))
            continue
        if _CAPTION.match(line):
            flush()
            blocks.append(Block("caption", line))
            continue
        current = _join(current, line, current_space)
        current_space = had_space
    flush()
    return blocks


def document_blocks(pages: list[str]) -> list[list[Block]]:
    """Blocks per page (index 0 = page 1), with lines repeated across pages removed."""
    lines = [page.replace("\r\n", "\n").split("\n") for page in pages]
    running = running_lines(lines)
    return [page_blocks(page, running) for page in pages]
