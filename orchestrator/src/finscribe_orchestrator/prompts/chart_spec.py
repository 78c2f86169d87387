"""Natural language -> a chart spec over the series the run fetched (structured output; never code)."""

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from finscribe_orchestrator.prompts.common import fill

SYSTEM = """\
당신은 차트 설계자입니다. 데이터나 코드를 만들지 말고,
아래 <시리즈 목록>에 있는 시리즈 id만 골라 차트 사양(JSON)을 채우세요.
- type: line(시계열), bar(항목 비교), area, scatter(두 변수 관계, x_ref 필요),
  dual-axis(단위가 다른 두 시리즈: 왼쪽/오른쪽 축).
- 금액은 unit_left/unit_right를 조원 또는 억원으로, 비율은 %, 주가는 원, 지수는 포인트로 고르세요.
- period_start/period_end는 요청에 기간이 있을 때만 YYYY-MM-DD로, 없으면 null.
- title은 짧게, series의 label은 범례에 보일 이름입니다. 둘 다 아래 '언어'로 쓰세요."""

USER = """\
요청: {prompt}
언어: {language}
<시리즈 목록>
{catalog}
</시리즈 목록>
{profile}"""


def build(*, prompt: str, catalog: dict[str, str], profile: str, language: str = "ko") -> list[BaseMessage]:
    """`language`: `ko` or `en`, the language of the chart's title and legend labels."""
    catalog_text = "\n".join(f"- {ref}: {desc}" for ref, desc in catalog.items())
    profile_text = f"<CSV 프로필>\n{profile}\n</CSV 프로필>" if profile else ""
    return [
        SystemMessage(content=SYSTEM),
        HumanMessage(
            content=fill(
                USER,
                prompt=prompt,
                catalog=catalog_text,
                profile=profile_text,
                language="English" if language == "en" else "한국어",
            )
        ),
    ]
