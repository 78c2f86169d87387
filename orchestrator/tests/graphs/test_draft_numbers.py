"""Korean numbers in a real draft run: the real krx/dart/yahoo apps with their upstreams replayed
from the recorded fixtures, the scripted LLM over the OpenAI protocol. Sentences written the
way Korean analysts write are planted in a section.

The data the draft fetches as of 2024-12-30 (DART fnlttSinglAcnt, Samsung Electronics 2024 Q3
report, consolidated, January to September, as the dart service reports it): net income
26,696,957,000,000 KRW; operating income 26,233,258,000,000 KRW (a profit); revenue
225,082,634,000,000 KRW, +17.75 % year on year.
"""

import re
from typing import Any

from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, Events, completed

HANGUL = re.compile(r"[\uac00-\ud7a3]")

SECTION = "실적 및 재무"
TRUE = (
    "3분기 누적 순이익은 26조 6천9백6십9억원입니다 [{3분기보고서}]. "
    "매출액은 전년 동기 대비 17.75% 증가했습니다 [{3분기보고서}]. "
    "영업이익은 26조 2,332억원으로 흑자를 기록했습니다 [{3분기보고서}]. "
    "당기순이익은 26조 6,969억원입니다."
)
WRONG = (
    "매출액은 전년 동기 대비 17.75% 감소했습니다 [{3분기보고서}]. "
    "영업이익은 -26조 2,332억원으로 적자를 기록했습니다 [{3분기보고서}]. "
    "영업이익은 △26조 2,332억원으로 적자 전환했습니다 [{3분기보고서}]. "
    "매출액은 17.75%p 증가했습니다 [{3분기보고서}]. "
    "당기순이익은 26억 6,969만원입니다 [{3분기보고서}]. "
    "매출액은 전년 동기 대비 27.75% 증가했습니다 [{3분기보고서}]. "
    "3분기 누적 매출액은 225조 826억원입니다 [{일별 주가}]."
)


async def _draft(runner_for: Any, llm: ScriptedLLM, planted: str, again: bool = False) -> Events:
    llm.plant_wrong_number = SECTION
    llm.planted = planted
    llm.planted_again = again
    return await runner_for().run("draft", "삼성전자", company="삼성전자", length="short", as_of=AS_OF)


def _section(result: dict[str, Any]) -> str:
    markdown = result["markdown"]
    start = markdown.index(f"## {SECTION}")
    return markdown[start : markdown.index("\n## ", start + 3)]


def _number_warnings(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in result["warnings"] if w.get("value")]


async def test_true_korean_style_figures_pass_and_an_uncited_one_gets_its_source(runner_for, llm) -> None:
    events = await _draft(runner_for, llm, TRUE)
    result = completed(events)
    assert not llm.calls.get("regenerate")  # nothing to fix: no regeneration
    assert _number_warnings(result) == []
    text = _section(result)
    metrics = next(c["n"] for c in result["citations"] if "3분기보고서 주요 재무지표" in c["title"])
    assert f"3분기 누적 순이익은 26조 6천9백6십9억원입니다 [{metrics}]." in text
    # supported but uncited: the source that holds 26,696,957,000,000 is cited for it
    assert f"당기순이익은 26조 6,969억원입니다 [{metrics}]." in text


async def test_planted_wrong_sentences_are_regenerated_away(runner_for, llm) -> None:
    events = await _draft(runner_for, llm, WRONG)
    result = completed(events)
    assert llm.calls.get("regenerate") == 1
    text = _section(result)
    for planted in ("17.75% 감소", "-26조 2,332억원", "△26조 2,332억원", "17.75%p", "26억 6,969만원", "27.75%"):
        assert planted not in text
    assert "225조 826억원" not in text
    verify = next(d for t, d in events if t == "step" and d["name"].startswith("verify:") and d["status"] == "started")
    detail = verify["detail"]
    assert "증감 방향이 데이터와 반대인 숫자: '17.75%'" in detail
    assert "'-26조 2,332억원'" in detail and "'△26조 2,332억원'" in detail and "부호가 데이터와 다른 숫자" in detail
    assert "%와 %p를 혼동한 숫자: '17.75%p'" in detail
    assert "단위(조·억·만)가 잘못된 숫자: '26억 6,969만원'" in detail
    assert "확인되지 않은 숫자: 27.75%" in detail
    assert "출처 번호가 잘못된 숫자: '225조 826억원'" in detail
    assert _number_warnings(result) == []


