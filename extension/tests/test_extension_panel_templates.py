"""Issue 18 item 3 in the panel (task 20b): report templates, in real headless Chromium against
the real gateway and the real orchestrator (krx/dart/yahoo replayed from the recorded fixtures,
the scripted LLM; see conftest.real_stack). Choosing the peer comparison shows the companies
field in place of the company field and a 현대자동차/기아 comparison runs; the form folds while
an outline awaits approval; an edited outline is saved as a template (a second save under the
same name is refused with a sentence), listed in the chooser, and a draft with it writes
exactly its sections; a saved template is deleted from the chooser.
Screenshots: test-artifacts/panel-states/ (the README's pictures come from there)."""

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from .conftest import USER_EMAIL, USER_SUB

pytestmark = pytest.mark.browser

BUILTINS = ["기업 분석", "실적 리뷰", "투자 메모", "동종사 비교"]  # the gateway's order (by id)
SAVED_NAME = "내 점검 양식"
SAVED_SECTIONS = ["회사 개요", "주가 동향", "리스크"]


def shot(page, artifacts_dir: Path, name: str) -> None:
    folder = artifacts_dir / "panel-states"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def gateway_get(stack, path: str) -> Any:
    token = stack.google.id_token(sub=USER_SUB, email=USER_EMAIL)
    response = httpx.get(f"{stack.gateway_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def newest_run(stack) -> dict[str, Any]:
    sessions = gateway_get(stack, "/v1/sessions")["items"]
    items = gateway_get(stack, f"/v1/sessions/{sessions[0]['session_id']}/runs")["items"]
    return gateway_get(stack, f"/v1/runs/{items[0]['run_id']}")


def section_headings(result: dict[str, Any]) -> list[str]:
    return [b["text"] for b in result["blocks"] if b["type"] == "heading" and b.get("level") == 2]


def template_options(panel) -> list[str]:
    return panel.locator("#template option").all_inner_texts()


def test_sign_in(real_browser, real_stack):
    panel = real_browser.panel
    panel.click("#sign-in")
    expect(panel.locator("#account")).to_have_text(USER_EMAIL)
    panel.select_option("#kind", "draft")
    # the built-ins, named in the panel's language, after "none"
    expect(panel.locator("#template optgroup")).to_have_count(1)
    assert template_options(panel)[1:] == BUILTINS
    # no template: one company, free sections, no companies field
    expect(panel.locator("#company")).to_be_visible()
    expect(panel.locator("#sections")).to_be_visible()
    expect(panel.locator("#companies")).to_be_hidden()


def test_peer_comparison_shows_the_companies_field_and_compares_two_companies(real_browser, real_stack, artifacts_dir):
    panel = real_browser.panel
    panel.fill("#company", "삼성전자")  # then hidden by the peer template: not sent
    panel.select_option("#template", "peer_comparison")
    expect(panel.locator("#companies")).to_be_visible()
    expect(panel.locator("#company")).to_be_hidden()
    expect(panel.locator("#sections")).to_be_hidden()
    expect(panel.locator("#template-description")).to_contain_text("같은 기간, 같은 기준으로 비교")
    expect(panel.locator("#template-delete")).to_be_hidden()  # a built-in cannot be deleted
    panel.fill("#prompt", "두 회사를 비교해줘")
    panel.fill("#companies", "현대자동차, 기아")
    panel.select_option("#length", "short")
    panel.fill("#as_of", "2024-12-30")
    panel.uncheck("#review_outline")
    shot(panel, artifacts_dir, "template-chooser")
    panel.click("#run")
    panel.wait_for_selector("#result:not([hidden])", timeout=90_000)
    run = newest_run(real_stack)
    assert run["status"] == "completed", run.get("error")
    assert run["options"]["companies"] == ["현대자동차", "기아"]
    assert run["options"]["template"] == "peer_comparison"
    assert "company" not in run["options"]
    peer = gateway_get(real_stack, "/v1/templates/peer_comparison")
    titles = [s["title"] for s in peer["sections"]]
    assert [h for h in section_headings(run["result"]) if h in titles] == titles
    # each company's figures are cited to that company's own sources
    cited = " ".join(c["title"] for c in run["result"]["citations"])
    assert "현대차 " in cited and "기아 " in cited  # DART names 현대자동차 현대차

    # reopened from History: the form is the comparison's again (template, companies, no company)
    panel.select_option("#template", "")
    panel.click("#tab-history")
    panel.locator(f"#run-list li[data-run-id='{run['run_id']}'] button.open").click()
    expect(panel.locator("#template")).to_have_value("peer_comparison")
    expect(panel.locator("#companies")).to_have_value("현대자동차, 기아")
    expect(panel.locator("#company")).to_be_hidden()


def test_the_form_folds_while_the_outline_awaits_approval_and_the_outline_is_saved_as_a_template(
    real_browser, real_stack, artifacts_dir
):
    panel = real_browser.panel
    panel.select_option("#template", "")
    expect(panel.locator("#companies")).to_be_hidden()
    panel.fill("#company", "삼성전자")
    panel.fill("#prompt", "점검 보고서")
    panel.check("#review_outline")
    panel.click("#run")
    expect(panel.locator("#outline-review")).to_be_visible(timeout=60_000)
    # item 3: the outline editor is not below a form the user no longer needs
    expect(panel.locator("#run-form")).to_be_hidden()
    items = panel.locator("#outline-sections .section-title-input")
    panel.fill("#outline-title", "삼성전자 점검 보고서")  # the company becomes {company} in the template
    items.nth(0).fill(SAVED_SECTIONS[0])
    panel.click("#outline-add")
    panel.locator("#outline-sections li").nth(2).locator(".section-title-input").fill(SAVED_SECTIONS[2])
    panel.locator("#outline-sections li").nth(2).locator(".section-instructions").fill("두 가지로 요약")
    assert items.evaluate_all("els => els.map(e => e.value)") == SAVED_SECTIONS

    panel.click("#template-save")
    expect(panel.locator("#template-save-dialog")).to_be_visible()
    expect(panel.locator("#template-name")).to_be_focused()
    panel.click("#template-save-confirm")  # no name yet
    expect(panel.locator("#template-save-error")).to_have_text("양식 이름을 적으세요.")
    panel.fill("#template-name", SAVED_NAME)
    panel.locator("#template-save-dialog").scroll_into_view_if_needed()
    shot(panel, artifacts_dir, "template-save")
    panel.click("#template-save-confirm")
    expect(panel.locator("#template-save-dialog")).to_be_hidden()
    expect(panel.locator("#status")).to_contain_text(f"‘{SAVED_NAME}’ 양식을 저장했습니다")
    saved = [t for t in gateway_get(real_stack, "/v1/templates")["items"] if not t["builtin"]]
    assert [(t["name"], [s["title"] for s in t["sections"]]) for t in saved] == [(SAVED_NAME, SAVED_SECTIONS)]
    assert saved[0]["sections"][2]["instructions"] == "두 가지로 요약"
    assert saved[0]["title"] == "{company} 점검 보고서"
    assert template_options(panel)[-1] == SAVED_NAME

    # the same name again: the gateway's 409 template_exists, said as a sentence in the dialog
    panel.click("#template-save")
    panel.fill("#template-name", SAVED_NAME)
    panel.click("#template-save-confirm")
    expect(panel.locator("#template-save-error")).to_have_text(re.compile("같은 이름의 양식이 이미 있습니다"))
    panel.click("#template-save-cancel")

    # discarding the draft unfolds the form
    panel.click("#outline-cancel")
    expect(panel.locator("#run-form")).to_be_visible()


def test_a_draft_with_the_saved_template_writes_exactly_its_sections_and_it_can_be_deleted(
    real_browser, real_stack, artifacts_dir
):
    panel = real_browser.panel
    saved = next(t for t in gateway_get(real_stack, "/v1/templates")["items"] if t["name"] == SAVED_NAME)
    panel.select_option("#template", saved["id"])
    expect(panel.locator("#company")).to_be_visible()
    expect(panel.locator("#companies")).to_be_hidden()
    expect(panel.locator("#template-delete")).to_be_visible()
    panel.fill("#company", "삼성전자")
    panel.uncheck("#review_outline")
    before = real_stack.llm.calls.get("section", 0)
    panel.click("#run")
    panel.wait_for_selector("#result:not([hidden])", timeout=90_000)
    run = newest_run(real_stack)
    assert run["status"] == "completed", run.get("error")
    assert run["options"]["template"] == saved["id"]
    headings = section_headings(run["result"])
    assert [h for h in headings if h in SAVED_SECTIONS] == SAVED_SECTIONS
    assert real_stack.llm.calls.get("section", 0) - before == len(SAVED_SECTIONS)
    assert run["result"]["title"] == "삼성전자 점검 보고서"

    panel.once("dialog", lambda dialog: dialog.accept())
    panel.click("#template-delete")
    expect(panel.locator("#status")).to_contain_text(f"‘{SAVED_NAME}’ 양식을 삭제했습니다")
    assert SAVED_NAME not in template_options(panel)
    expect(panel.locator("#template")).to_have_value("")
    assert [t for t in gateway_get(real_stack, "/v1/templates")["items"] if not t["builtin"]] == []
    assert not [line for line in real_browser.console if line.startswith("pageerror")], real_browser.console


def test_the_options_page_manages_saved_templates_and_the_panel_lists_them_at_once(
    real_browser, real_stack, artifacts_dir
):
    panel = real_browser.panel
    options = real_browser.context.new_page()
    try:
        options.goto(f"chrome-extension://{real_browser.extension_id}/options.html")
        expect(options.locator("#template-list-status")).to_have_text("아직 저장한 양식이 없습니다.")
        options.fill("#tpl-name", "짧은 점검")
        options.fill("#tpl-title", "{company} {분기} 점검")  # only {company} is a placeholder
        options.fill("#tpl-sections", "개요 | 두 문장으로\n리스크")
        options.click("#template-form button[type='submit']")
        expect(options.locator("#template-form-status")).to_have_text(re.compile("‘짧은 점검’ 양식을 저장했습니다"))
        item = options.locator("#template-list li")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("개요 · 리스크")
        saved = next(t for t in gateway_get(real_stack, "/v1/templates")["items"] if not t["builtin"])
        assert saved["title"] == "{company} 분기 점검"
        assert [(s["title"], s["instructions"]) for s in saved["sections"]] == [("개요", "두 문장으로"), ("리스크", "")]
        # the open panel was told: its chooser lists the new template without a reload
        expect(panel.locator("#template optgroup").nth(1).locator("option")).to_have_text(["짧은 점검"])
        # the same name again: refused with the gateway's sentence
        options.fill("#tpl-name", "짧은 점검")
        options.fill("#tpl-sections", "개요")
        options.click("#template-form button[type='submit']")
        expect(options.locator("#template-form-status")).to_have_text(re.compile("같은 이름의 양식이 이미 있습니다"))
        options.screenshot(path=str(artifacts_dir / "panel-states" / "options-templates.png"), full_page=True)
        options.once("dialog", lambda dialog: dialog.accept())
        item.locator("button.remove").click()
        expect(options.locator("#template-list-status")).to_have_text("‘짧은 점검’ 양식을 삭제했습니다.")
        expect(panel.locator("#template optgroup")).to_have_count(1)
    finally:
        options.close()
