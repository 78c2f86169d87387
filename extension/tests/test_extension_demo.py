"""The side panel against a demo stack (`make demo`: the real orchestrator and gateway in demo
mode over the replayed recordings): the DEMO badge shows, the preview opens with the notice,
and the text inserted into the document starts with it."""

import pytest
from playwright.sync_api import expect

from finscribe_common.demo import DEMO_NOTICE

from .conftest import USER_EMAIL, serve_real_stack
from .test_extension_real_orchestrator import paragraphs, text_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_stack(tmp_path_factory, fake_google, google_web, rag):
    import datetime as dt

    as_of = dt.date(2024, 12, 30)  # what `finscribe up --demo` computes from the replays
    with serve_real_stack(tmp_path_factory, fake_google, google_web, rag, demo=True, default_as_of=as_of) as served:
        yield served


@pytest.fixture(scope="module")
def demo_browser(demo_stack, tmp_path_factory):
    from .conftest import launch_browser

    with launch_browser(demo_stack, tmp_path_factory) as launched:
        yield launched


def test_a_demo_result_shows_the_badge_and_inserts_the_notice_first(demo_browser, demo_stack, artifacts_dir):
    panel = demo_browser.panel
    assert panel.locator("#demo-badge").is_hidden()  # nothing says demo before a demo result
    panel.click("#sign-in")
    expect(panel.locator("#account")).to_have_text(USER_EMAIL)
    panel.select_option("#kind", "draft")
    panel.fill("#prompt", "삼성전자 보고서를 써줘")
    panel.fill("#company", "삼성전자")
    panel.select_option("#length", "short")
    # straight through (the panel reviews the outline by default): this test is about the written result
    panel.uncheck("#review_outline")
    panel.click("#run")
    panel.wait_for_selector("#result:not([hidden])", timeout=60_000)

    badge = panel.locator("#demo-badge")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("DEMO")
    assert DEMO_NOTICE in (badge.get_attribute("title") or "")
    first = panel.locator("#result-body > *").first
    assert first.evaluate("el => el.tagName") == "BLOCKQUOTE" and first.inner_text().strip() == DEMO_NOTICE
    panel.screenshot(path=str(artifacts_dir / "extension-panel-demo.png"), full_page=True)

    panel.click("#insert-end")
    expect(panel.locator("#status")).to_have_text("문서 끝에 삽입했습니다.", timeout=20_000)
    # the document as the fake Docs API holds it after the batch: the notice is the first
    # paragraph written after the document's own three
    texts = [text_of(p) for p in paragraphs(demo_stack.web.document)]
    assert texts[:3] == ["시장 메모", "KOSPI는 상승했다.", "끝."]
    assert texts[3] == DEMO_NOTICE, texts[:6]
