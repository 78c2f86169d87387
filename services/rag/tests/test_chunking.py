import itertools

from finscribe_rag.chunking import chunk_pages, embedding_text, split_sentences, statement_terms
from finscribe_rag.cleaning import Block, document_blocks


def test_korean_sentence_endings() -> None:
    text = "모델을 선정한다. 좋아요. 손실은 크지 않음. 2.8% 증가했다! 그렇습니까? 2.1. 절은 나뉘지 않는다."
    assert split_sentences(text) == [
        "모델을 선정한다.",
        "좋아요.",
        "손실은 크지 않음.",
        "2.8% 증가했다!",
        "그렇습니까?",
        "2.1. 절은 나뉘지 않는다.",
    ]


def test_chunks_respect_target_size_pages_and_order(paper_pages: list[str]) -> None:
    pages = paper_pages
    chunks = chunk_pages(document_blocks(pages), target=600, overlap=120)
    assert 60 < len(chunks) < 200
    assert [c.position for c in chunks] == list(range(len(chunks)))
    assert {c.page for c in chunks} <= set(range(1, 29))
    assert [c.page for c in chunks] == sorted(c.page for c in chunks)
    # a chunk holds whole sentences; only a tail merged into its neighbour can pass the target
    assert max(len(c.text) for c in chunks) <= 600 * 1.5
    # every chunk's text is on the page it claims
    flat = [" ".join(b.text for b in blocks) for blocks in document_blocks(pages)]
    for chunk in chunks:
        assert chunk.text[:40] in flat[chunk.page - 1]


def test_heading_starts_a_chunk_and_labels_it() -> None:
    body = "가나다라마바사 문장이다. " * 30
    pages = [[Block("text", body), Block("heading", "3.2.2. 하이퍼파라미터 조정"), Block("text", "학습률은 중요하다.")]]
    chunks = chunk_pages(pages, target=200, overlap=40)
    last = chunks[-1]
    assert last.section == "3.2.2. 하이퍼파라미터 조정"
    assert last.text == "학습률은 중요하다."
    assert all(c.section is None for c in chunks[:-1])


def test_neighbouring_chunks_overlap_by_whole_sentences() -> None:
    sentences = [f"{i}번째 문장은 금융 데이터를 다룬다." for i in range(1, 30)]
    chunks = chunk_pages([[Block("text", " ".join(sentences))]], target=120, overlap=40)
    assert len(chunks) > 3
    for first, second in itertools.pairwise(chunks):
        last_sentence = split_sentences(first.text)[-1]
        assert second.text.startswith(last_sentence)


def test_a_chunk_never_spans_pages() -> None:
    pages = [[Block("text", "첫 페이지의 문장이다.")], [Block("text", "둘째 페이지의 문장이다.")]]
    chunks = chunk_pages(pages, target=500, overlap=50, first_page=5)
    assert [(c.page, c.text) for c in chunks] == [(5, "첫 페이지의 문장이다."), (6, "둘째 페이지의 문장이다.")]


def test_every_chunk_of_a_table_repeats_its_title_unit_and_header() -> None:
    rows = [f"Line item number {i} {1000 + i:,} {900 + i:,} {800 + i:,}" for i in range(40)]
    context = "Consolidated Balance Sheets\n(Millions) 2022 2021 2020"
    pages = [[Block("text", "Intro sentence."), Block("table", "\n".join(rows), context), Block("text", "After.")]]
    chunks = chunk_pages(pages, target=400, overlap=80)
    tables = [c for c in chunks if c.kind == "table"]
    assert len(tables) >= 4
    assert all(c.text.startswith(context + "\n") for c in tables)
    # every row lands in exactly one chunk, in order, and no chunk outgrows the target much
    body = [line for c in tables for line in c.text.split("\n")[2:]]
    assert body == rows
    assert max(len(c.text) for c in tables) <= 400 + len(context)
    # the table stays where it stood on the page
    assert [c.kind for c in chunks] == ["text", *["table"] * len(tables), "text"]
    assert [c.position for c in chunks] == list(range(len(chunks)))


def test_section_is_metadata_and_not_in_the_text() -> None:
    pages = [[Block("heading", "ITEM 7. MANAGEMENT'S DISCUSSION"), Block("text", "Revenue rose.")]]
    chunks = chunk_pages(pages, target=200, overlap=40)
    assert [(c.text, c.section) for c in chunks] == [("Revenue rose.", "ITEM 7. MANAGEMENT'S DISCUSSION")]


