"""Markdown -> blocks, tables and the sources list."""

from finscribe_orchestrator.assembly import markdown_blocks, sources_section, table_markdown


def test_blocks_with_citations() -> None:
    md = "첫 문단 [1].\n둘째 줄 [2]\n\n- 항목 [3]\n- 항목2\n\n### 소제목\n\n> 인용 [1]"
    blocks = markdown_blocks(md)
    assert [b["type"] for b in blocks] == ["paragraph", "bullets", "heading", "quote"]
    assert blocks[0]["citations"] == [1, 2] and blocks[1]["items"] == ["항목 [3]", "항목2"]
    assert blocks[2]["level"] == 4 and blocks[3]["citations"] == [1]


def test_sources_and_tables() -> None:
    blocks, md = sources_section(
        [{"n": 1, "provider": "DART", "title": "반기보고서", "url": "u", "as_of": "2024-08-14"}]
    )
    assert blocks[1]["items"] == ["[1] DART · 반기보고서 (기준일 2024-08-14) u"] and md.startswith("## 출처")
    assert table_markdown(["a", "b"], [["1|2", "3"]]) == "| a | b |\n|---|---|\n| 1\\|2 | 3 |"
