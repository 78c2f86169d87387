"""Issue 20 points that had code but no browser test: the files a draft uses (`#run-files` →
`options.file_ids`), the degraded banner, the options page's save message, and History
opening a run that is still running. The harness of test_extension_panel_runs.py (conftest.py:
the real gateway and rag service, Debian Chromium, the gateway kit's FakeOrchestrator) with
two more scripts for this module's orchestrator: a draft citing the PDFs it was given, and a
draft whose result carries the orchestrator's `source_unavailable` warning.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from finscribe_testkit.gateway.fake_orchestrator import Emit, FakeOrchestrator, default_script

from .conftest import DOC_ID, SLOW, SOURCE_DOWN_IN_ENGLISH, USER_EMAIL, e2e_script, serve_fake_orchestrator
from .test_extension_e2e import gateway_get
from .test_extension_panel_runs import cards, open_panel, start_draft, wait_until

pytestmark = pytest.mark.browser

FROM_FILES = "업로드 자료로"  # a draft citing the uploaded PDFs it was given (options.file_ids)
SOURCES_DOWN = "출처 일부 빠짐"  # a draft that completed without one data service


def gaps_script(request: dict[str, Any]) -> list[Any]:
    prompt = str(request.get("prompt") or "")
    result = default_script(request)[-1].data["result"]
    if FROM_FILES in prompt:
        # the orchestrator reads only the files the gateway hands it (`files`, filtered by
        # options.file_ids) and cites each with provider "upload", as its gather does
        citations = [
            {"n": n, "provider": "upload", "title": f["name"], "url": None}
            for n, f in enumerate((f for f in request.get("files") or [] if f["kind"] == "pdf"), start=1)
        ]
        marks = "".join(f"[{c['n']}]" for c in citations)
        text = f"업로드한 보고서에 따르면 매출이 늘었다.{marks}"
        result = {
            **result,
            "title": "업로드 자료 요약",
            "markdown": f"# 업로드 자료 요약\n\n{text}\n",
            "blocks": [
                {"type": "heading", "level": 1, "text": "업로드 자료 요약"},
                {"type": "paragraph", "text": text, "citations": [c["n"] for c in citations]},
            ],
            "citations": citations,
            "charts": [],
        }
        return [Emit("run.started", {"kind": "draft"}), Emit("run.completed", {"result": result})]
    if SOURCES_DOWN in prompt:
        return [
            Emit("run.started", {"kind": "draft"}),
            Emit("warning", SOURCE_DOWN_IN_ENGLISH),
            Emit("run.completed", {"result": {**result, "warnings": [SOURCE_DOWN_IN_ENGLISH]}}),
        ]
    return e2e_script(request)


@pytest.fixture(scope="module")
def orchestrator() -> Iterator[FakeOrchestrator]:
    with serve_fake_orchestrator(gaps_script) as fake:
        yield fake


FIXTURE_PDF = Path(__file__).resolve().parents[2] / "fixtures" / "real" / "ko_finance_llm_paper.pdf"


def test_sign_in(browser, stack):
    panel = browser.panel
    panel.click("#sign-in")
    expect(panel.locator("#account")).to_have_text(USER_EMAIL)
    expect(panel.locator("#paragraph option")).to_have_count(4)
    # the document's session is made right after sign-in, asynchronously (uploads need it)
    wait_until(lambda: gateway_get(stack, "/v1/sessions")["items"], what="the document's session")


def test_unticking_one_of_two_pdfs_sends_only_the_other_and_the_result_cites_only_it(browser, stack):
    panel = browser.panel
    panel.click("#tab-files")
    pdf = FIXTURE_PDF.read_bytes()
    names = ["1분기_보고서.pdf", "2분기_보고서.pdf"]
    for name in names:
        # the same recorded PDF under two Korean names (given as a buffer: a non-ASCII *path*
        # reaches Chromium's file input as no file at all under Playwright)
        panel.set_input_files("#file-input", files=[{"name": name, "mimeType": "application/pdf", "buffer": pdf}])
        expect(panel.locator("#status")).to_have_text(f"{name} 업로드 완료.", timeout=30_000)
    panel.click("#tab-write")
    panel.select_option("#kind", "draft")
    boxes = panel.locator("#run-files-list input[type='checkbox']")
    expect(panel.locator("#run-files")).to_be_visible()
    expect(boxes).to_have_count(2)
    ids = {
        panel.locator(f"label[for='{b.get_attribute('id')}']").inner_text(): b.get_attribute("value")
        for b in boxes.all()
    }
    assert set(ids) == set(names)
    panel.uncheck(f"#use-{ids[names[0]]}")
    before = len(stack.orchestrator.requests)
    start_draft(panel, f"삼성전자 {FROM_FILES} 요약")
    wait_until(lambda: len(stack.orchestrator.requests) > before, what="the run at the orchestrator")
    # what the orchestrator received through the gateway: the ticked file only
    sent = stack.orchestrator.requests[-1]
    assert sent["options"]["file_ids"] == [ids[names[1]]]
    assert [f["file_id"] for f in sent["files"] if f["kind"] == "pdf"] == [ids[names[1]]]
    panel.wait_for_selector("#result:not([hidden])", timeout=15_000)
    expect(panel.locator("#result-body h1")).to_have_text("업로드 자료 요약")
    panel.click("#result-body sup[data-cite='1']")
    expect(panel.locator("#cite-pop")).to_contain_text(names[1])
    assert panel.locator("#result-body sup[data-cite='2']").count() == 0
    assert names[0] not in panel.locator("#result").inner_text()


def test_a_degraded_result_shows_the_banner_and_a_normal_one_does_not(browser, stack):
    panel = browser.panel
    start_draft(panel, f"삼성전자 {SOURCES_DOWN}")
    panel.wait_for_selector("#result:not([hidden])", timeout=15_000)
    expect(panel.locator("#degraded")).to_be_visible()
    expect(panel.locator("#degraded")).to_have_text("일부 출처를 쓸 수 없어 그 데이터 없이 작성했습니다.")
    before = len(stack.orchestrator.requests)
    start_draft(panel, "삼성전자 2024 주가 개요")
    wait_until(lambda: len(stack.orchestrator.requests) > before, what="the normal run")
    panel.wait_for_selector("#steps li[data-name='write']", timeout=15_000)  # the new run's own steps
    panel.wait_for_selector("#result:not([hidden])", timeout=15_000)
    assert stack.orchestrator.requests[-1]["prompt"] == "삼성전자 2024 주가 개요"
    expect(panel.locator("#degraded")).to_be_hidden()


RECORD_SAVED_JS = """() => {
  const saved = document.querySelector('#saved');
  window.__said = [];
  new MutationObserver(() => window.__said.push(saved.textContent))
    .observe(saved, { childList: true, characterData: true, subtree: true });
}"""


FILL_STORAGE_JS = """async () => {
  const quota = chrome.storage.local.QUOTA_BYTES;
  const used = await chrome.storage.local.getBytesInUse(null);
  await chrome.storage.local.set({ filler: 'x'.repeat(quota - used - 'filler'.length - 2 - 40) });
}"""


def test_the_options_page_clears_saved_before_a_save_and_a_failed_save_shows_the_error(browser, stack):
    page = browser.context.new_page()
    page.goto(f"chrome-extension://{browser.extension_id}/options.html")
    expect(page.locator("#gatewayUrl")).to_have_value(stack.gateway_url)
    page.click("button[type='submit']")
    expect(page.locator("#saved")).to_have_text("저장했습니다.")
    page.evaluate(RECORD_SAVED_JS)
    # chrome.storage.local nearly full (10 MB without unlimitedStorage): a longer config is
    # refused by Chrome with its quota error, a real failed save
    page.evaluate(FILL_STORAGE_JS)
    try:
        # set without an input event (as autofill may), so only the save itself clears the message
        page.evaluate(
            "() => { document.querySelector('#devEmail').value = `${'a'.repeat(60)}.${'b'.repeat(60)}@example.com`; }"
        )
        page.click("button[type='submit']")
        expect(page.locator("#saved")).to_have_attribute("data-kind", "error")
        expect(page.locator("#saved")).to_contain_text("저장하지 못했습니다: ")
        expect(page.locator("#saved")).to_contain_text("quota")
        # the old "saved" went first, then the failure took its place
        said = page.evaluate("() => window.__said")
        assert said[0] == "" and said[-1] == page.locator("#saved").inner_text(), said
        assert "저장했습니다." not in said, said
    finally:
        page.evaluate("() => chrome.storage.local.remove('filler')")
    config = page.evaluate("() => chrome.storage.local.get('config')")["config"]
    assert config["devEmail"] != page.input_value("#devEmail")  # nothing saved
    page.close()


def test_history_opening_a_running_run_reattaches_and_shows_its_progress(browser, stack):
    panel = browser.panel
    start_draft(panel, f"삼성전자 기록에서 따라가기 {SLOW}")
    run_id = wait_until(
        lambda: (cards(panel).get(DOC_ID) or {}).get("status") == "running" and cards(panel)[DOC_ID]["runId"],
        what="the run card",
    )
    panel.close()
    # the card forgotten (another device, cleared storage): only History knows the run
    worker = browser.context.service_workers[0]
    worker.evaluate("() => chrome.storage.local.remove('runCards')")
    panel = open_panel(browser)
    browser.panel = panel
    assert not cards(panel)
    panel.click("#tab-history")
    panel.click("#refresh-history")
    item = panel.locator(f"#run-list li[data-run-id='{run_id}']")
    expect(item.locator(".badge[data-status='running']")).to_be_visible()
    item.locator("button.open").click()
    # followed here: its steps replayed then live, not "this run has no result"
    expect(panel.locator("#steps li[data-name='fetch']")).to_be_visible(timeout=15_000)
    expect(panel.locator("#progress")).to_be_visible()
    expect(panel.locator("#error")).to_be_hidden()
    panel.wait_for_selector("#result:not([hidden])", timeout=30_000)
    assert "삼성전자(005930.KS)의 수정종가는" in panel.locator("#result-body").inner_text()
    assert (
        len([r for r in stack.orchestrator.requests if "기록에서 따라가기" in r["prompt"]]) == 1
    )  # followed, not re-run
