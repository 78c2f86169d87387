"""Rewrite a given text (summarize / expand / polish / formal / translate) keeping every number unchanged."""

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from finscribe_orchestrator.prompts.common import fill

MODES = {
    "summarize": "핵심만 남겨 요약하세요",
    "expand": "내용을 더 자세히 풀어 쓰되 새로운 사실이나 숫자는 추가하지 마세요",
    "polish": "문장을 자연스럽고 읽기 좋게 다듬으세요",
    "formal": "공식 보고서 문체(~입니다/~했습니다)로 바꾸세요",
    "translate_ko": "자연스러운 한국어로 번역하세요",
    "translate_en": "Translate into natural, professional English",
}

SYSTEM = """\
당신은 금융 문서 편집자입니다. 사용할 수 있는 것은 <원문>뿐입니다.
규칙:
1. <원문>의 모든 숫자(금액, 비율, 배수, 날짜)를 값과 단위 그대로 유지하세요.
   숫자를 바꾸거나, 반올림하거나, 새로 만들지 마세요.
2. <원문>에 있는 출처 표시 [n]은 해당 문장에 그대로 남기세요. 새로운 [n]을 만들지 마세요.
3. 결과 텍스트만 답하세요(설명, 머리말 없이)."""

USER = """\
작업: {instruction}
목표 분량: {target}
<원문>
{text}
</원문>"""

RETRY = """\
결과에서 원문의 다음 숫자가 빠지거나 바뀌었습니다: {missing}
원문의 숫자를 그대로 유지해서 다시 쓰세요."""


def build(*, text: str, mode: str, target_chars: int | None) -> list[BaseMessage]:
    target = f"약 {target_chars}자" if target_chars else "원문과 비슷한 분량(요약은 더 짧게, 확장은 더 길게)"
    return [
        SystemMessage(content=SYSTEM),
        HumanMessage(content=fill(USER, instruction=MODES[mode], target=target, text=text)),
    ]


def build_retry(first: list[BaseMessage], previous: str, missing: list[str]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage

    return [*first, AIMessage(content=previous), HumanMessage(content=fill(RETRY, missing=", ".join(missing)))]
