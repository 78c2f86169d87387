"""Check that every claim of a written paragraph is supported by the passages it may use (structured output)."""

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from finscribe_orchestrator.prompts.common import DATA_BLOCK, fill

SYSTEM = """\
당신은 사실 확인 담당자입니다. <문단>의 각 주장이 <데이터> 블록의 문단으로 뒷받침되는지 확인하세요.
<데이터>에 없는 지식으로 판단하지 마세요. 뒷받침되지 않는 주장은 unsupported_claims에 원문 그대로 넣으세요.
모두 뒷받침되면 supported는 true, unsupported_claims는 빈 목록입니다."""

USER = (
    """\
<문단>
{paragraph}
</문단>
"""
    + DATA_BLOCK
)

REVISE = """\
사실 확인 결과 다음 주장이 <데이터>로 뒷받침되지 않습니다: {claims}
이 주장을 빼거나 <데이터>에 맞게 고쳐서 문단 전체를 다시 쓰세요. 출처 번호 [n] 규칙은 같습니다."""


class Verdict(BaseModel):
    supported: bool
    unsupported_claims: list[str] = Field(max_length=20)


def build(*, paragraph: str, data_block: str) -> list[BaseMessage]:
    return [
        SystemMessage(content=SYSTEM),
        HumanMessage(content=fill(USER, paragraph=paragraph, data_block=data_block)),
    ]


def build_revise(first: list[BaseMessage], previous: str, claims: list[str]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage

    return [*first, AIMessage(content=previous), HumanMessage(content=fill(REVISE, claims="; ".join(claims)))]
