"""The demo label: `demo: true`, the notice as the markdown's first line and as the first block."""

import copy

from finscribe_common.demo import DEMO_NOTICE, is_labelled, label_result
from finscribe_common.demo.label import DEMO_NOTICE_EN


def result() -> dict:
    return {
        "title": "삼성전자 기업 분석 보고서",
        "markdown": "# 삼성전자 기업 분석 보고서\n\n본문 [1]\n",
        "blocks": [{"type": "heading", "level": 1, "text": "삼성전자 기업 분석 보고서"}],
        "citations": [{"n": 1, "provider": "KRX", "title": "주가", "url": "", "as_of": "2024-09-30"}],
    }


def test_label_puts_the_notice_first_everywhere():
    labelled = label_result(result())
    assert labelled["demo"] is True
    assert labelled["markdown"].splitlines()[0] == f"> {DEMO_NOTICE}"
    assert labelled["markdown"].endswith("# 삼성전자 기업 분석 보고서\n\n본문 [1]\n")  # nothing else changes
    assert labelled["blocks"][0] == {"type": "quote", "text": DEMO_NOTICE, "citations": [], "demo": True}
    assert labelled["blocks"][1]["type"] == "heading"
    assert labelled["citations"] == result()["citations"]
    assert is_labelled(labelled)


def test_labelling_twice_changes_nothing():
    once = label_result(result())
    twice = label_result(copy.deepcopy(once))
    assert twice == once


def test_an_empty_or_odd_result_still_gets_every_label():
    labelled = label_result({"markdown": "", "blocks": None})
    assert is_labelled(labelled)
    assert labelled["markdown"] == f"> {DEMO_NOTICE}\n"


def test_is_labelled_wants_all_three_parts():
    labelled = label_result(result())
    for broken in (
        {**labelled, "demo": False},
        {**labelled, "markdown": "# 제목"},
        {**labelled, "blocks": labelled["blocks"][1:]},
    ):
        assert not is_labelled(broken)
    assert not is_labelled(result())


def test_an_english_result_gets_the_english_notice_and_is_not_labelled_again_in_korean():
    english = label_result(result(), "en")
    assert english["markdown"].splitlines()[0] == f"> {DEMO_NOTICE_EN}"
    assert english["blocks"][0]["text"] == DEMO_NOTICE_EN and is_labelled(english)
    # the gateway labels whatever it stores (no language there): an English label stays the only one
    assert label_result(copy.deepcopy(english)) == english
