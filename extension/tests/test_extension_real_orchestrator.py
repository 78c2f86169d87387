"""The extension against the real orchestrator (see conftest.real_stack): a draft written by
the real LangGraph graph from replayed KRX/DART/Yahoo data and the scripted LLM, inserted
into the fake Docs document; and a rewrite of a chosen paragraph.

The draft's text is produced by the graph, so instead of a hand-written body this test
reads the document the fake Docs API holds after the batch (applied by the documented Docs
body model, tests/docs-model/) and checks that every heading, superscript citation and bold
run landed on the text it is meant for.
"""

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from finscribe_testkit.common.fixtures import fixture_path

from .conftest import USER_EMAIL, USER_SUB

pytestmark = pytest.mark.browser


def paragraphs(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every paragraph of a documents.get answer, table cells included, in document order."""
    out: list[dict[str, Any]] = []
    for element in document["body"]["content"]:
        if "paragraph" in element:
            out.append(element)
        for row in element.get("table", {}).get("tableRows", []):
            for cell in row["tableCells"]:
                out.extend(paragraphs({"body": {"content": cell["content"]}}))
    return out


def text_of(paragraph: dict[str, Any]) -> str:
    return "".join(e.get("textRun", {}).get("content", "") for e in paragraph["paragraph"]["elements"]).rstrip("\n")


def gateway_get(stack, path: str) -> Any:
    token = stack.google.id_token(sub=USER_SUB, email=USER_EMAIL)
    response = httpx.get(f"{stack.gateway_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def plain(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text)


def test_a_real_draft_is_inserted_with_every_style_on_its_text(real_browser, real_stack, artifacts_dir):
    panel = real_browser.panel
    panel.click("#sign-in")
    expect(panel.locator("#account")).to_have_text(USER_EMAIL)
    expect(panel.locator("#paragraph option")).to_have_count(4)

    panel.select_option("#kind", "draft")
    panel.fill("#prompt", "삼성전자 보고서를 써줘")
    panel.fill("#company", "삼성전자")
    panel.select_option("#length", "short")
    panel.fill("#as_of", "2024-12-30")
    panel.click("#run")
    panel.wait_for_selector("#result:not([hidden])", timeout=60_000)
    steps = panel.locator("#steps li").evaluate_all("items => items.map(i => [i.dataset.name, i.dataset.status])")
    assert ["outline", "done"] in steps, steps
    assert any(name.startswith("section:") and status == "done" for name, status in steps), steps
    assert real_stack.llm.calls.get("outline") == 1 and real_stack.llm.calls.get("section", 0) >= 2
    panel.screenshot(path=str(artifacts_dir / "extension-panel-real-orchestrator.png"), full_page=True)

    sessions = gateway_get(real_stack, "/v1/sessions")["items"]
    runs = gateway_get(real_stack, f"/v1/sessions/{sessions[0]['session_id']}/runs")["items"]
    result = gateway_get(real_stack, f"/v1/runs/{runs[0]['run_id']}")["result"]
    citations = {c["n"]: c for c in result["citations"]}
    assert citations, "the graph cites its data"

    panel.click("#insert-end")
    expect(panel.locator("#status")).to_have_text("문서 끝에 삽입했습니다.", timeout=20_000)
    body = real_stack.web.batch_updates[-1]
    assert body["writeControl"] == {"requiredRevisionId": "rev-1"}

    document = real_stack.web.document
    paras = paragraphs(document)
    assert [text_of(p) for p in paras[:3]] == ["시장 메모", "KOSPI는 상승했다.", "끝."]

    # the key-figures table is followed by the charts heading: written after its closing unit
    content = document["body"]["content"]
    tables = [i for i, e in enumerate(content) if "table" in e]
    assert [b["type"] for b in result["blocks"]].count("table") == len(tables) >= 1
    for i in tables:
        assert content[i + 1]["startIndex"] == content[i]["endIndex"] and "paragraph" in content[i + 1]

    headings = [b["text"] for b in result["blocks"] if b["type"] == "heading"]
    styled_headings = [
        text_of(p) for p in paras[3:] if p["paragraph"]["paragraphStyle"]["namedStyleType"].startswith("HEADING_")
    ]
    superscripts = 0
    for p in paras[3:]:
        assert "alignment" not in p["paragraph"]["paragraphStyle"] or p["paragraph"]["elements"][0].get(
            "inlineObjectElement"
        ), "only chart paragraphs are centred"
        for element in p["paragraph"]["elements"]:
            run = element.get("textRun")
            if not run:
                continue
            style = run["textStyle"]
            if style.get("baselineOffset") == "SUPERSCRIPT":
                n = int(re.fullmatch(r"\[(\d+)\]", run["content"]).group(1))
                assert style.get("link", {}).get("url") == citations[n]["url"]
                superscripts += 1
            if style.get("bold"):
                assert run["content"].strip() and "\n" not in run["content"]
    # every heading of the result (capped at HEADING_3), then the linked sources list
    assert [plain(h) for h in headings if h != "출처"] + ["출처"] == styled_headings
    assert superscripts >= 1
    images = [r["insertInlineImage"]["uri"] for r in body["requests"] if "insertInlineImage" in r]
    assert all(uri.startswith(f"{real_stack.gateway_url}/v1/charts/") for uri in images)
    assert len(images) == len(result["charts"])


def test_a_real_rewrite_replaces_the_chosen_paragraph(real_browser, real_stack):
    panel = real_browser.panel
    panel.select_option("#paragraph", label="¶ KOSPI는 상승했다.")
    panel.select_option("#kind", "rewrite")
    panel.select_option("#mode", "polish")
    panel.click("#run")
    panel.wait_for_selector("#result:not([hidden])", timeout=60_000)
    revision = real_stack.web.document["revisionId"]
    panel.click("#replace")
    panel.click("#replace-confirm")
    expect(panel.locator("#status")).to_have_text("문단을 바꿨습니다.")
    # the scripted editor returns the text unchanged: the body is exactly the replacement
    assert real_stack.web.batch_updates[-1] == {
        "requests": [
            {"deleteContentRange": {"range": {"startIndex": 7, "endIndex": 19}}},
            {"insertText": {"text": "KOSPI는 상승했다.", "location": {"index": 7}}},
            {
                "updateTextStyle": {
                    "range": {"startIndex": 7, "endIndex": 19},
                    "textStyle": {},
                    "fields": "backgroundColor,baselineOffset,bold,fontSize,foregroundColor,italic,link,smallCaps,"
                    "strikethrough,underline,weightedFontFamily",
                }
            },
        ],
        "writeControl": {"requiredRevisionId": revision},
    }


def test_a_chart_from_an_uploaded_csv_is_drawn_by_the_real_graph_and_inserted(real_browser, real_stack):
    panel = real_browser.panel
    panel.click("#tab-files")
    csv = fixture_path("yahoo_005930.KS_close_2024.csv")
    panel.set_input_files("#file-input", str(csv))
    panel.wait_for_selector("#file-list li .badge[data-status='stored']", timeout=30_000)
    panel.click("#tab-write")
    panel.select_option("#kind", "chart")
    panel.fill("#prompt", "2024년 종가 추이")
    panel.select_option("#file_id", label=csv.name)
    panel.click("#run")
    panel.wait_for_selector("#result:not([hidden])", timeout=60_000)
    assert panel.locator("#error").is_hidden()
    wait_for_image = panel.locator("#result-body img").first
    wait_for_image.wait_for(timeout=10_000)
    src = wait_for_image.get_attribute("src")
    assert src.startswith(f"{real_stack.gateway_url}/v1/charts/")
    assert httpx.get(src, timeout=10).headers["content-type"] == "image/png"
    # a chart result (heading, chart, table, sources) has no text to replace a paragraph with
    panel.select_option("#paragraph", label="¶ 끝.")
    assert panel.locator("#replace").is_disabled()

    panel.click("#insert-end")
    expect(panel.locator("#status")).to_have_text("문서 끝에 삽입했습니다.", timeout=20_000)
    requests = real_stack.web.batch_updates[-1]["requests"]
    images = [r["insertInlineImage"] for r in requests if "insertInlineImage" in r]
    assert len(images) == 1 and images[0]["uri"].startswith(f"{real_stack.gateway_url}/v1/charts/")
