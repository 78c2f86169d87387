from finscribe_rag.cleaning import (
    clean_text,
    document_blocks,
    is_heading,
    line_kind,
    page_blocks,
    row_label,
    running_lines,
)


def test_running_heads_page_numbers_and_rules_are_removed(paper_pages: list[str]) -> None:
    pages = paper_pages
    running = running_lines([[line.replace("\U000f080f", "").strip() for line in p.split("\n")] for p in pages])
    assert "정천수" in running  # the author's name heads every even page
    blocks = document_blocks(pages)
    page3 = " ".join(b.text for b in blocks[2])
    assert "\U000f080f" not in page3  # the decorative rule drawn with a private-use glyph
    assert not page3.startswith("도메인 특화 LLM: Mistral 7B를 활용한")  # the running title
    assert "95" not in page3.split()  # the printed page number


def test_wrapped_korean_words_are_joined_without_a_space(paper_pages: list[str]) -> None:
    pages = paper_pages
    text = " ".join(b.text for b in document_blocks(pages)[0])
    # In the PDF these words are split across lines: "프로" / "그래밍", "금" / "융권".
    assert "프로그래밍" in text
    assert "금융권에서도" in text
    # ...while a line that ended with a space keeps it.
    assert "기술의 발전으로" in text


def test_headings_and_captions_become_their_own_blocks() -> None:
    text = (
        "본문이 이어진다.\n2.1.1. LLM 동향 \n2023년부터 초거대AI 기술이 빠르게 발전하였다.\n"
        "<표 1> 최근 LLM 및 SLM 출시 현황\n"
    )
    blocks = page_blocks(text)
    assert [b.kind for b in blocks] == ["text", "heading", "text", "caption"]
    assert blocks[1].text == "2.1.1. LLM 동향"


def test_heading_rules() -> None:
    assert is_heading("1. 개요")
    assert is_heading("3.2.2. 하이퍼파라미터 조정")
    assert is_heading("# Markdown title")
    assert not is_heading("30.4.001")  # a DOI fragment
    assert not is_heading("11월에는 OpenAI에서 GPT-3에 인간 전문가 집")
    assert not is_heading("1. 이 문장은 마침표로 끝나는 목록 항목이다.")


def test_a_reference_to_a_table_is_not_a_caption() -> None:
    blocks = page_blocks("<표 1>은 2023년에 출시된 LLM 현황을 보여주고 있으며\n")
    assert [b.kind for b in blocks] == ["text"]


def test_hyphenation() -> None:
    blocks = page_blocks("the effec-\ntive rate and Text-\nto-Video models\n")
    assert blocks[0].text == "the effective rate and Text-to-Video models"


def test_control_characters_never_reach_a_block() -> None:
    # NUL comes back for the "ti" ligature of some fonts; the other controls are stray bytes.
    blocks = page_blocks("Sec\x00on 3 of the Com\x01pany\u200b report\x7f and\ufeff more words.\n")
    assert blocks[0].text == "Secon 3 of the Company report and more words."
    assert clean_text("a\x00b\x1fc\u0085d\tx\ny") == "abcd\tx\ny"


def test_wrapped_sentence_lines_and_footnote_marks_are_not_headings() -> None:
    text = (
        "Further information about the litigation is described in Note\n"
        "16. As discussed in Note 16, 3M\n"
        "is defending the claims.\n"
        "# Includes the effect of the divestiture\n"
    )
    blocks = page_blocks(text, markdown=False)
    assert [b.kind for b in blocks] == ["text"]
    assert "Note 16. As discussed in Note 16, 3M is defending" in blocks[0].text
    assert blocks[0].text.endswith("# Includes the effect of the divestiture")


def test_filing_headings() -> None:
    for line in ("PART II", "Item 7. Management's Discussion and Analysis", "ITEM 1A. RISK FACTORS", "NOTE 5. LEASES"):
        assert is_heading(line, markdown=False), line
    assert is_heading("PROVISIONS FOR CREDIT LOSSES", markdown=False)
    assert not is_heading("NYSE", markdown=False)
    assert not is_heading("Item 16. Form 10-K Summary 130", markdown=False)  # a contents line
    assert not is_heading("# 1 Refers to the note", markdown=False)


