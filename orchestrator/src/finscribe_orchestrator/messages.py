"""What the panel shows while a run goes on: warnings and step details, each a stable code plus
params, with the sentence in the run's language (`ko` or `en`) as `message` / `detail`.

The panel may render a code itself from `params` (extension/src/lib/error-codes.js and its
locales); the sentence here is what a client without that mapping shows. A warning's code is
its `code`; a step's is `detail_code`. Keys here are message keys: a code can have more than
one sentence (`unverified_number` in a draft names its section, in a rewrite it does not).
"""

from dataclasses import dataclass, field
from typing import Any, Final

from finscribe_orchestrator.labels import lang

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "ko": {
        # warnings
        "source_unavailable": "{service_label}({service}) 데이터 일부를 가져오지 못해 빼고 작성했습니다 ({reason}).",
        "not_recorded_in_demo": "데모에 기록되지 않은 {service_label} 데이터는 빼고 작성했습니다: {what}.",
        "llm_unavailable": "LLM을 사용할 수 없어 데이터만으로 작성했습니다 ({reason}).",
        "ambiguous_company": "회사명이 모호합니다: {names} 중 {name}({ticker})로 작성했습니다. "
        "다른 회사라면 회사명을 정확히 지정해 주세요.",
        "company_not_found": "요청에서 상장사를 찾지 못했습니다. 회사명을 지정해 주세요.",
        "outline_fallback": "목차(outline) 단계만 기본 목차로 대신했습니다: {reason}. 섹션은 LLM이 씁니다.",
        "reason_outline_json": "LLM의 목차 JSON이 형식에 맞지 않음 ({found})",
        "reason_llm_error": "LLM 호출 실패: {error}",
        "reason_timeout": "시간 초과",
        "section_fallback": "'{section}' 섹션을 LLM으로 쓰지 못해 데이터 문장으로 대신했습니다: {reason}",
        "unverified_number": "'{section}'의 숫자 '{value}'는 가져온 데이터로 확인되지 않았습니다.",
        "number_wrong_sign": "'{section}'의 숫자 '{value}'의 부호(흑자/적자, +/-)가 데이터와 다릅니다 ({detail})",
        "number_wrong_direction": "'{section}'의 숫자 '{value}'의 증감 방향이 데이터와 반대입니다 ({detail})",
        "number_percent_unit": "'{section}'의 숫자 '{value}'에서 %와 %p가 뒤바뀌었습니다 ({detail})",
        "number_wrong_unit": "'{section}'의 숫자 '{value}'의 단위(조·억·만)가 데이터와 다릅니다 ({detail})",
        "citation_corrected": "'{section}'의 숫자 '{value}'의 출처를 [{cite}]로 고쳤습니다 ({detail}).",
        # a number warning's `detail`: what the data says (grounding/check.py `judge`)
        "finding_unit": "데이터는 {shown}",
        "finding_not_pp": "데이터는 %p 변화가 아니라 % 값입니다",
        "finding_is_pp": "데이터는 {shown} (%p 변화)입니다",
        "finding_up": "데이터는 {shown} (증가/상승)",
        "finding_down": "데이터는 {shown} (감소/하락)",
        "finding_positive": "데이터는 {shown} (흑자/양수)",
        "finding_negative": "데이터는 {shown} (적자/음수)",
        "finding_not_turn": "'전환'이 아닙니다: 비교 기간 {shown}",
        "finding_not_continued": "'지속'이 아닙니다: 비교 기간 {shown}",
        "finding_cited_elsewhere": "인용한 {cited}에는 없고 [{right}]에 있습니다",
        # the verify step's list of findings by kind (GroundingReport.describe)
        "findings_unsupported": "확인되지 않은 숫자",
        "findings_wrong_sign": "부호가 데이터와 다른 숫자",
        "findings_wrong_direction": "증감 방향이 데이터와 반대인 숫자",
        "findings_percent_unit": "%와 %p를 혼동한 숫자",
        "findings_wrong_unit": "단위(조·억·만)가 잘못된 숫자",
        "findings_wrong_citation": "출처 번호가 잘못된 숫자",
        "findings_unknown_citation": "없는 출처 번호",
        "unknown_citation": "'{section}'에서 없는 출처 번호 {numbers}를 지웠습니다.",
        "unsupported_claim": "근거가 확인되지 않은 주장: {claim}",
        "number_dropped": "원문의 숫자 '{value}'가 결과에 없습니다.",
        "unverified_number_rewrite": "결과의 숫자 '{value}'는 원문에 없습니다.",
        "csv_unparsed_cells": "CSV 열 '{column}'에서 숫자로 읽지 못한 칸 {count}개를 차트에서 뺐습니다: "
        "{listed}{more}.",
        "csv_cell": "{row}행 '{text}'",
        "csv_more": " 외 {count}개",
        "chart_spec_fallback": "차트 사양(chart_spec) 단계: LLM이 올바른 차트 사양을 주지 않아 "
        "기본 차트를 그렸습니다{found}.",
        "chart_spec_error": "차트 사양 생성 실패: {error}",
        "peer_chart_partial": "'{title}' 차트에는 {names}의 데이터가 없어 빼고 그렸습니다.",
        "peer_chart_no_prices": "주가 성과 비교 차트는 주가를 가져온 회사가 두 곳 미만이라 그리지 않았습니다 "
        "(주가 없음: {names}).",
        "step_company": "{company}",
        "step_company_missing": "회사를 찾지 못했습니다",
        "step_datasets": "데이터 {count}건",
        "step_sections": "섹션 {count}개",
        "step_sections_fallback": "섹션 {count}개 (기본 목차)",
        "step_section": "{title}",
        "step_findings": "{findings}",
        "step_verified": "확인 완료",
        "step_charts": "차트 {count}개",
        "step_passages": "문단 {count}개",
        "step_grade_failed": "판정 실패: 검색 결과 사용",
        "step_relevant": "관련 {count}개, 충분={sufficient}",
        "step_revised": "수정 1회",
        "step_tools": "{tools}",
        "step_answer": "답변",
        "step_final_answer": "최종 답변",
        "step_plan": "도구 호출 없이: 회사 확인 → 데이터 → 답변",
        "step_plan_done": "{company}, 데이터 {count}건",
        "step_no_company": "회사 미확인",
        "step_numbers_check": "숫자 보존 확인",
        "step_numbers_found": "빠진 숫자 {missing}개, 바뀐 숫자 {altered}개",
        "step_rewrite_retry": "숫자를 지켜 다시 쓰기",
        "step_csv": "{rows}행, 열 {columns}개 ({encoding})",
        "step_default_chart": "기본 차트",
        "step_chart": "{title}",
        "step_text": "{text}",
        "step_peers": "{companies}",
        "step_peer_data": "{companies}개 회사, 데이터 {count}건",
        # run failures (run.failed's message; the code is the RunFailed code)
        "failed_llm_paragraph": "LLM을 사용할 수 없어 문단을 쓸 수 없습니다: {reason}",
        "failed_llm_rewrite": "LLM을 사용할 수 없어 다시 쓰기를 할 수 없습니다: {reason}",
        "failed_llm_ask": "LLM을 사용할 수 없어 답할 수 없습니다: {reason}",
        "failed_llm_error": "LLM 응답 오류: {reason}",
        "failed_csv_fetch": "CSV 파일을 가져오지 못했습니다: {reason}",
        "failed_csv_read": "CSV 파일을 읽을 수 없습니다: {reason}",
        "failed_csv_no_numbers": "CSV에 숫자 열이 없어 차트를 그릴 수 없습니다.",
        "failed_chart_no_data": "차트로 그릴 데이터를 가져오지 못했습니다. 회사명이나 파일을 확인해 주세요.",
        "failed_company_not_found": "'{name}'에 해당하는 상장사를 찾지 못했습니다. "
        "정확한 회사명이나 6자리 종목코드를 써 주세요.",
        "failed_ambiguous_company": "'{name}'은(는) 여러 회사일 수 있습니다: {names}. "
        "정확한 회사명이나 6자리 종목코드를 써 주세요.",
        "failed_duplicate_company": "'{first}'와(과) '{second}'은(는) 같은 회사({company})입니다.",
        "failed_company_search": "회사 검색 서비스({services})에 연결하지 못해 '{name}'을(를) 확인하지 못했습니다.",
        "failed_not_in_demo_company": "데모에는 '{name}'에 해당하는 회사가 기록되어 있지 않아 "
        "보고서를 쓰지 않았습니다. 데모에서 고를 수 있는 회사: {held}. "
        "실제 데이터로 쓰려면 자격 증명을 설정하고 `make run`을 쓰세요.",
        "failed_not_in_demo_data": "데모에는 {company}의 {as_of} 기준 데이터가 기록되어 있지 않아 "
        "보고서를 쓰지 않았습니다. 데모에서 고를 수 있는 회사: {held}. "
        "실제 데이터로 쓰려면 자격 증명을 설정하고 `make run`을 쓰세요.",
        "demo_held_default": "`make demo` 안내 화면의 회사",
        "reason_company_search": "회사 검색 실패",
        "reason_company_search_said": "회사 검색 실패: {said}",
    },
    "en": {
        "source_unavailable": "Some {service_label} ({service}) could not be fetched and was left out ({reason}).",
        "not_recorded_in_demo": "Left out because the demo has no recording of it ({service_label}): {what}.",
        "llm_unavailable": "No LLM was available, so the document was written from the data alone ({reason}).",
        "ambiguous_company": "The company name is ambiguous: of {names}, the document is about {name} ({ticker}). "
        "If you meant another company, give its exact name.",
        "company_not_found": "No listed company was found in the request. Please name the company.",
        "outline_fallback": "Only the outline step used the default outline ({reason}); the LLM writes the sections.",
        "reason_outline_json": "the LLM's outline JSON did not fit the schema: {found}",
        "reason_llm_error": "the LLM call failed: {error}",
        "reason_timeout": "timed out",
        "section_fallback": "The section '{section}' could not be written by the LLM and was written from the data "
        "instead: {reason}",
        "unverified_number": "The figure '{value}' in '{section}' could not be verified against the fetched data.",
        "number_wrong_sign": "The sign (profit/loss, +/-) of '{value}' in '{section}' differs from the data "
        "({detail}).",
        "number_wrong_direction": "The direction of change of '{value}' in '{section}' is the opposite of the data "
        "({detail}).",
        "number_percent_unit": "'{value}' in '{section}' mixes up % and percentage points ({detail}).",
        "number_wrong_unit": "The unit of '{value}' in '{section}' differs from the data ({detail}).",
        "citation_corrected": "The source of '{value}' in '{section}' was corrected to [{cite}] ({detail}).",
        "finding_unit": "the data has {shown_en}",
        "finding_not_pp": "the data is a % value, not a change in percentage points",
        "finding_is_pp": "the data is {shown_en}, a change in percentage points",
        "finding_up": "the data has {shown_en}, an increase",
        "finding_down": "the data has {shown_en}, a decrease",
        "finding_positive": "the data has {shown_en}, a profit or positive value",
        "finding_negative": "the data has {shown_en}, a loss or negative value",
        "finding_not_turn": "not a turnaround: the comparison period had {shown_en}",
        "finding_not_continued": "not a continuation: the comparison period had {shown_en}",
        "finding_cited_elsewhere": "it is not in the cited {cited} but in [{right}]",
        "findings_unsupported": "Figures not found in the data",
        "findings_wrong_sign": "Figures whose sign differs from the data",
        "findings_wrong_direction": "Figures whose direction of change is the opposite of the data",
        "findings_percent_unit": "Figures that mix up % and percentage points",
        "findings_wrong_unit": "Figures with a wrong unit (trillion/billion/…)",
        "findings_wrong_citation": "Figures cited to the wrong source",
        "findings_unknown_citation": "Source numbers that do not exist",
        "unknown_citation": "Source numbers {numbers} that do not exist were removed from '{section}'.",
        "unsupported_claim": "A claim whose support could not be confirmed: {claim}",
        "number_dropped": "The figure '{value}' of the original is missing from the result.",
        "unverified_number_rewrite": "The figure '{value}' in the result is not in the original.",
        "csv_unparsed_cells": "{count} cells of the CSV column '{column}' could not be read as numbers and were left "
        "out of the chart: {listed}{more}.",
        "csv_cell": "row {row} '{text}'",
        "csv_more": " and {count} more",
        "chart_spec_fallback": "Chart spec step: the LLM gave no valid chart spec, so the default chart was drawn"
        "{found}.",
        "chart_spec_error": "The chart spec could not be made: {error}",
        "peer_chart_partial": "The chart '{title}' leaves out {names}: no such figures.",
        "peer_chart_no_prices": "No price performance chart: fewer than two companies have prices (no prices: "
        "{names}).",
        "step_company": "{company}",
        "step_company_missing": "No company found",
        "step_datasets": "{count} datasets",
        "step_sections": "{count} sections",
        "step_sections_fallback": "{count} sections (default outline)",
        "step_section": "{title}",
        "step_findings": "{findings}",
        "step_verified": "Checked",
        "step_charts": "{count} charts",
        "step_passages": "{count} passages",
        "step_grade_failed": "Grading failed: using the search results",
        "step_relevant": "{count} relevant, sufficient={sufficient}",
        "step_revised": "Revised once",
        "step_tools": "{tools}",
        "step_answer": "Answer",
        "step_final_answer": "Final answer",
        "step_plan": "Without tool calls: company → data → answer",
        "step_plan_done": "{company}, {count} datasets",
        "step_no_company": "company not identified",
        "step_numbers_check": "Checking that the numbers are kept",
        "step_numbers_found": "{missing} figures missing, {altered} changed",
        "step_rewrite_retry": "Rewriting with the numbers kept",
        "step_csv": "{rows} rows, {columns} columns ({encoding})",
        "step_default_chart": "Default chart",
        "step_chart": "{title}",
        "step_text": "{text}",
        "step_peers": "{companies}",
        "step_peer_data": "{companies} companies, {count} datasets",
        "failed_llm_paragraph": "No LLM is available, so the paragraph cannot be written: {reason}",
        "failed_llm_rewrite": "No LLM is available, so the text cannot be rewritten: {reason}",
        "failed_llm_ask": "No LLM is available, so the question cannot be answered: {reason}",
        "failed_llm_error": "The LLM answered with an error: {reason}",
        "failed_csv_fetch": "The CSV file could not be fetched: {reason}",
        "failed_csv_read": "The CSV file cannot be read: {reason}",
        "failed_csv_no_numbers": "The CSV has no numeric column to chart.",
        "failed_chart_no_data": "No data to chart could be fetched. Check the company name or the file.",
        "failed_company_not_found": "No listed company matches '{name}'. Give the exact company name or its "
        "6-digit ticker.",
        "failed_ambiguous_company": "'{name}' could be several companies: {names}. Give the exact company name or "
        "its 6-digit ticker.",
        "failed_duplicate_company": "'{first}' and '{second}' are the same company ({company}).",
        "failed_company_search": "The company search services ({services}) could not be reached, so '{name}' "
        "could not be checked.",
        "failed_not_in_demo_company": "The demo holds no company matching '{name}', so no report was written. "
        "Companies the demo holds: {held}. To write from live data, set up the credentials and use `make run`.",
        "failed_not_in_demo_data": "The demo holds no data on {company} as of {as_of}, so no report was written. "
        "Companies the demo holds: {held}. To write from live data, set up the credentials and use `make run`.",
        "demo_held_default": "the companies listed by `make demo`",
        "reason_company_search": "company search failed",
        "reason_company_search_said": "company search failed: {said}",
    },
}

SERVICE_LABELS: Final[dict[str, dict[str, str]]] = {
    "ko": {"krx": "KRX 시세", "dart": "DART 공시·재무", "yahoo": "Yahoo Finance", "rag": "업로드 문서 검색"},
    "en": {
        "krx": "KRX market data",
        "dart": "DART filings and financials",
        "yahoo": "Yahoo Finance data",
        "rag": "uploaded-document search results",
    },
}


def text(language: object, key: str, **params: object) -> str:
    """The sentence of message `key` in `language`, `params` filled in."""
    return MESSAGES[lang(language)][key].format(**params)


@dataclass(frozen=True)
class Say:
    """A step detail: its code (the message key, `step_…`) and params; rendered per language."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, language: object) -> str:
        # a param may be a sentence of its own (a number warning's finding): said in the same language
        params = {k: v.render(language) if isinstance(v, Say) else v for k, v in self.params.items()}
        return text(language, self.code, **params)


def say(code: str, **params: Any) -> Say:
    return Say(code, params)
