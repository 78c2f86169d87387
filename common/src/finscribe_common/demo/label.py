"""The demo label: `demo: true` on a result and a one-line notice at the top of its markdown
and of its blocks (the blocks are what the extension writes into Google Docs), so nothing
made from the recordings can be mistaken for live data."""

from typing import Any

DEMO_NOTICE = "데모: 기록된 공시 데이터(2024-2026)로 작성"
DEMO_NOTICE_EN = "Demo: written from recorded filings data (2024-2026)"
DEMO_NOTICES = {"ko": DEMO_NOTICE, "en": DEMO_NOTICE_EN}  # by the document's language
DEMO_MARKDOWN = f"> {DEMO_NOTICE}"


def _notice_line(markdown: str) -> bool:
    return any(markdown.startswith(f"> {notice}") for notice in DEMO_NOTICES.values())


def is_labelled(result: dict[str, Any]) -> bool:
    """True when the result carries every part of the label."""
    blocks = result.get("blocks")
    first_block = blocks[0] if isinstance(blocks, list) and blocks else None
    return (
        result.get("demo") is True
        and _notice_line(str(result.get("markdown", "")))
        and isinstance(first_block, dict)
        and first_block.get("demo") is True
    )


def label_result(result: dict[str, Any], language: str = "ko") -> dict[str, Any]:
    """Label a run result (API.md `result`) in place and return it; labelling twice changes
    nothing (nor does labelling in the other language a result already labelled).

    - `demo`: true;
    - `markdown`: starts with the line `> 데모: …` (`language` `en`: `> Demo: …`; a blockquote,
      so it reads as a notice, not as part of the first section), then a blank line;
    - `blocks`: starts with `{"type": "quote", "text": <the notice>, "citations": [], "demo": true}`
      (a block type every client already renders; `demo` marks it for clients that style it).
    """
    notice = DEMO_NOTICES.get(language, DEMO_NOTICE)
    result["demo"] = True
    markdown = str(result.get("markdown") or "")
    if not _notice_line(markdown):
        result["markdown"] = f"> {notice}\n\n{markdown}" if markdown else f"> {notice}\n"
    blocks = result.get("blocks")
    if not isinstance(blocks, list):
        blocks = []
    if not (blocks and isinstance(blocks[0], dict) and blocks[0].get("demo") is True):
        blocks.insert(0, {"type": "quote", "text": notice, "citations": [], "demo": True})
    result["blocks"] = blocks
    return result
