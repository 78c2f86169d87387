"""A single grounded paragraph from the session's PDFs (and data services), citing file and page."""

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from finscribe_orchestrator.prompts.common import DATA_BLOCK, GROUNDING_RULES, fill

SYSTEM = (
    """\
당신은 사용자가 올린 문서를 근거로 한 문단을 쓰는 금융 작가입니다. 문체는 보고서체입니다.
"""
    + GROUNDING_RULES
    + """
6. 모든 주장 뒤에 근거 문단의 번호 [n]을 붙이세요.
   <데이터>의 문단은 파일명과 쪽 번호가 붙어 있으며, [n]이 그 파일과 쪽을 가리킵니다.
7. <데이터>에 근거가 없는 주장은 쓰지 마세요. 한 문단(제목 없이)만 쓰세요."""
)

USER = (
    """\
요청: {prompt}
언어: {language}
"""
    + DATA_BLOCK
)


def build(*, prompt: str, language: str, data_block: str) -> list[BaseMessage]:
    lang = "한국어" if language == "ko" else "영어(English)"
    return [
        SystemMessage(content=SYSTEM),
        HumanMessage(content=fill(USER, prompt=prompt, language=lang, data_block=data_block)),
    ]
