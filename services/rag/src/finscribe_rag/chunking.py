"""Chunk clean blocks by structure: a heading starts a new chunk, sentences (Korean endings
such as 다. 요. 음. included) are packed to a target size, and neighbours overlap by whole
sentences; a table is cut between rows, and every chunk of it starts with the table's
title, unit and column header. A chunk never spans two pages, so every hit quotes exactly
one page."""

import re
from dataclasses import dataclass

from finscribe_rag.cleaning import Block, line_kind, row_label

# A sentence ends at . ! ? (and their full-width forms) followed by white space, when the
# character before is a letter (Hangul endings 다. 요. 음. 함. 됨., Latin words) or a
# closing bracket/quote -- not after a digit, so "2.1. 개요" and "2.8%" stay whole.
_SENTENCE_BREAK = re.compile(r"(?<=[\uac00-\ud7a3A-Za-z)\]”’\"'][.!?])\s+|(?<=[。？！])\s*|(?<=[?!])\s+")
_WHITESPACE = re.compile(r"\s+")


# What a financial statement is called in questions, by statement: indexed with every chunk
# of a statement table so "capital expenditure", "largest liability" or "유동비율" find the
# statement page whose rows say "Purchases of property, plant and equipment" or "유동자산".
_STATEMENTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"balance\s+sheets?|financial\s+position|재무상태표|대차대조표", re.I),
        "balance sheet: assets, liabilities, equity, working capital, current ratio, quick ratio, liquidity, debt "
        "재무상태표 자산 부채 자본 유동비율 부채비율",
    ),
    (
        re.compile(r"cash\s+flows?|현금흐름표", re.I),
        "cash flow statement: operating, investing, financing activities, capital expenditure, capex, "
        "free cash flow, depreciation and amortization, dividends paid 현금흐름표 영업활동 투자활동 재무활동",
    ),
    (
        re.compile(
            r"statements?\s+of\s+(?:consolidated\s+)?(?:income|operations|earnings)|income\s+statements?|"
            r"손익계산서",
            re.I,
        ),
        "income statement: revenue, net sales, cost of sales, gross margin, operating income, operating margin, "
        "net income, EBIT, EBITDA, earnings per share, effective tax rate 손익계산서 매출액 영업이익 당기순이익",
    ),
    (
        re.compile(r"comprehensive\s+income|포괄손익", re.I),
        "comprehensive income statement 포괄손익계산서",
    ),
    (
        re.compile(r"(?:shareholders|stockholders)['’]?\s+equity|changes\s+in\s+equity|자본변동표", re.I),
        "statement of equity: share repurchases, dividends, retained earnings 자본변동표",
    ),
)


def statement_terms(context: str) -> str:
    """The question vocabulary of the statement a table's title names ("" for other tables)."""
    return " ".join(terms for pattern, terms in _STATEMENTS if pattern.search(context))


@dataclass(frozen=True)
class Chunk:
    text: str
    page: int  # 1-based
    position: int  # order within the document, from 0
    section: str | None  # the heading in force where the chunk starts (metadata, not indexed)
    kind: str = "text"  # "text" or "table"
    terms: str = ""  # table: the statement's question vocabulary, indexed with the text, not shown

    @property
    def indexed(self) -> str:
        """What BM25 sees: the text, plus a statement's vocabulary."""
        return f"{self.text}\n{self.terms}" if self.terms else self.text

    @property
    def embedded(self) -> str:
        """What the embedding model sees (`embedding_text`)."""
        return embedding_text(self.text, self.kind, self.terms)


def embedding_text(text: str, kind: str, terms: str = "") -> str:
    """The text a chunk is embedded as. A table: its title, unit, column header and row labels
    without the numeric cells, plus a statement's vocabulary — a short text rendering, since
    columns of numbers only blur a sentence embedding (and cost tokens); BM25 still indexes
    the numbers. Other chunks: their text plus `terms`."""
    if kind == "table":
        labels = [label for label in (row_label(line) for line in text.split("\n")) if label]
        text = "\n".join(labels)
    return f"{text}\n{terms}" if terms else text


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_BREAK.split(text) if s and s.strip()]


