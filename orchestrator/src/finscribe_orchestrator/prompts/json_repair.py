"""Repair of a structured answer that did not validate: the model sees its own answer and the
validation findings, once. The data it may use is what the original prompt gave it."""

import json

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from finscribe_orchestrator.prompts.common import fill

REPAIR = """\
방금 답한 JSON이 요구한 형식에 맞지 않습니다.
문제:
{problems}

아래 JSON Schema에 맞는 JSON 객체 하나만 다시 답하세요. 설명, 코드 블록 표시(```)는 쓰지 마세요.
{schema}"""

MAX_ECHO_CHARS = 2000  # the failed answer shown back; a runaway answer must not fill the context


def build(
    original: list[BaseMessage], answer: str, problems: list[str], schema: dict[str, object]
) -> list[BaseMessage]:
    findings = "\n".join(f"- {p}" for p in problems) or "- (알 수 없음)"
    compact = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    return [
        *original,
        AIMessage(content=answer[:MAX_ECHO_CHARS] or "(빈 답)"),
        HumanMessage(content=fill(REPAIR, problems=findings, schema=compact)),
    ]
