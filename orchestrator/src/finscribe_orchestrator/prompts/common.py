"""Rules every writing prompt shares, and how the data block is framed."""

from string import Formatter

GROUNDING_RULES = """\
규칙:
1. 아래 <데이터> 블록에 있는 숫자와 날짜만 사용하세요.
   데이터에 없는 숫자(금액, 비율, 배수, 날짜)를 만들거나 추정하지 마세요.
2. 숫자를 쓴 문장 끝에는 그 숫자가 나온 출처 번호를 [n] 형식으로 붙이세요.
   [n]의 n은 <데이터> 블록의 번호만 쓸 수 있습니다.
3. 데이터에 없는 내용은 "데이터에서 확인되지 않음"이라고 쓰거나 언급하지 마세요.
4. 금액은 조원/억원/원 단위로, 비율은 %로, 배수는 배로 표기하세요. 반올림은 표시 자릿수까지만 하세요.
5. 투자 권유나 목표주가를 제시하지 마세요."""

DATA_BLOCK = """\
<데이터>
{data_block}
</데이터>"""


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def fill(template: str, **values: str) -> str:
    """str.format with a check that every placeholder is given (and nothing else): a typo fails loudly."""
    wanted = placeholders(template)
    if wanted != set(values):
        raise KeyError(f"prompt placeholders {sorted(wanted)} != given {sorted(values)}")
    return template.format(**values)
