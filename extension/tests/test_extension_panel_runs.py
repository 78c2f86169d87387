"""Issue 20 in real headless Chromium: runs that outlive the panel, safe and reversible
insertion, errors that say what to do. The same harness as test_extension_e2e.py (see
conftest.py: the real gateway and rag service, the gateway kit's FakeOrchestrator with the
scripts of conftest.e2e_script, and GoogleWeb, the Docs API fake applying every batch with the
documented Docs model). Each state is also saved as a screenshot (test-artifacts/panel-states/,
the README's pictures come from there).
"""

import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import DOC_ID, FAILS_NO_DATA, SLOW, USER_EMAIL, initial_document

pytestmark = pytest.mark.browser


def wait_until(predicate, timeout: float = 20.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def shot(page, artifacts_dir: Path, name: str) -> None:
    folder = artifacts_dir / "panel-states"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def open_panel(browser):
    page = browser.context.new_page()
    page.on("pageerror", lambda e: browser.console.append(f"pageerror: {e}"))
    page.goto(f"chrome-extension://{browser.extension_id}/sidepanel.html")
    page.wait_for_selector("body[data-ready='true']", timeout=15_000)
    return page


def paragraphs(document: dict[str, Any]) -> list[str]:
    out = []
    for element in document["body"]["content"]:
        if "paragraph" in element:
            out.append("".join(e.get("textRun", {}).get("content", "") for e in element["paragraph"]["elements"]))
        elif "table" in element:
            out.append("<table>")
    return out


def cards(page) -> dict[str, Any]:
    return page.evaluate("() => chrome.storage.local.get('runCards')").get("runCards", {})


def start_draft(page, prompt: str) -> None:
    page.click("#tab-write")
    page.select_option("#kind", "draft")
    page.fill("#prompt", prompt)
    page.fill("#company", "삼성전자")
    page.click("#run")


@pytest.fixture(scope="module")
def state() -> dict[str, Any]:
    return {}


def test_sign_in(browser, stack):
    panel = browser.panel
    panel.click("#sign-in")
    expect(panel.locator("#account")).to_have_text(USER_EMAIL)
    expect(panel.locator("#paragraph option")).to_have_count(4)


def test_closing_the_panel_mid_draft_and_reopening_reattaches_to_the_run(browser, stack, state, artifacts_dir):
    panel = browser.panel
    start_draft(panel, f"삼성전자 2024 주가 개요 {SLOW}")
    panel.wait_for_selector("#steps li[data-name='fetch']")
    # the form folds away while the run is active; Cancel and the elapsed time sit by the bar
    expect(panel.locator("#run-form")).to_be_hidden()
    expect(panel.locator("#progress .progress-head #cancel")).to_be_enabled()
    expect(panel.locator("#progress .progress-head #elapsed")).to_have_text(re.compile(r"^(?!0:00$)\d+:\d\d$"))
    # the English run's step detail and warning, said in the Korean panel's language
    expect(panel.locator("#steps li[data-name='fetch']")).to_have_text("데이터 수집 · 완료 — 데이터 11건")
    expect(panel.locator("#warnings li[data-code='source_unavailable'] small")).to_have_text(
        "DART 공시·재무(dart) 데이터 일부를 가져오지 못해 빼고 작성했습니다 (timeout)."
    )
    card = wait_until(lambda: cards(panel).get(DOC_ID), what="the run card")
    assert card["status"] == "running" and card["kind"] == "draft"
    shot(panel, artifacts_dir, "1-running")
    panel.close()  # the panel goes away mid-draft

    time.sleep(1.0)
    panel = open_panel(browser)
    browser.panel = panel
    # the reopened panel shows the run card and re-attaches: earlier steps replayed, then live
    expect(panel.locator("#run-card")).to_be_visible()
    expect(panel.locator("#run-card-status")).to_have_text("실행 중")
    panel.wait_for_selector("#steps li[data-name='fetch']")
    expect(panel.locator("#sections-live section[data-section-id='s1'] .section-title")).to_have_text(
        "주가 동향", timeout=15_000
    )
    shot(panel, artifacts_dir, "2-reattached")
    panel.wait_for_selector("#result:not([hidden])", timeout=30_000)
    expect(panel.locator("#run-card-status")).to_have_text("완료")
    assert "삼성전자(005930.KS)의 수정종가는" in panel.locator("#result-body").inner_text()
    # one run at the gateway, completed (re-attaching never started another)
    runs = [r for r in stack.orchestrator.requests if SLOW in r["prompt"]]
    assert len(runs) == 1
    assert cards(panel)[DOC_ID]["status"] == "completed"
    state["first_run"] = card["runId"]


def test_a_run_that_finishes_while_the_panel_is_closed_notifies_and_shows_its_result(browser, stack, artifacts_dir):
    panel = browser.panel
    start_draft(panel, f"삼성전자 재무 요약 {SLOW}")
    panel.wait_for_selector("#steps li[data-name='fetch']")
    run_id = wait_until(
        lambda: (cards(panel).get(DOC_ID) or {}).get("status") == "running" and cards(panel)[DOC_ID]["runId"],
        what="the new card",
    )
    panel.close()
    worker = browser.context.service_workers[0]
    # the service worker follows the run with GET /v1/runs/{id}/events and ends its card
    card = wait_until(
        lambda: (
            (c := worker.evaluate("() => chrome.storage.local.get('runCards')")["runCards"][DOC_ID])["status"]
            != "running"
            and c
        ),
        timeout=40,
        what="the worker to see the run end",
    )
    assert card["runId"] == run_id and card["status"] == "completed" and card["seen"] is False
    notifications = worker.evaluate("() => chrome.notifications.getAll()")
    assert f"run:{DOC_ID}:{run_id}" in notifications
    panel = open_panel(browser)
    browser.panel = panel
    expect(panel.locator("#status")).to_have_text("패널이 닫혀 있는 동안 끝난 실행입니다.", timeout=15_000)
    expect(panel.locator("#result-body h1")).to_have_text("삼성전자 2024 주가 개요")
    assert cards(panel)[DOC_ID]["seen"] is True
    shot(panel, artifacts_dir, "3-finished-while-closed")


def test_a_triple_click_inserts_once_confirms_beside_the_button_and_undo_removes_exactly_it(
    browser, stack, artifacts_dir
):
    panel = browser.panel
    before = stack.web.document
    answers = len(stack.web.batch_answers)
    # three clicks in one task: the first disables every write button, the others do nothing
    panel.evaluate("() => { const b = document.querySelector('#insert-end'); b.click(); b.click(); b.click(); }")
    expect(panel.locator("#insert-note")).to_have_text("문서 끝에 삽입했습니다.", timeout=20_000)
    assert stack.web.batch_answers[answers:] == [200]
    expect(panel.locator("#inserted-mark")).to_be_visible()
    inserted = stack.web.document
    assert paragraphs(inserted)[:3] == paragraphs(before) and len(paragraphs(inserted)) > len(paragraphs(before))
    # the preview is the document: its blocks, in order, are the inserted paragraphs
    preview = panel.evaluate(
        """() => [...document.querySelectorAll('#result-body > *')].flatMap((el) =>
            el.tagName === 'FIGURE' ? [''] : el.tagName === 'UL' || el.tagName === 'OL'
              ? [...el.children].map((li) => li.textContent) : [el.textContent])"""
    )
    assert preview == [p.rstrip("\n") for p in paragraphs(inserted)[3:]]
    assert panel.locator("#result-body figure img").count() == 1  # the chart in place, once
    assert panel.locator("#sections-live").is_hidden()  # the streamed text gave way to the result
    assert "기준일 " in panel.locator("#result-summary").inner_text()
    # the action bar stays at the bottom of the panel while the report scrolls
    assert panel.locator("#result-actions").evaluate("el => getComputedStyle(el).position") == "sticky"
    # a citation opens its source: title, provider, date and a link a person reads
    panel.click("#result-body sup[data-cite='1']")
    expect(panel.locator("#cite-pop")).to_contain_text("Yahoo Finance")
    assert panel.locator("#cite-pop a").get_attribute("href") == "https://finance.yahoo.com/quote/005930.KS/history"
    shot(panel, artifacts_dir, "4a-citation")
    shot(panel, artifacts_dir, "4-inserted")

    panel.click("#undo-insert")
    expect(panel.locator("#insert-note")).to_have_text("삽입한 내용을 문서에서 지웠습니다.", timeout=20_000)
    undo = stack.web.batch_updates[-1]
    assert undo["writeControl"] == {"requiredRevisionId": inserted["revisionId"]}
    assert list(undo["requests"][0]) == ["deleteContentRange"]
    # exactly the inserted range: the document reads as before
    after = stack.web.document
    assert paragraphs(after) == paragraphs(before)
    assert after["body"]["content"][1:] == before["body"]["content"][1:]
    expect(panel.locator("#inserted-mark")).to_be_hidden()
    expect(panel.locator("#undo-insert")).to_be_hidden()


def test_undo_is_refused_when_someone_edited_after_the_insertion(browser, stack):
    panel = browser.panel
    panel.click("#insert-end")
    expect(panel.locator("#insert-note")).to_have_text("문서 끝에 삽입했습니다.", timeout=20_000)
    stack.web.concurrent_edit()
    edited = stack.web.document
    panel.click("#undo-insert")
    expect(panel.locator("#error-text")).to_have_text(
        "삽입 뒤에 문서가 바뀌어 되돌리지 않았습니다(다른 사람의 수정을 지울 수 있음). 직접 지우세요."
    )
    assert stack.web.document == edited  # nothing deleted
    stack.web.doc.json = initial_document() | {"revisionId": edited["revisionId"]}  # back to the memo
    panel.click("#refresh-doc")


def test_insert_after_a_chosen_paragraph_and_replace_only_for_paragraph_results(browser, stack, artifacts_dir):
    panel = browser.panel
    expect(panel.locator("#paragraph option")).to_have_count(4)
    panel.select_option("#paragraph", label="¶ KOSPI는 상승했다.")
    # a four-block report never replaces one sentence
    assert panel.locator("#replace").is_disabled()
    panel.click("#insert-after")
    expect(panel.locator("#insert-note")).to_have_text("선택한 문단 뒤에 삽입했습니다.", timeout=20_000)
    texts = paragraphs(stack.web.document)
    assert texts[:3] == ["시장 메모\n", "KOSPI는 상승했다.\n", "삼성전자 2024 주가 개요\n"]
    assert texts[-1] == "끝.\n"
    panel.click("#undo-insert")
    expect(panel.locator("#insert-note")).to_have_text("삽입한 내용을 문서에서 지웠습니다.", timeout=20_000)
    assert paragraphs(stack.web.document) == paragraphs(initial_document())

    # a paragraph result may replace, after a before/after view
    panel.select_option("#paragraph", label="¶ KOSPI는 상승했다.")
    panel.select_option("#kind", "rewrite")
    panel.click("#run")
    panel.wait_for_selector("#result:not([hidden])", timeout=15_000)
    panel.click("#replace")
    expect(panel.locator("#replace-after")).to_have_text("KOSPI는 이날 상승 마감했다.")
    shot(panel, artifacts_dir, "5-replace-before-after")
    panel.click("#replace-cancel")
    expect(panel.locator("#replace-preview")).to_be_hidden()


def test_a_failed_run_says_what_happened_and_what_to_do(browser, stack, artifacts_dir):
    panel = browser.panel
    start_draft(panel, f"삼성전자 {FAILS_NO_DATA}")
    expect(panel.locator("#error-text")).to_have_text(
        "차트로 그릴 데이터를 찾지 못했습니다. 회사와 기준일을 확인한 뒤 다시 시도하세요.", timeout=15_000
    )
    expect(panel.locator("#error-action")).to_have_text("다시 시도")
    assert panel.locator("#progress").get_attribute("data-state") == "failed"
    assert "no_data" in panel.locator("#error-detail").text_content()
    expect(panel.locator("#run-form")).to_be_visible()
    shot(panel, artifacts_dir, "6-error")


def test_an_unreachable_gateway_says_so_offers_retry_and_the_error_clears_once_fixed(browser, stack):
    panel = browser.panel
    config = panel.evaluate("() => chrome.storage.local.get('config')")["config"]
    panel.evaluate("c => chrome.storage.local.set({ config: c })", {**config, "gatewayUrl": "http://127.0.0.1:9"})
    expect(panel.locator("#error-text")).to_have_text(
        "FinScribe 서버에 연결할 수 없습니다. 서버가 실행 중인지와 설정의 게이트웨이 URL을 확인한 뒤 다시 시도하세요.",
        timeout=15_000,
    )
    expect(panel.locator("#error-action")).to_have_text("다시 시도")
    assert panel.locator("#run").is_disabled()  # not enabled and silent while the backend is down
    panel.click("#error-action")  # still down: the same sentence comes back
    expect(panel.locator("#error-text")).to_contain_text("FinScribe 서버에 연결할 수 없습니다", timeout=15_000)
    # the cause fixed, the stale error goes away by itself
    panel.evaluate("c => chrome.storage.local.set({ config: c })", config)
    expect(panel.locator("#error")).to_be_hidden(timeout=15_000)
    expect(panel.locator("#run")).to_be_enabled()
    assert [e for e in browser.console if "pageerror" in e] == []


def test_history_shows_duration_and_inserted_and_reruns_with_the_same_settings(browser, stack):
    panel = browser.panel
    panel.click("#tab-history")
    panel.click("#refresh-history")
    items = panel.locator("#run-list li")
    expect(items.first).to_contain_text(FAILS_NO_DATA)
    # the result inserted earlier (the run that finished while the panel was closed) is marked
    inserted = panel.locator("#run-list li:has([data-inserted='true'])")
    expect(inserted).to_have_count(1)
    expect(inserted).to_contain_text("삼성전자 재무 요약")
    assert ":" in inserted.locator(".muted").inner_text()  # its duration, m:ss
    before = len(stack.orchestrator.requests)
    original = stack.orchestrator.requests[-1]
    items.first.locator("button.rerun").click()
    wait_until(lambda: len(stack.orchestrator.requests) > before, what="the re-run")
    again = stack.orchestrator.requests[-1]
    assert (again["kind"], again["prompt"], again["options"]) == (
        original["kind"],
        original["prompt"],
        original["options"],
    )
    expect(panel.locator("#error-text")).to_contain_text("차트로 그릴 데이터를 찾지 못했습니다")
    # reopening a run says so and puts its settings back in the form
    panel.click("#tab-history")
    panel.locator("#run-list li", has_text="삼성전자 재무 요약").locator("button:not(.rerun)").click()
    expect(panel.locator("#status")).to_contain_text("기록에서 연 실행입니다")
    assert panel.input_value("#prompt") == f"삼성전자 재무 요약 {SLOW}"
    assert panel.input_value("#company") == "삼성전자"


PAGE_SCRIPTS = Path(__file__).parent / "page-scripts"


def page_script(name: str) -> str:
    """A function from page-scripts/ for page.evaluate (its leading comment lines dropped)."""
    lines = (PAGE_SCRIPTS / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("//"))


CONTRAST_JS = page_script("contrast.js")
SHOW_EVERY_STYLE_JS = page_script("show-every-style.js")


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_every_text_style_has_at_least_4_5_to_1_contrast(browser, scheme, artifacts_dir):
    page = open_panel(browser)
    page.emulate_media(color_scheme=scheme)
    page.evaluate(SHOW_EVERY_STYLE_JS)
    measured = page.evaluate(CONTRAST_JS)
    assert len(measured) >= 20, measured  # the check saw the styles
    low = [m for m in measured if m["ratio"] < 4.5]
    assert low == [], low
    shot(page, artifacts_dir, f"7-all-styles-{scheme}")
    page.close()


def test_narrow_panel_header_stays_on_one_line_and_options_radios_are_radios(browser):
    page = open_panel(browser)
    page.set_viewport_size({"width": 320, "height": 700})
    tops = page.evaluate(
        "() => [...document.querySelectorAll('.bar > :not([hidden])')].map((el) => el.getBoundingClientRect().top)"
    )
    assert max(tops) - min(tops) < 8, tops
    # Hangul wraps between words, never mid-word ("작성했습/니다")
    assert page.evaluate("() => getComputedStyle(document.body).wordBreak") == "keep-all"
    # a number cell of a result table (lib/preview.js marks it data-num) aligns right, a text cell left
    aligns = page.evaluate(
        """() => {
          const table = document.createElement('table');
          const row = table.insertRow();
          const text = row.insertCell();
          const num = row.insertCell();
          num.dataset.num = '';
          const box = document.createElement('div');
          box.className = 'markdown';
          box.append(table);
          document.body.append(box);
          return [getComputedStyle(text).textAlign, getComputedStyle(num).textAlign];
        }"""
    )
    assert aligns == ["start", "right"], aligns
    # the whole sections placeholder (three lines) is visible
    page.select_option("#kind", "draft")
    assert page.evaluate(
        "() => { const t = document.querySelector('#sections'); return t.scrollHeight <= t.clientHeight; }"
    )
    page.close()
    options = browser.context.new_page()
    options.goto(f"chrome-extension://{browser.extension_id}/options.html")
    widths = options.evaluate(
        "() => [...document.querySelectorAll('input[type=radio]')].map((r) => r.getBoundingClientRect().width)"
    )
    assert widths and all(w < 40 for w in widths), widths
    options.close()
