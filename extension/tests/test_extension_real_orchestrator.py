"""The extension against the real orchestrator (see conftest.real_stack): a draft written by
the real LangGraph graph from replayed KRX/DART/Yahoo data and the scripted LLM, inserted
into the fake Docs document; and a rewrite of a chosen paragraph.

The draft's text is produced by the graph, so instead of a hand-written body this test
applies the insertions of the received batchUpdate to a model of the document (UTF-16
units; a table and an image occupy the units the Docs API gives them) and checks that
every style request lands on the text it is meant for.
"""

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from finscribe_common.testing.fixtures import fixture_path

from .conftest import USER_EMAIL, USER_SUB, initial_document

pytestmark = pytest.mark.browser

TABLE, ROW, CELL, IMAGE, SECTION = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"


class DocModel:
    """The body of a document as UTF-16 code units, enough to replay insertions."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.units: list[bytes] = self._units(SECTION)
        for element in document["body"]["content"][1:]:
            for run in element["paragraph"]["elements"]:
                self.units += self._units(run["textRun"]["content"])

    @staticmethod
    def _units(text: str) -> list[bytes]:
        raw = text.encode("utf-16-le")
        return [raw[i : i + 2] for i in range(0, len(raw), 2)]

    def apply(self, request: dict[str, Any]) -> None:
        ((kind, body),) = request.items()
        if kind == "insertText":
            at = body["location"]["index"]
            self.units[at:at] = self._units(body["text"])
        elif kind == "insertTable":
            at = body["location"]["index"]
            rows = [ROW + (CELL + "\n") * body["columns"] for _ in range(body["rows"])]
            self.units[at:at] = self._units("\n" + TABLE + "".join(rows))
        elif kind == "insertInlineImage":
            at = body["location"]["index"]
            self.units[at:at] = self._units(IMAGE)
        elif kind == "deleteContentRange":
            self.units[body["range"]["startIndex"] : body["range"]["endIndex"]] = []

    def text(self, start: int, end: int) -> str:
        return b"".join(self.units[start:end]).decode("utf-16-le")


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

    model = DocModel(initial_document())
    phases = [next(iter(r)) for r in body["requests"]]
    first_style = phases.index("updateTextStyle")
    assert set(phases[:first_style]) <= {"insertText", "insertTable", "insertInlineImage"}
    for request in body["requests"][:first_style]:
        model.apply(request)
    reset = body["requests"][first_style]["updateTextStyle"]
    assert reset["textStyle"] == {} and reset["range"] == {"startIndex": 23, "endIndex": len(model.units) - 1}
    assert model.text(0, 23) == SECTION + "시장 메모\nKOSPI는 상승했다.\n끝.\n"[:22]

    headings = [b["text"] for b in result["blocks"] if b["type"] == "heading"]
    styled_headings = []
    superscripts = 0
    for request in body["requests"][first_style + 1 :]:
        ((kind, spec),) = request.items()
        if kind not in ("updateParagraphStyle", "updateTextStyle"):
            continue
        start, end = spec["range"]["startIndex"], spec["range"]["endIndex"]
        text = model.text(start, end)
        if kind == "updateParagraphStyle" and spec["paragraphStyle"]["namedStyleType"].startswith("HEADING_"):
            assert "\n" not in text
            styled_headings.append(text)
        if kind == "updateTextStyle" and spec["textStyle"].get("baselineOffset") == "SUPERSCRIPT":
            n = int(re.fullmatch(r"\[(\d+)\]", text).group(1))
            assert spec["textStyle"].get("link", {}).get("url") == citations[n]["url"]
            superscripts += 1
        if kind == "updateTextStyle" and spec["textStyle"].get("bold"):
            assert text.strip() and "\n" not in text
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
                    "fields": "bold,italic,underline,strikethrough,baselineOffset,link",
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

    panel.click("#insert-end")
    expect(panel.locator("#status")).to_have_text("문서 끝에 삽입했습니다.", timeout=20_000)
    requests = real_stack.web.batch_updates[-1]["requests"]
    images = [r["insertInlineImage"] for r in requests if "insertInlineImage" in r]
    assert len(images) == 1 and images[0]["uri"].startswith(f"{real_stack.gateway_url}/v1/charts/")