def table_pieces(block: Block, target: int, context: str | None = None) -> list[str]:
    """A table's rows packed to `target` characters, each piece headed by the table's context
    (`context`, default the block's own: title, unit, column header)."""
    head = (block.context if context is None else context).strip()
    budget = max(target - len(head), target // 2)
    pieces: list[str] = []
    rows: list[str] = []
    size = 0
    for row in block.text.split("\n"):
        if rows and size + len(row) + 1 > budget:
            pieces.append("\n".join(rows))
            rows, size = [], 0
        rows.append(row)
        size += len(row) + 1
    if rows:
        pieces.append("\n".join(rows))
    return [f"{head}\n{piece}" if head else piece for piece in pieces]


def _hard_split(sentence: str, limit: int) -> list[str]:
    """A run-on 'sentence' (tables, reference lists) is cut at spaces near the limit."""
    pieces: list[str] = []
    rest = sentence
    while len(rest) > limit:
        cut = rest.rfind(" ", limit // 2, limit)
        cut = cut if cut > 0 else limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces


class _Packer:
    def __init__(self, target: int, overlap: int) -> None:
        self.target = target
        self.overlap = overlap
        self.sentences: list[str] = []
        self.size = 0
        self.fresh = 0  # sentences not carried over from the previous chunk

    def add(self, sentence: str) -> str | None:
        """Adds a sentence; returns a finished chunk when the target would be exceeded."""
        finished = None
        if self.fresh and self.size + len(sentence) + 1 > self.target:
            finished = self._emit(carry=True)
        self.sentences.append(sentence)
        self.size += len(sentence) + 1
        self.fresh += 1
        return finished

    def _emit(self, carry: bool) -> str:
        text = " ".join(self.sentences)
        kept: list[str] = []
        if carry and self.overlap:
            budget = self.overlap
            for sentence in reversed(self.sentences):
                if len(sentence) > budget:
                    break
                kept.insert(0, sentence)
                budget -= len(sentence) + 1
        self.sentences = kept
        self.size = sum(len(s) + 1 for s in kept)
        self.fresh = 0
        return text

    def close(self) -> str | None:
        if not self.fresh:
            return None
        return self._emit(carry=False)


def _titled(context: str) -> bool:
    """Whether a table's context has a line other than its column header (a title or unit)."""
    return any(line.strip() and line_kind(line) != "header" for line in context.split("\n"))


def chunk_pages(
    pages: list[list[Block]],
    *,
    target: int,
    overlap: int,
    first_page: int = 1,
) -> list[Chunk]:
    chunks: list[Chunk] = []
    section: str | None = None
    min_tail = target // 4
    carried = ""  # statement vocabulary of the last table, for its continuation on the next page
    carried_context = ""  # and its title / unit / column header lines

    for offset, blocks in enumerate(pages):
        page = first_page + offset
        packer = _Packer(target, overlap)
        items: list[tuple[str, str | None, str, str]] = []  # (text, section, kind, terms) in page order
        chunk_section = section

        def push(text: str | None, chunk_section: str | None, items: list = items) -> None:
            if text:
                items.append((_WHITESPACE.sub(" ", text).strip(), chunk_section, "text", ""))

        for block in blocks:
            if block.kind == "table":
                push(packer.close(), chunk_section)
                packer = _Packer(target, overlap)
                chunk_section = section
                terms = statement_terms(block.context)
                context = block.context
                first_on_page = not any(kind == "table" for _, _, kind, _ in items)
                if not terms and (first_on_page or not _titled(block.context)):
                    # A statement continued from the previous page, or from a table block of
                    # its own on this page that a wrapped line of prose-like text interrupted,
                    # under no title of its own: its rows get the statement's title, unit and
                    # years, so "Total current liabilities 4,476 5,103" on page 2 of a balance
                    # sheet still says which statement and which column is which year. (The
                    # first block of a page may carry a running line as its "title".)
                    terms = carried
                    if terms:
                        known = carried_context.split("\n")
                        own = [line for line in block.context.split("\n") if line and line not in known]
                        context = "\n".join([carried_context, *own])
                carried = terms
                carried_context = context if terms else ""
                items.extend((piece, section, "table", terms) for piece in table_pieces(block, target, context))
                continue
            if block.kind == "heading":
                carried = carried_context = ""  # a heading ends the statement: what follows is not its rows
                push(packer.close(), chunk_section)
                packer = _Packer(target, overlap)
                section = block.text
                chunk_section = section
                continue
            for sentence in split_sentences(block.text):
                for piece in _hard_split(sentence, target):
                    done = packer.add(piece)
                    if done:
                        push(done, chunk_section)
                        chunk_section = section
        push(packer.close(), chunk_section)

        # A short tail joins the text chunk just before it instead of standing alone. A tail
        # under a new heading, or after a table, stays apart.
        if len(items) >= 2:
            (previous, previous_section, previous_kind, _), (tail, tail_section, tail_kind, _) = items[-2], items[-1]
            mergeable = previous_kind == tail_kind == "text" and previous_section == tail_section
            if mergeable and len(tail) < min_tail:
                items.pop()
                if not previous.endswith(tail):
                    items[-1] = (f"{previous} {tail}", previous_section, "text", "")
        if not any(kind == "table" for _, _, kind, _ in items):
            carried = carried_context = ""  # a page without tables ends the statement
        for text, chunk_section, kind, terms in items:
            chunks.append(
                Chunk(text=text, page=page, position=len(chunks), section=chunk_section, kind=kind, terms=terms)
            )
    return chunks
