"""The extension end to end in real headless Chromium (see conftest.py for what is real and
what is a fake). The side panel page is opened as a tab, chrome-extension://<id>/sidepanel.html
(Playwright cannot drive Chrome's side panel UI itself); the page is the same one the side
panel shows, and it follows the Docs tab the way it does when opened that way.

The tests run in order and share one browser and one stack: sign in, draft, insert, rewrite,
conflict, token refresh, upload, history, hostile answer, sign-out.
"""

import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.gateway.fake_orchestrator import draft_result

from .conftest import DOC_ID, OTHER_DOC_ID, USER_EMAIL, USER_SUB

pytestmark = pytest.mark.browser

RESET = (
    "backgroundColor,baselineOffset,bold,fontSize,foregroundColor,italic,link,smallCaps,strikethrough,underline,"
    "weightedFontFamily"
)
PARAGRAPH_RESET = (
    "namedStyleType,alignment,avoidWidowAndOrphan,borderBetween,borderBottom,borderLeft,borderRight,borderTop,"
    "direction,indentEnd,indentFirstLine,indentStart,keepLinesTogether,keepWithNext,lineSpacing,pageBreakBefore,"
    "shading,spaceAbove,spaceBelow,spacingMode"
)


def u16(text: str) -> int:
    """Length in UTF-16 code units, the unit of Google Docs indexes."""
    return len(text.encode("utf-16-le")) // 2


def insert(index: int, text: str) -> dict[str, Any]:
    return {"insertText": {"text": text, "location": {"index": index}}}


def para(start: int, end: int, style: str) -> dict[str, Any]:
    return {
        "updateParagraphStyle": {
            "range": {"startIndex": start, "endIndex": end},
            "paragraphStyle": {"namedStyleType": style},
            "fields": "namedStyleType",
        }
    }


def text_style(start: int, end: int, style: dict[str, Any], fields: str) -> dict[str, Any]:
    return {"updateTextStyle": {"range": {"startIndex": start, "endIndex": end}, "textStyle": style, "fields": fields}}


