"""Every run kind writes its whole result in the language asked (real data services on the
recorded fixtures, the scripted LLM, which writes in the language its prompt asks for).

The check, precisely: every string of the result a reader sees — markdown, every block's
text, items, table header and cells, captions, chart titles, alt texts and data tables,
citation titles, warning messages — with the allowed proper names taken out (the run's
company name as DART/KRX list it, and the DART filing titles `report_nm` as filed, e.g.
"분기보고서 (2024.09)") must hold no Hangul syllable or jamo. In Korean, none of the English
scaffolding words may appear. Besides the five kinds: a peer comparison (its table, basis
notes, chart titles) and a demo draft of a company without recorded prices (the price section
the demo adds, the recordings' provenance in every citation title)."""

import datetime as dt
import re
from typing import Any

import pytest

from finscribe_common.contract.templates import builtin_templates
from finscribe_common.demo.provenance import encode
from finscribe_orchestrator.labels import LABELS
from finscribe_testkit.dart import demo as dart_demo
from finscribe_testkit.dart.replay import recorded_filings
from finscribe_testkit.krx import demo as krx_demo
from finscribe_testkit.orchestrator.llm import ScriptedLLM
from finscribe_testkit.orchestrator.runner import AS_OF, Events, completed
from finscribe_testkit.yahoo import demo as yahoo_demo

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")
COMPANY = "삼성전자"
PEERS = ["NAVER", "카카오"]  # both with recorded DART main accounts (dart_main_accounts)
DEMO_COMPANY = ("KB금융지주", "KB금융")  # DART's and KRX's names; the demo recordings hold no prices for it
NAMES = {"peer": tuple(PEERS), "demo_gap": DEMO_COMPANY}
KINDS = ["draft", "paragraph", "rewrite", "chart", "ask", "peer", "demo_gap"]
FILING_TITLES = sorted({f["report_nm"] for f in recorded_filings()}, key=len, reverse=True)
SKIPPED_KEYS = {"png_base64", "source", "url", "params"}  # not shown as text (params repeat the message's values)


