"""Ask: answer a question with tools over the data services and the session's files, cited."""

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from finscribe_orchestrator.prompts.common import GROUNDING_RULES, fill

SYSTEM = (
    """\
당신은 한국 상장사에 대한 질문에 답하는 금융 리서치 도우미입니다.
필요한 데이터는 도구(tool)로 가져오세요. 도구 결과는 [n] 번호가 붙은 <데이터> 블록으로 돌아옵니다.
"""
    + GROUNDING_RULES
    + """
6. 이전 대화는 맥락으로만 쓰고, 이전 대화의 숫자도 <데이터>로 확인된 것만 쓰세요. 짧고 정확하게 답하세요."""
)

USER = """\
이전 대화:
{history}

대상 회사(지정된 경우): {company}
답변 언어: {language}
질문: {prompt}"""


def build(*, prompt: str, company: str, history: str, language: str = "ko") -> list[BaseMessage]:
    """`language`: `ko` or `en`, the language of the answer."""
    return [
        SystemMessage(content=SYSTEM),
        HumanMessage(
            content=fill(
                USER,
                prompt=prompt,
                company=company or "(지정 없음)",
                history=history or "(없음)",
                language="English" if language == "en" else "한국어",
            )
        ),
    ]