def wait_until(predicate, timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def gateway_get(stack, path: str) -> Any:
    token = stack.google.id_token(sub=USER_SUB, email=USER_EMAIL)
    response = httpx.get(f"{stack.gateway_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_sign_in_with_google_creates_the_document_session(browser, stack):
    panel = browser.panel
    assert panel.locator("#sign-in").is_visible()
    panel.click("#sign-in")
    expect(panel.locator("#account")).to_have_text(USER_EMAIL)
    request = stack.web.authorize_requests[-1]
    assert request["response_type"] == "token id_token"
    assert request["scope"] == "openid email profile https://www.googleapis.com/auth/documents"
    assert request["redirect_uri"] == f"https://{browser.extension_id}.chromiumapp.org/"
    assert request["prompt"] == "select_account"

    # the gateway verified the ID token (JWKS) and the panel made this document's session
    # (the session is made right after sign-in, asynchronously: wait for it on a loaded machine)
    def session_docs() -> list[str]:
        sessions = gateway_get(stack, "/v1/sessions")
        items = sessions["items"] if isinstance(sessions, dict) else sessions
        return [s["doc_id"] for s in items]

    wait_until(lambda: session_docs() != [], what="the document's session")
    assert session_docs() == [DOC_ID]
    # the panel read the document (Docs API, access token) and lists its paragraphs
    expect(panel.locator("#paragraph option")).to_have_count(4)
    labels = panel.locator("#paragraph option").all_text_contents()
    assert labels[1:] == ["# 시장 메모", "¶ KOSPI는 상승했다.", "¶ 끝."]
    assert not panel.locator("#error").is_visible()


def test_upload_a_pdf_with_progress_and_list(browser, stack):
    # uploaded early: the real rag service indexes it while the next tests run
    panel = browser.panel
    panel.click("#tab-files")
    pdf = fixture_path("ko_finance_llm_paper.pdf")
    panel.evaluate(
        """() => {
            const bar = document.querySelector('#upload-progress');
            window.__progress = [];
            const record = () => window.__progress.push([bar.hidden, bar.value]);
            new MutationObserver(record).observe(bar, { attributes: true });
        }"""
    )
    panel.set_input_files("#file-input", str(pdf))
    expect(panel.locator("#status")).to_have_text(f"{pdf.name} 업로드 완료.", timeout=30_000)
    progress = panel.evaluate("() => window.__progress")
    assert [False, 1] in progress, progress  # the bar was shown and reached 100 % from XHR upload events
    assert progress[-1][0] is True  # and hidden again
    item = panel.locator("#file-list li").first
    assert item.locator(".grow span").first.inner_text() == pdf.name
    assert "PDF" in item.inner_text() and "MB" in item.inner_text()
    assert item.locator(".badge").get_attribute("data-status") in ("pending", "indexed")
    panel.click("#tab-write")


def test_draft_streams_progress_then_inserts_the_exact_batch_update(browser, stack, artifacts_dir):
    panel = browser.panel
    panel.select_option("#kind", "draft")
    panel.fill("#prompt", "삼성전자 2024 주가 개요")
    panel.fill("#company", "삼성전자")
    panel.click("#run")
    # live progress: steps and streamed section text appear before the result
    panel.wait_for_selector("#steps li[data-name='write'][data-status='started']", timeout=15_000)
    assert panel.locator("#result").is_hidden()
    assert panel.locator("#steps li[data-name='fetch']").get_attribute("data-status") == "done"
    panel.wait_for_selector("#result:not([hidden])", timeout=15_000)
    assert "삼성전자(005930.KS)의 수정종가는" in panel.locator("#sections-live").inner_text()
    assert panel.locator("#result-body h1").inner_text() == "삼성전자 2024 주가 개요"
    assert panel.locator("#result-body sup a").first.get_attribute("href") == (
        "https://finance.yahoo.com/quote/005930.KS/history"
    )
    # the gateway swapped the chart's PNG for its URL; the preview loads it from there
    wait_until(
        lambda: panel.evaluate(
            "() => [...document.querySelectorAll('#result-body img')].some(i => i.naturalWidth > 0)"
        ),
        what="the chart image to load from the gateway",
    )
    panel.screenshot(path=str(artifacts_dir / "extension-panel.png"), full_page=True)

    runs = gateway_get(stack, f"/v1/sessions/{stack.orchestrator.requests[-1]['session_id']}/runs")["items"]
    run = gateway_get(stack, f"/v1/runs/{runs[0]['run_id']}")
    chart_url = run["result"]["blocks"][2]["chart"]["url"]
    assert chart_url.startswith(f"{stack.gateway_url}/v1/charts/")

    stack.web.throttle_next = 1  # Google answers the first write with 429 + Retry-After
    answers_before = len(stack.web.batch_answers)
    panel.click("#insert-end")
    expect(panel.locator("#status")).to_have_text("문서 끝에 삽입했습니다.", timeout=20_000)
    assert stack.web.batch_answers[answers_before:] == [429, 200]
    # the panel re-read the edited document: its new heading is now a paragraph to pick
    expect(panel.locator("#paragraph option", has_text="# 삼성전자 2024 주가 개요")).to_have_count(1)

    expected = draft_result()  # the fake orchestrator's result: real Yahoo closes
    heading = expected["title"]
    paragraph = expected["blocks"][1]["text"]
    chart_title = expected["charts"][0]["title"]
    citation = expected["citations"][0]
    source_line = f"[1] {citation['title']} ({citation['provider']}, 기준 {citation['as_of']})"
    # the document ends with the paragraph "끝.\n" at [20, 23): appended text goes at 22
    hs = 23
    he = hs + u16(heading)
    ps = he + 1
    pe = ps + u16(paragraph)
    image = pe + 1
    ts = image + 2
    te = ts + u16(chart_title)
    ss = te + 1
    se = ss + u16("출처")
    ls = se + 1
    le = ls + u16(source_line)
    assert stack.web.batch_updates[-1] == {
        "requests": [
            insert(22, "\n" + heading),
            insert(he, "\n" + paragraph),
            insert(pe, "\n"),
            {
                "insertInlineImage": {
                    "uri": chart_url,
                    "location": {"index": image},
                    "objectSize": {"width": {"magnitude": 468, "unit": "PT"}},
                }
            },
            insert(image + 1, "\n" + chart_title),
            insert(te, "\n출처"),
            insert(se, "\n" + source_line),
            text_style(hs, le, {}, RESET),
            {
                "updateParagraphStyle": {
                    "range": {"startIndex": hs, "endIndex": le},
                    "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                    "fields": PARAGRAPH_RESET,
                }
            },
            para(hs, he, "HEADING_1"),
            {
                "updateParagraphStyle": {
                    "range": {"startIndex": image, "endIndex": image + 1},
                    "paragraphStyle": {"namedStyleType": "NORMAL_TEXT", "alignment": "CENTER"},
                    "fields": "namedStyleType,alignment",
                }
            },
            para(ss, se, "HEADING_2"),
            text_style(
                pe - 3, pe, {"link": {"url": citation["url"]}, "baselineOffset": "SUPERSCRIPT"}, "link,baselineOffset"
            ),
            text_style(ts, te, {"italic": True}, "italic"),
            text_style(ls + 4, ls + 4 + u16(citation["title"]), {"link": {"url": citation["url"]}}, "link"),
        ],
        "writeControl": {"requiredRevisionId": "rev-1"},
    }
    # the fake applied it with the documented Docs model: what documents.get now shows
    written = {e["startIndex"]: e["paragraph"] for e in stack.web.document["body"]["content"] if "paragraph" in e}
    assert written[hs]["paragraphStyle"] == {"namedStyleType": "HEADING_1"}
    assert written[image]["paragraphStyle"] == {"namedStyleType": "NORMAL_TEXT", "alignment": "CENTER"}
    assert written[ts]["paragraphStyle"] == {"namedStyleType": "NORMAL_TEXT"}  # not centred like the chart
    assert written[ts]["elements"][0]["textRun"] == {"content": chart_title, "textStyle": {"italic": True}}
    assert written[ls]["elements"][1]["textRun"]["textStyle"]["link"] == {"url": citation["url"]}


def test_rewrite_replaces_the_chosen_paragraph_guarded_by_its_revision(browser, stack):
    panel = browser.panel
    panel.select_option("#paragraph", label="¶ KOSPI는 상승했다.")
    panel.select_option("#kind", "rewrite")
    assert panel.input_value("#text") == "KOSPI는 상승했다."
    panel.select_option("#mode", "polish")
    panel.click("#run")
    panel.wait_for_selector("#result:not([hidden])", timeout=15_000)
    # the gateway sends the contract's defaults along (language: the run's messages)
    assert stack.orchestrator.requests[-1]["options"] == {
        "text": "KOSPI는 상승했다.",
        "mode": "polish",
        "language": "ko",
    }
    revision = stack.web.document["revisionId"]
    assert revision == "rev-2"  # the draft insert made a new revision; the panel re-read the document
    panel.click("#replace")
    # nothing is written before the before/after view is confirmed
    expect(panel.locator("#replace-preview")).to_be_visible()
    assert panel.locator("#replace-before").inner_text() == "KOSPI는 상승했다."
    assert panel.locator("#replace-after").inner_text() == "KOSPI는 이날 상승 마감했다."
    assert stack.web.document["revisionId"] == "rev-2"
    panel.click("#replace-confirm")
    expect(panel.locator("#status")).to_have_text("문단을 바꿨습니다.")
    new = "KOSPI는 이날 상승 마감했다."
    bold_at = 7 + u16("KOSPI는 이날 ")
    assert stack.web.batch_updates[-1] == {
        "requests": [
            {"deleteContentRange": {"range": {"startIndex": 7, "endIndex": 19}}},
            insert(7, new),
            text_style(7, 7 + u16(new), {}, RESET),
            text_style(bold_at, bold_at + 2, {"bold": True}, "bold"),
        ],
        "writeControl": {"requiredRevisionId": "rev-2"},
    }


def test_a_concurrent_edit_is_never_overwritten_the_panel_rereads_and_asks(browser, stack):
    panel = browser.panel
    stack.web.concurrent_edit()  # someone else typed: revision rev-4, the panel still holds rev-3
    answers_before = len(stack.web.batch_answers)
    panel.click("#replace")
    panel.click("#replace-confirm")
    panel.wait_for_selector("#conflict:not([hidden])")
    assert stack.web.batch_answers[answers_before:] == [400]
    # the paragraph as it reads now (the rewrite above was applied to the document)
    assert panel.locator("#conflict-current").inner_text() == "KOSPI는 이날 상승 마감했다."
    panel.click("#conflict-confirm")
    panel.wait_for_selector("#conflict", state="hidden")
    expect(panel.locator("#status")).to_have_text("문단을 바꿨습니다.")  # and the document re-read
    assert stack.web.batch_answers[answers_before:] == [400, 200]
    assert stack.web.batch_updates[-1]["writeControl"] == {"requiredRevisionId": "rev-4"}


def test_an_expired_access_token_is_renewed_silently_once(browser, stack):
    panel = browser.panel
    stack.web.expire_access_tokens()
    before = len(stack.web.authorize_requests)
    panel.click("#refresh-doc")
    wait_until(lambda: len(stack.web.authorize_requests) > before, what="a silent re-authorisation")
    silent = stack.web.authorize_requests[-1]
    assert silent["prompt"] == "none"
    assert silent["login_hint"] == USER_EMAIL
    # the retried documents.get carried the new token and succeeded
    wait_until(lambda: stack.web.docs_tokens_seen[-1] in stack.web.access_tokens, what="the retried Docs call")
    panel.wait_for_timeout(300)
    assert not panel.locator("#error").is_visible()


def test_the_index_status_reaches_indexed_and_a_file_can_be_deleted(browser, stack):
    panel = browser.panel
    panel.click("#tab-files")
    # the panel polls the gateway while the file is pending
    panel.wait_for_selector("#file-list li .badge[data-status='indexed']", timeout=120_000)
    session_id = gateway_get(stack, "/v1/sessions")["items"][0]["session_id"]
    files = gateway_get(stack, f"/v1/sessions/{session_id}/files")["items"]
    assert [(f["kind"], f["status"]) for f in files] == [("pdf", "indexed")]
    panel.once("dialog", lambda dialog: dialog.accept())
    panel.locator("#file-list li button").click()
    expect(panel.locator("#file-list li")).to_have_count(0)
    expect(panel.locator("#files-empty")).to_be_visible()
    assert gateway_get(stack, f"/v1/sessions/{session_id}/files")["items"] == []
    panel.click("#tab-write")


def test_cancel_stops_waiting_and_the_run_lands_in_history(browser, stack):
    panel = browser.panel
    panel.click("#tab-write")
    panel.select_option("#kind", "draft")
    panel.fill("#prompt", "삼성전자 2024 주가 개요")
    panel.click("#run")
    panel.wait_for_selector("#steps li[data-name='fetch']")
    assert panel.locator("#cancel").is_enabled()
    panel.keyboard.press("Escape")
    expect(panel.locator("#status")).to_have_text("취소했습니다.")
    # a cancelled run looks cancelled: the progress greyed with its steps struck through, the card says so
    expect(panel.locator("#progress")).to_have_attribute("data-state", "cancelled")
    assert panel.locator("#steps").evaluate("el => getComputedStyle(el).textDecorationLine") == "line-through"
    expect(panel.locator("#run-card-status")).to_have_text("취소됨")
    assert panel.locator("#result").is_hidden()
    assert panel.locator("#run").is_enabled() and panel.locator("#cancel").is_disabled()


def test_history_lists_the_runs_and_reopens_one(browser, stack):
    panel = browser.panel
    panel.click("#tab-history")
    # the cancelled draft was stopped on the server too (POST /v1/runs/{id}/cancel)
    deadline = time.monotonic() + 15
    while True:
        panel.click("#refresh-history")
        statuses = panel.locator("#run-list li .badge:not(.ok)").all_text_contents()
        if (len(statuses) == 3 and "실행 중" not in statuses) or time.monotonic() > deadline:
            break
        panel.wait_for_timeout(300)
    kinds = panel.locator("#run-list li strong").all_text_contents()
    assert kinds == ["보고서 초안", "다시 쓰기", "보고서 초안"]
    assert statuses == ["취소됨", "완료", "완료"]
    panel.locator("#run-list li").nth(2).locator("button:not(.rerun)").click()
    panel.wait_for_selector("#panel-write:not([hidden]) #result-body h1")
    assert panel.locator("#result-body h1").inner_text() == "삼성전자 2024 주가 개요"


def test_a_reopened_run_is_reinserted_with_chart_links_when_google_cannot_fetch_images(browser, stack):
    panel = browser.panel
    stack.web.refuse_images = True
    answers_before = len(stack.web.batch_answers)
    panel.click("#insert-end")
    expect(panel.locator("#status")).to_have_text("문서 끝에 삽입했습니다.", timeout=20_000)
    stack.web.refuse_images = False
    assert stack.web.batch_answers[answers_before:] == [400, 200]
    requests = stack.web.batch_updates[-1]["requests"]
    assert not any("insertInlineImage" in r for r in requests)
    links = [
        r["updateTextStyle"]["textStyle"]["link"]["url"]
        for r in requests
        if "link" in r.get("updateTextStyle", {}).get("textStyle", {})
    ]
    assert any(url.startswith(f"{stack.gateway_url}/v1/charts/") for url in links)
    assert "링크로 삽입했습니다" in panel.locator("#warnings").inner_text()


def test_the_panel_is_enabled_only_on_docs_tabs_and_opens_from_the_toolbar(browser):
    worker = browser.context.service_workers[0]
    other = browser.context.new_page()
    other.goto(f"chrome-extension://{browser.extension_id}/options.html")
    states = worker.evaluate(
        """async () => {
            const tabs = await chrome.tabs.query({});
            const out = {};
            for (const tab of tabs) {
                out[tab.url ?? 'hidden:' + tab.id] = await chrome.sidePanel.getOptions({ tabId: tab.id });
            }
            const behavior = await chrome.sidePanel.getPanelBehavior();
            return { out, behavior, global: await chrome.sidePanel.getOptions({}) };
        }"""
    )
    other.close()
    docs_url = f"https://docs.google.com/document/d/{DOC_ID}/edit"
    assert states["behavior"] == {"openPanelOnActionClick": True}
    assert states["global"]["enabled"] is False
    assert states["out"][docs_url]["enabled"] is True
    assert states["out"][docs_url]["path"].endswith("sidepanel.html")
    not_docs = [v for k, v in states["out"].items() if k != docs_url]
    assert not_docs and all(v["enabled"] is False for v in not_docs), states


def test_switching_to_another_document_switches_the_session(browser, stack):
    panel = browser.panel
    second = browser.context.new_page()
    second.goto(f"https://docs.google.com/document/d/{OTHER_DOC_ID}/edit")
    second.bring_to_front()
    expect(panel.locator("#doc-title")).to_have_text("두 번째 문서")
    expect(panel.locator("#paragraph option")).to_have_count(4)
    expect(panel.locator("#run-list li")).to_have_count(0)
    assert panel.locator("#result").is_hidden()
    sessions = gateway_get(stack, "/v1/sessions")["items"]
    assert sorted(s["doc_id"] for s in sessions) == sorted([DOC_ID, OTHER_DOC_ID])
    panel.bring_to_front()


def test_a_hostile_answer_renders_as_text(browser, stack):
    panel = browser.panel
    panel.select_option("#kind", "ask")
    panel.fill("#prompt", "요약해 줘")
    panel.click("#run")
    panel.wait_for_selector("#result:not([hidden])")
    panel.wait_for_timeout(300)
    body = panel.locator("#result-body")
    assert "<img src=x" in body.inner_text()
    assert body.locator("img, script").count() == 0
    hrefs = [a.get_attribute("href") for a in body.locator("a").all()]
    assert hrefs == ["https://finance.yahoo.com/quote/005930.KS/history"]
    assert panel.evaluate("() => window.__xss ?? null") is None


def test_options_page_saves_the_settings(browser, stack):
    page = browser.context.new_page()
    page.goto(f"chrome-extension://{browser.extension_id}/options.html")
    expect(page.locator("#redirect")).to_have_text(f"https://{browser.extension_id}.chromiumapp.org/")
    expect(page.locator("#gatewayUrl")).to_have_value(stack.gateway_url)
    page.fill("#devEmail", "dev@example.com")
    page.fill("#gatewayUrl", stack.gateway_url + "/")
    page.click("button[type='submit']")
    expect(page.locator("#saved")).to_have_text("저장했습니다.")
    config = page.evaluate("() => chrome.storage.local.get('config')")["config"]
    assert config["devEmail"] == "dev@example.com"
    assert config["gatewayUrl"] == stack.gateway_url  # normalised: no trailing slash
    assert config["authMode"] == "google"
    page.close()


def test_when_silent_renewal_is_refused_the_panel_asks_to_sign_in_again(browser, stack):
    panel = browser.panel
    panel.bring_to_front()
    stack.web.expire_access_tokens()
    stack.web.consented = False  # the Google session is gone: prompt=none answers interaction_required
    panel.click("#refresh-doc")
    expect(panel.locator("#error-text")).to_have_text("다시 로그인하세요.")
    expect(panel.locator("#error-action")).to_have_text("Google로 로그인")
    expect(panel.locator("#sign-in")).to_be_visible()
    assert stack.web.authorize_requests[-1]["prompt"] == "none"
    panel.click("#sign-in")
    expect(panel.locator("#sign-out")).to_be_visible()
    assert stack.web.authorize_requests[-1]["prompt"] == "select_account"
    expect(panel.locator("#paragraph option")).to_have_count(4)


def test_sign_out_revokes_and_forgets_the_tokens(browser, stack):
    panel = browser.panel
    token = stack.web.docs_tokens_seen[-1]
    panel.click("#sign-out")
    panel.wait_for_selector("#sign-in:not([hidden])")
    assert stack.web.revoked == [token]
    assert panel.evaluate("() => chrome.storage.session.get('auth')") == {}
    assert panel.locator("#status").inner_text() == "시작하려면 로그인하세요."
    assert [e for e in browser.console if "pageerror" in e] == []