def shown_strings(value: Any) -> list[str]:
    """Every string a reader sees in a result (or a warning), recursively."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in SKIPPED_KEYS for s in shown_strings(v)]
    if isinstance(value, list):
        return [s for item in value for s in shown_strings(item)]
    return []


def hangul_left(result: dict[str, Any], names: tuple[str, ...] = (COMPANY,)) -> list[str]:
    found = []
    for text in shown_strings(result):
        for name in (*FILING_TITLES, *sorted(names, key=len, reverse=True)):
            text = text.replace(name, "")
        found += [f"{m.group(0)!r} in {text[max(0, m.start() - 40) : m.end() + 40]!r}" for m in HANGUL.finditer(text)]
    return found


async def run_kind(runner_for, kind: str, language: str) -> Events:
    if kind == "peer":
        runner = runner_for()
        template = builtin_templates()["peer_comparison"].model_dump(mode="json")
        options = {"companies": PEERS, "as_of": AS_OF, "language": language}
        return await runner.post(runner.body("draft", "", options=options, template=template))
    if kind == "demo_gap":
        recordings = [*krx_demo.recordings(), *dart_demo.recordings(), *yahoo_demo.recordings()]
        runner = runner_for(
            demo=True,
            default_as_of=dt.date.fromisoformat(AS_OF),
            demo_recordings=encode(recordings),
            demo_companies="삼성전자 (005930), KB금융 (105560)",
        )
        return await runner.run("draft", "", company=DEMO_COMPANY[0], length="short", language=language)
    runner = runner_for()
    if kind == "draft":
        return await runner.run("draft", "", company=COMPANY, length="short", language=language, as_of=AS_OF)
    if kind == "paragraph":
        prompt = "Samsung results" if language == "en" else "삼성전자 실적"
        options = {"use_files": False, "company": COMPANY, "language": language, "as_of": AS_OF}
        return await runner.run("paragraph", prompt, **options)
    if kind == "chart":
        return await runner.run("chart", "", company=COMPANY, language=language, as_of=AS_OF)
    if kind == "ask":
        prompt = "What was the latest close?" if language == "en" else "최근 종가는?"
        return await runner.run("ask", prompt, company=COMPANY, language=language, as_of=AS_OF)
    text = (
        "Revenue rose 5.2% to KRW 3.1 trillion in the third quarter."
        if language == "en"
        else "3분기 매출액은 3.1조원으로 5.2% 늘었다."
    )
    return await runner.run("rewrite", "", text=text, mode="polish", language=language)


@pytest.mark.parametrize("kind", KINDS)
async def test_an_english_run_has_no_korean_but_names(runner_for, llm: ScriptedLLM, kind: str) -> None:
    events = await run_kind(runner_for, kind, "en")
    result = completed(events)
    names = NAMES.get(kind, (COMPANY,))
    assert hangul_left(result, names) == []
    shown = [d for t, d in events if t in ("warning", "step")]
    texts = {"events": [{"message": d.get("message"), "detail": d.get("detail")} for d in shown]}
    assert hangul_left(texts, names) == []
    assert all(d.get("detail_code") for t, d in events if t == "step" and "detail" in d)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_korean_run_has_no_english_scaffolding(runner_for, llm: ScriptedLLM, kind: str) -> None:
    result = completed(await run_kind(runner_for, kind, "ko"))
    english = {LABELS["en"][k] for k in ("key_figures", "item", "value", "charts", "sources", "date", "category")}
    words = set(re.findall(r"[A-Za-z][A-Za-z ]+[A-Za-z]", " ".join(shown_strings(result))))
    assert not english & words
    assert "Company:" not in result["markdown"] and "as of" not in result["markdown"]
    assert HANGUL.search(result["title"] + result["markdown"])


async def test_english_draft_figures_and_sources_read_in_english(runner_for, llm: ScriptedLLM) -> None:
    """The key-figures table, dataset titles and chart axes: 'KRW … trillion', not 조원."""
    result = completed(await run_kind(runner_for, "draft", "en"))
    table = next(b for b in result["blocks"] if b["type"] == "table")
    assert table["header"] == ["Item", "Value", "Source"]
    cells = {row[0]: row[1] for row in table["rows"]}
    assert any(v.startswith("KRW ") and v.endswith(" trillion") for v in cells.values()), cells
    titles = [c["title"] for c in result["citations"]]
    assert f"{COMPANY} daily share price" in titles
    chart_columns = [c for chart in result["charts"] for c in chart["table"]["columns"]]
    assert "Date" in chart_columns and any("(KRW trillion)" in c for c in chart_columns), chart_columns


async def test_an_english_peer_comparison_names_reports_figures_and_charts_in_english(
    runner_for, llm: ScriptedLLM
) -> None:
    result = completed(await run_kind(runner_for, "peer", "en"))
    table = next(b for b in result["blocks"] if b["type"] == "table")
    assert table["header"] == ["Item", *PEERS]
    rows = {row[0]: row[1:] for row in table["rows"]}
    assert all(re.fullmatch(r"\d{4} (Q1|Q3|half-year|annual) report.* \[\d+\]", c) for c in rows["Report"]), rows
    assert any(item.startswith("Revenue (") for item in rows), rows
    assert [c["title"] for c in result["charts"]][:2] == ["Revenue and operating income", "Operating margin"]


async def test_an_english_demo_draft_says_in_english_that_it_has_no_prices(runner_for, llm: ScriptedLLM) -> None:
    result = completed(await run_kind(runner_for, "demo_gap", "en"))
    assert result["markdown"].startswith("> Demo: written from recorded filings data")
    sections = re.split(r"^## ", result["markdown"], flags=re.M)
    price = next(s for s in sections if s.startswith("Share price"))
    assert "The demo has no share prices for KB금융" in price
    assert result["citations"] and all("recorded " in c["title"] for c in result["citations"]), result["citations"]


def failure(events: Events) -> dict[str, Any]:
    last_type, last = events[-1]
    assert last_type == "run.failed", events[-3:]
    return last["error"]


@pytest.mark.parametrize(
    ("kind", "options", "code"),
    [
        ("paragraph", {"company": COMPANY, "use_files": False}, "llm_unavailable"),
        ("ask", {"company": COMPANY}, "llm_unavailable"),
        ("rewrite", {"text": "영업이익률은 11.7%였다.", "mode": "formal"}, "llm_unavailable"),
    ],
)
@pytest.mark.parametrize("language", ["ko", "en"])
async def test_a_failed_run_says_why_in_its_language(
    runner_for, llm: ScriptedLLM, kind: str, options: dict[str, Any], code: str, language: str
) -> None:
    # run.failed's message was Korean whatever the run's language (the CLI prints it as is)
    llm.status = 503
    error = failure(await runner_for().run(kind, "영업이익률은?", language=language, **options))
    assert error["code"] == code
    assert bool(HANGUL.search(error["message"])) == (language == "ko"), error["message"]


HELD = "삼성전자 (005930), KB금융 (105560)"
PEER_TEMPLATE = builtin_templates()["peer_comparison"].model_dump(mode="json")
# (what the run asks, its failure code, what in its message is a name and stays as written)
REFUSALS: list[tuple[str, dict[str, Any], str, tuple[str, ...]]] = [
    ("draft", {"company": "없는회사이름"}, "company_not_found", ("없는회사이름",)),
    ("peer", {"companies": ["삼성전자", "없는회사이름"]}, "company_not_found", ("없는회사이름",)),
    ("peer", {"companies": ["삼성전자", "현대"]}, "ambiguous_company", ("현대",)),
    ("peer", {"companies": ["삼성전자", "005930"]}, "duplicate_company", ("삼성전자",)),
    ("demo", {"company": "없는회사테스트"}, "not_in_demo", ("없는회사테스트", HELD)),
    ("demo", {"company": "LG전자"}, "not_in_demo", ("LG전자", HELD)),
]
# an ambiguous name's candidates, as DART/KRX list them
CANDIDATES = re.compile(r"(?<=: )[^:]*?(?=\. (Give|정확한))")


@pytest.mark.parametrize(("kind", "options", "code", "names"), REFUSALS)
@pytest.mark.parametrize("language", ["ko", "en"])
async def test_a_refused_run_says_why_in_its_language(
    runner_for, kind: str, options: dict[str, Any], code: str, names: tuple[str, ...], language: str
) -> None:
    # company_not_found, ambiguous_company, duplicate_company and not_in_demo were Korean in English runs
    if kind == "peer":
        runner = runner_for()
        body = runner.body(
            "draft", "", options={**options, "as_of": AS_OF, "language": language}, template=PEER_TEMPLATE
        )
        events = await runner.post(body)
    else:
        settings = {"demo": True, "demo_companies": HELD} if kind == "demo" else {}
        events = await runner_for(**settings).run(
            "draft", "", length="short", language=language, as_of=AS_OF, **options
        )
    error = failure(events)
    assert error["code"] == code
    message = CANDIDATES.sub("", error["message"])
    for name in sorted(names, key=len, reverse=True):
        message = message.replace(name, "")
    message = re.sub(r"\([^)]*\)", "", message)  # a company's label, 삼성전자(005930)
    assert bool(HANGUL.search(message)) == (language == "ko"), error["message"]


# a user's own template (POST /v1/templates), written in Korean only: its words are the user's,
# kept as written in an English run; everything the run writes around them is English, and so
# is a title the user kept from a built-in template (an edited outline saved as a template)
SAVED_TEMPLATE = {
    "id": "u_" + "0" * 32,
    "name": "나의 분석",
    "title": "{company} 심층 점검",
    "sections": [
        {"title": "사업 한눈에", "instructions": "핵심만 짧게"},
        {"title": "실적 점검", "instructions": "전년과 비교", "data": ["metrics_annual", "metrics_interim"]},
        {"title": "주가 동향", "data": ["price", "index"]},
    ],
}
SAVED_WORDS = ("심층 점검", "사업 한눈에", "실적 점검")


@pytest.mark.parametrize("llm_up", [True, False], ids=["llm", "data_only"])
async def test_an_english_run_of_a_saved_korean_template_keeps_only_the_users_words(
    runner_for, llm: ScriptedLLM, llm_up: bool
) -> None:
    if not llm_up:
        llm.status = 503
    runner = runner_for()
    options = {"company": COMPANY, "as_of": AS_OF, "language": "en", "length": "short"}
    events = await runner.post(runner.body("draft", "", options=options, template=SAVED_TEMPLATE))
    result = completed(events)
    # the user's titles as written (theirs in both languages), the scaffolding in English
    assert result["title"] == f"{COMPANY} 심층 점검"
    headings = re.findall(r"^## (.+)$", result["markdown"], re.M)
    assert headings[:3] == ["사업 한눈에", "실적 점검", "Share price"], headings
    assert "Sources" in headings
    assert hangul_left(result, (COMPANY, *SAVED_WORDS)) == []
    if llm_up:  # the model was asked in English, given the user's words as theirs
        assert any("핵심만 짧게" in p for p in llm.section_prompts)


async def test_a_saved_template_keeping_the_built_in_title_reads_it_in_the_runs_language(
    runner_for, llm: ScriptedLLM
) -> None:
    saved = {**SAVED_TEMPLATE, "title": "{company} 기업 분석 보고서"}
    runner = runner_for()
    options = {"company": COMPANY, "as_of": AS_OF, "language": "en", "length": "short"}
    result = completed(await runner.post(runner.body("draft", "", options=options, template=saved)))
    assert result["title"] == f"{COMPANY} company analysis"
    korean = {**saved, "title": "{company} company analysis", "sections": [{"title": "Share price"}]}
    options["language"] = "ko"
    result = completed(await runner.post(runner.body("draft", "", options=options, template=korean)))
    assert result["title"] == f"{COMPANY} 기업 분석 보고서"
    assert re.findall(r"^## (.+)$", result["markdown"], re.M)[0] == "주가 동향"
