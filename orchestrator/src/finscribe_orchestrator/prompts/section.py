"""One section of a draft, streamed; and its regeneration when the grounding check found unsupported numbers."""

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from finscribe_orchestrator.prompts.common import DATA_BLOCK, GROUNDING_RULES, fill

SYSTEM = (
    """\
당신은 한국 상장사 분석 보고서의 한 섹션을 쓰는 애널리스트입니다. 문체는 보고서체(~입니다/~했습니다)로 씁니다.
"""
    + GROUNDING_RULES
    + """
6. 섹션 제목은 쓰지 말고 본문만 마크다운으로 쓰세요(문단, 필요하면 "- " 목록). 표와 차트는 따로 붙으니 만들지 마세요."""
)

USER = (
    """\
보고서 제목: {report_title}
대상 회사: {company}
이 섹션: {section_title}
섹션의 목적: {purpose}
사용자 지시: {instructions}
분량: 약 {target_chars}자
작성 언어: {language}
원래 요청: {prompt}
"""
    + DATA_BLOCK
)

LANGUAGES = {
    "ko": "한국어(보고서체)",
    "en": "English (formal report style; keep Korean units such as 조원 as KRW trillion)",
}

REGENERATE = """\
방금 쓴 섹션에서 <데이터>로 확인되지 않는 부분이 발견되었습니다: {findings}
이 숫자들을 <데이터>에 있는 값으로 고치거나, 확인할 수 없으면 숫자 없이 서술하세요.
부호와 증감 방향(증가/감소, 흑자/적자), 단위(%와 %p, 조·억·만)도 <데이터>와 같게 쓰세요.
출처 번호는 <데이터>의 번호만, 그 숫자가 있는 출처의 번호로 쓰세요.
섹션 본문 전체를 다시 쓰세요.

방금 쓴 본문:
{previous}"""


def build(
    *,
    report_title: str,
    company: str,
    section_title: str,
    purpose: str,
    target_chars: int,
    prompt: str,
    data_block: str,
    language: str = "ko",
    instructions: str = "",
) -> list[BaseMessage]:
    """`instructions`: the user's own instructions for this section, from the outline review."""
    return [
        SystemMessage(content=SYSTEM),
        HumanMessage(
            content=fill(
                USER,
                report_title=report_title,
                company=company,
                section_title=section_title,
                purpose=purpose,
                instructions=instructions.strip() or "(없음)",
                target_chars=str(target_chars),
                prompt=prompt or "(없음)",
                data_block=data_block,
                language=LANGUAGES.get(language, LANGUAGES["ko"]),
            )
        ),
    ]


def build_regenerate(first: list[BaseMessage], previous: str, findings: str) -> list[BaseMessage]:
    return [*first, HumanMessage(content=fill(REGENERATE, findings=findings, previous=previous))]
