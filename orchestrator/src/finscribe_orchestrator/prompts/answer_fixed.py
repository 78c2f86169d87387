"""Ask without tool calling (a model that cannot call tools): the orchestrator already fetched
the company's data on a fixed plan (resolve, fetch, answer); the model answers from it, cited."""

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from finscribe_orchestrator.prompts.common import DATA_BLOCK, GROUNDING_RULES, fill

SYSTEM = (
    """\
당신은 한국 상장사에 대한 질문에 답하는 금융 리서치 도우미입니다.
질문에 필요한 데이터는 이미 가져와 아래 [n] 번호가 붙은 <데이터> 블록에 있습니다. 그 데이터로만 답하세요.
"""
    + GROUNDING_RULES
    + """
6. 이전 대화는 맥락으로만 쓰고, 이전 대화의 숫자도 <데이터>로 확인된 것만 쓰세요. 짧고 정확하게 답하세요."""
)

USER = (
    """\
이전 대화:
{history}

대상 회사: {company}
질문: {prompt}
"""
    + DATA_BLOCK
)


def build(*, prompt: str, company: str, history: str, data_block: str) -> list[BaseMessage]:
    return [
        SystemMessage(content=SYSTEM),
        HumanMessage(
            content=fill(
                USER,
                prompt=prompt,
                company=company or "(찾지 못함)",
                history=history or "(없음)",
                data_block=data_block or "(가져온 데이터 없음)",
            )
        ),
    ]