def test_a_contents_page_opens_no_section() -> None:
    lines = [f"Item {n}. Title number {n}" for n in range(1, 9)]
    blocks = page_blocks("\n".join(lines) + "\n", markdown=False)
    assert all(b.kind != "heading" for b in blocks)


STATEMENT = """3M Company and Subsidiaries
Consolidated Statement of Income
Years ended December 31
(Millions, except per share amounts) 2022 2021 2020
Net sales $ 34,229 $ 35,355 $ 32,184
Operating expenses
Cost of sales 19,232 18,795 16,605
Selling, general and administrative expenses 9,049 7,197 6,929
Gain on business divestitures (2,724) — (389)
Operating income 6,539 7,369 7,161
The accompanying Notes to Consolidated Financial Statements are an integral part of this statement.
"""


def test_a_statement_becomes_one_table_with_its_title_unit_and_header() -> None:
    blocks = page_blocks(STATEMENT, markdown=False)
    assert [b.kind for b in blocks] == ["table", "text"]
    table = blocks[0]
    assert table.context.split("\n") == [
        "3M Company and Subsidiaries",
        "Consolidated Statement of Income",
        "Years ended December 31",
        "(Millions, except per share amounts) 2022 2021 2020",
    ]
    assert table.text.split("\n")[0] == "Net sales $ 34,229 $ 35,355 $ 32,184"
    assert "Operating expenses" in table.text.split("\n")  # a label line stays inside
    assert blocks[1].text.startswith("The accompanying Notes")


def test_a_korean_statement_with_a_unit_line() -> None:
    text = (
        "연결 재무상태표\n(단위 : 백만원)\n제55기 제54기\n유동자산 218,470,581 195,936,557\n"
        "현금및현금성자산 69,080,893 49,680,710\n단기금융상품 22,690,924 65,102,886\n"
    )
    blocks = page_blocks(text, markdown=False)
    assert [b.kind for b in blocks] == ["table"]
    assert blocks[0].context == "연결 재무상태표\n(단위 : 백만원)\n제55기 제54기"


def test_prose_with_numbers_is_not_a_table() -> None:
    text = (
        "Revenue grew 12% in 2022 compared to 2021.\n"
        "Operating margin was 18.5% and net income rose to $5.4 billion.\n"
        "We repurchased 10 million shares for $1.2 billion.\n"
    )
    assert [b.kind for b in page_blocks(text, markdown=False)] == ["text"]


def test_date_headers_and_row_labels() -> None:
    # Best Buy 2023 10-K, statement of cash flows (PDFium's lines)
    header = "Fiscal Years Ended January 28, 2023 January 29, 2022 January 30, 2021"
    assert line_kind(header) == "header"
    assert row_label(header) == header
    assert row_label("Total cash provided by operating activities 1,824 3,252 4,927") == (
        "Total cash provided by operating activities"
    )
    assert row_label("Gain on divestitures (2,724) — (389)") == "Gain on divestitures"
    assert row_label("Operating expenses") == "Operating expenses"
    # a sentence with a date is not a header
    assert line_kind("The fiscal year ended on January 28, 2023.") == "other"


def test_a_wrapped_row_label_stays_in_its_table() -> None:
    # American Express 2022 10-K, page 98, as PDFium prints it: one row label over two lines,
    # the first longer than a label and without its cells.
    lines = [
        "CONSOLIDATED BALANCE SHEETS",
        "December 31 (Millions, except share data) 2022 2021",
        "Total cash and cash equivalents 33,914 22,028",
        "Investment securities 4,578 2,591",
        "Card Member receivables (includes gross receivables available to settle obligations of a consolidated "
        "variable interest entity: 2022, $5,193; 2021,",
        "$5,175), less reserves for credit losses: 2022, $229; 2021, $64 57,384 53,581",
        "Other loans 5,357 2,859",
        "Total assets $ 228,354 $ 188,548",
        "The Company's management is responsible for these statements. They were audited.",
    ]
    blocks = page_blocks("\n".join(lines))
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 1
    assert "Card Member receivables" in tables[0].text and "Total assets" in tables[0].text
    assert [b.kind for b in blocks][-1] == "text"  # the prose after it is not a row
