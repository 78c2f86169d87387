"""The words the orchestrator itself puts into a document (headings, table headers, the
intro line, source lines, chart placeholders), in the run's language (`ko` or `en`).
What the LLM writes follows the prompt's language; what the data summaries say is theirs."""

from typing import Final

LABELS: Final[dict[str, dict[str, str]]] = {
    "ko": {
        "key_figures": "주요 지표",
        "item": "항목",
        "value": "값",
        "source": "출처",
        "charts": "차트",
        "sources": "출처",
        "intro": "대상: {company} · 기준일 {as_of}",
        "as_of": "기준일 {as_of}",
        "chart": "차트 {n}",
        "report": "{company} 기업 분석 보고서",
        "report_untitled": "기업 분석 보고서",
    },
    "en": {
        "key_figures": "Key figures",
        "item": "Item",
        "value": "Value",
        "source": "Source",
        "charts": "Charts",
        "sources": "Sources",
        "intro": "Company: {company} · as of {as_of}",
        "as_of": "as of {as_of}",
        "chart": "Chart {n}",
        "report": "{company} company analysis",
        "report_untitled": "Company analysis",
    },
}


def label(language: str, key: str, **values: object) -> str:
    """The label `key` in `language` (Korean for anything else), with `values` filled in."""
    text = LABELS.get(language, LABELS["ko"])[key]
    return text.format(**values) if values else text
