"""Outline of a draft (structured output): sections with their purpose and the data each needs."""

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from finscribe_orchestrator.prompts.common import DATA_BLOCK, fill

SYSTEM = """\
당신은 한국 상장사 분석 보고서의 목차를 설계하는 애널리스트입니다.
사용할 수 있는 데이터는 아래 <데이터> 블록과 <데이터 목록>뿐입니다. 각 섹션의 data에는 <데이터 목록>의 키만 넣으세요.
섹션은 서로 겹치지 않게, 보고서 흐름(개요 → 주가·밸류에이션 → 실적·재무 → 공시·이슈 → 결론) 순서로 구성하세요.
각 섹션의 purpose에는 그 섹션이 답할 질문을 한 문장으로 쓰세요. 숫자는 쓰지 마세요."""

USER = (
    """\
요청: {prompt}
대상 회사: {company}
보고서 길이: {length} (섹션 {section_count}개)
제목과 섹션 제목의 언어: {language}
{required_sections}
<데이터 목록>
{catalog}
</데이터 목록>
"""
    + DATA_BLOCK
)


class OutlineSection(BaseModel):
    title: str = Field(max_length=80)
    purpose: str = Field(max_length=300)
    data: list[str] = Field(description="keys from the data list that this section needs")


class Outline(BaseModel):
    title: str = Field(max_length=120)
    sections: list[OutlineSection] = Field(min_length=1, max_length=12)


def build(
    *,
    prompt: str,
    company: str,
    length: str,
    section_count: int,
    required_sections: list[str] | None,
    catalog: dict[str, str],
    data_block: str,
    language: str = "ko",
) -> list[BaseMessage]:
    """`language`: `ko` or `en`, the language of the report title and the section titles."""
    required = (
        "반드시 다음 섹션 제목을 이 순서대로 사용하세요: " + ", ".join(required_sections) if required_sections else ""
    )
    catalog_text = "\n".join(f"- {key}: {title}" for key, title in catalog.items()) or "- (없음)"
    return [
        SystemMessage(content=SYSTEM),
        HumanMessage(
            content=fill(
                USER,
                prompt=prompt or "(요청 없음: 기업 분석 보고서)",
                company=company,
                length=length,
                section_count=str(section_count),
                required_sections=required,
                catalog=catalog_text,
                data_block=data_block,
                language="English" if language == "en" else "한국어",
            )
        ),
    ]
