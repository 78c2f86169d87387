from finscribe_rag.cleaning import document_blocks, is_heading, page_blocks, running_lines


def test_running_heads_page_numbers_and_rules_are_removed(paper_pages: list[str]) -> None:
    pages = paper_pages
    running = running_lines([p.split("\n") for p in pages])
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