async def test_wrong_sentences_the_model_repeats_are_flagged_and_citations_corrected(runner_for, llm) -> None:
    events = await _draft(runner_for, llm, WRONG, again=True)
    result = completed(events)
    assert llm.calls.get("regenerate") == 1
    flagged = {(w["code"], w["value"]) for w in _number_warnings(result)}
    assert flagged == {
        ("number_wrong_direction", "17.75%"),
        ("number_wrong_sign", "-26조 2,332억원"),
        ("number_wrong_sign", "△26조 2,332억원"),
        ("number_percent_unit", "17.75%p"),
        ("number_wrong_unit", "26억 6,969만원"),
        ("unverified_number", "27.75%"),
        ("citation_corrected", "225조 826억원"),
    }
    messages = {w["message"] for w in _number_warnings(result)}
    assert f"'{SECTION}'의 숫자 '17.75%'의 증감 방향이 데이터와 반대입니다 (데이터는 +17.75% (증가/상승))" in messages
    assert (
        f"'{SECTION}'의 숫자 '17.75%p'에서 %와 %p가 뒤바뀌었습니다 (데이터는 %p 변화가 아니라 % 값입니다)" in messages
    )
    assert any(t == "warning" and d["code"] == "number_wrong_sign" for t, d in events)
    metrics = next(c["n"] for c in result["citations"] if "3분기보고서 주요 재무지표" in c["title"])
    prices = next(c["n"] for c in result["citations"] if "일별 주가" in c["title"])
    text = _section(result)
    assert f"3분기 누적 매출액은 225조 826억원입니다 [{metrics}]." in text
    assert f"225조 826억원입니다 [{prices}]" not in text


# Figures written wrong in an English draft (section "Results", the scripted model's English
# title for 실적 및 재무; `{…}` is the [n] of the data block whose title holds it).
WRONG_EN = (
    "Revenue grew 17.75%p year on year [{Q3 report}]. "
    "Net income was KRW 26.7 billion [{Q3 report}]. "
    "Revenue for the first nine months was KRW 225.1 trillion [{daily share price}]."
)


async def test_an_english_drafts_number_findings_are_english(runner_for, llm) -> None:
    llm.plant_wrong_number, llm.planted, llm.planted_again = "Results", WRONG_EN, True
    events = await runner_for().run("draft", "Samsung", company="삼성전자", length="short", language="en", as_of=AS_OF)
    result = completed(events)
    warnings = {w["value"]: w for w in _number_warnings(result)}
    expected = {
        "17.75%p": ("number_percent_unit", "finding_not_pp", "(the data is a % value, not a change in percentage"),
        "KRW 26.7 billion": ("number_wrong_unit", "finding_unit", "(the data has KRW "),
        "KRW 225.1 trillion": ("citation_corrected", "finding_cited_elsewhere", "(it is not in the cited [2] but in"),
    }
    for value, (code, finding, said) in expected.items():
        warning = warnings[value]
        assert (warning["code"], warning["params"]["detail"]["key"]) == (code, finding)
        assert said in warning["message"] and not HANGUL.search(warning["message"]), warning["message"]
    verify = next(d for t, d in events if t == "step" and d["name"].startswith("verify:") and d["status"] == "started")
    assert "Figures that mix up % and percentage points: '17.75%p'" in verify["detail"]
    assert "Figures cited to the wrong source: 'KRW 225.1 trillion': it is not in the cited [2]" in verify["detail"]
    assert not HANGUL.search(verify["detail"]), verify["detail"]
