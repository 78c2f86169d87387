"""Corrective RAG: grade whether retrieved passages can answer the request; suggest a better query if not."""

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from finscribe_orchestrator.prompts.common import DATA_BLOCK, fill

SYSTEM = """\
당신은 검색 결과의 관련성을 판정하는 심사자입니다. <데이터> 블록의 검색된 문단만 보고 판단하세요.
relevant_sources에는 요청에 답하는 데 실제로 쓸 수 있는 문단의 번호 n만 넣으세요.
sufficient는 그 문단들만으로 요청에 답할 수 있으면 true입니다.
false라면 better_query에 다시 검색할 짧은 한국어 검색어를 쓰세요(true면 빈 문자열)."""

USER = (
    """\
요청: {prompt}
"""
    + DATA_BLOCK
)


class Grade(BaseModel):
    relevant_sources: list[int]
    sufficient: bool
    better_query: str = Field(max_length=200)


def build(*, prompt: str, data_block: str) -> list[BaseMessage]:
    return [SystemMessage(content=SYSTEM), HumanMessage(content=fill(USER, prompt=prompt, data_block=data_block))]