def test_statement_tables_carry_the_statement_vocabulary_on_continued_pages() -> None:
    rows = "\n".join(f"Line item {i} {100 + i:,} {90 + i:,}" for i in range(5))
    pages = [
        [Block("table", rows, "Consolidated Statements of Cash Flows\n(Millions) 2022 2021")],
        [Block("table", rows, "(Millions) 2022 2021")],  # the statement continues, no title
        [Block("text", "Notes follow.")],
        [Block("table", rows, "(Millions) 2022 2021")],  # an untitled table after text: not a statement
    ]
    chunks = chunk_pages(pages, target=600, overlap=120)
    assert "capital expenditure" in chunks[0].terms and chunks[0].terms == chunks[1].terms
    assert chunks[0].indexed == f"{chunks[0].text}\n{chunks[0].terms}"
    assert "capital expenditure" not in chunks[0].text  # shown text is the page's own
    assert chunks[3].terms == "" and chunks[3].indexed == chunks[3].text
    # the continued page's rows carry the statement's title, unit and years; the untitled
    # table after text keeps only its own context
    assert chunks[1].text.startswith("Consolidated Statements of Cash Flows\n(Millions) 2022 2021\nLine item 0")
    assert chunks[3].text.startswith("(Millions) 2022 2021\nLine item 0")
    assert statement_terms("연결 재무상태표") and "유동비율" in statement_terms("연결 재무상태표")
    assert statement_terms("Selected quarterly data") == ""


def test_tables_are_embedded_as_a_short_rendering_and_indexed_whole() -> None:
    context = (
        "Consolidated Statements of Cash Flows\n$ in millions\nFiscal Years Ended January 28, 2023 January 29, 2022"
    )
    rows = "Operating activities\nNet earnings $ 1,419 $ 2,454\nDepreciation and amortization 918 869"
    chunk = chunk_pages([[Block("table", rows, context)]], target=600, overlap=120)[0]
    assert chunk.kind == "table" and "capital expenditure" in chunk.terms
    assert chunk.embedded == (
        f"{context}\nOperating activities\nNet earnings\nDepreciation and amortization\n{chunk.terms}"
    )
    assert "1,419" in chunk.indexed and "1,419" not in chunk.embedded  # BM25 keeps the numbers
    assert embedding_text("Revenue grew 12% to $5 billion.", "text", "") == "Revenue grew 12% to $5 billion."


def test_a_statement_interrupted_on_its_page_keeps_its_title_in_every_block() -> None:
    # The American Express 2022 10-K balance sheet (page 98): a wrapped row label splits it
    # into table blocks on one page; the later blocks, which hold the liabilities, have no
    # title of their own.
    first = "\n".join(
        [
            "Cash and due from banks $ 5,510 $ 1,292",
            "Total cash and cash equivalents 33,914 22,028",
            "Investments 307 188",
        ]
    )
    later = "\n".join(
        [
            "Customer deposits $ 110,239 $ 84,382",
            "Accounts payable 12,133 10,574",
            "Total liabilities $ 203,643 $ 166,371",
        ]
    )
    title = "CONSOLIDATED BALANCE SHEETS\nDecember 31 (Millions, except share data) 2022 2021"
    page = [
        Block("table", first, title),
        Block("text", "Card Member receivables (includes gross receivables of a consolidated entity)"),
        Block("table", later, ""),
        Block("heading", "Note 5. Loans"),
        Block("table", later, ""),  # after a heading: another table, not the statement's rows
    ]
    chunks = chunk_pages([page], target=600, overlap=120)
    tables = [c for c in chunks if c.kind == "table"]
    assert len(tables) == 3
    assert "liabilities" in tables[1].terms and tables[1].text.startswith(title + "\nCustomer deposits")
    assert tables[2].terms == "" and tables[2].text.startswith("Customer deposits")
    # an untitled block's header-only context (years) still counts as untitled
    titled = chunk_pages(
        [[Block("table", first, title), Block("text", "x " * 5), Block("table", later, "2022 2021")]],
        target=600,
        overlap=120,
    )
    assert titled[-1].terms == tables[1].terms
