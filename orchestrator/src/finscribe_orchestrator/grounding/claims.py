"""What a sentence claims about a figure's sign: a written sign, a direction word, profit or loss.

The rules below read Korean; `claims_en` holds their English counterparts (same semantics:
'fell 17.97%', 'fell to KRW 10 trillion' claims nothing, 'a net loss of', 'swung to a loss',
'the loss narrowed by'). Both apply to every figure, Korean first: see `claimed_sign`.

- sign: '-17조', '△1,234억원', '▼3.2%' (negative), '+10.6%p', '▲3.2%' (positive)
- direction: a change word right after the figure ('17.97% 감소', '10.62%p 상승했다',
  '3천억원 늘었다') or a rate word right before it ('증가율은 17.97%'); '…으로 감소' (fell TO a
  level) claims nothing about the figure's sign
- profit: 흑자/적자/영업손실/순손실 in the figure's clause, for amounts ('-17조원으로 적자를 기록',
  '흑자 전환', '적자 지속'); a change word after a deficit is the deficit's ('적자 1,000억원 축소'
  is an improvement)
"""

import re
from typing import Literal

from finscribe_common.numbers import Mention
from finscribe_orchestrator.grounding import claims_en
from finscribe_orchestrator.grounding.clauses import clause_around

Why = Literal["sign", "direction", "profit", ""]

UP_WORDS = r"증가|늘|상승|올랐|오른|오르|개선|반등|급등|급증|성장|확대|웃돌|뛰었|뛴|신장|회복|호전"
DOWN_WORDS = r"감소|줄|하락|내렸|내린|내리|떨어|악화|급락|급감|축소|밑돌|후퇴|감익|역성장|부진"
_FILLER = r"(?:\s|\)|가량|정도|이나|나|씩|만큼|포인트|가까이|넘게|이상|내외|안팎|의|가|이)*"
_AFTER = re.compile(rf"^{_FILLER}(?:(?P<up>{UP_WORDS})|(?P<down>{DOWN_WORDS}))")
_BEFORE = re.compile(
    r"(?:(?P<up>증가|상승|성장|개선|신장)|(?P<down>감소|하락|역성장|악화))(?:률|율|폭|세)\s*(?:은|는|이|가|을|를|도)?\s*$"
)
_CLAUSE_END = re.compile(r"[.;!?\n]|,\s|(?<=[다요])\s")
_TURN_UP = re.compile(r"흑자\s?(?:로\s?)?전환|흑자\s?(?:지속|유지|확대|기록)")
_TURN_DOWN = re.compile(r"적자\s?(?:로\s?)?전환|적자\s?(?:지속|확대|축소|기록|를\s?기록|폭)")
_LOSS = re.compile(r"적자|영업손실|순손실|당기순손실|세전손실|손실을\s?기록")
_PROFIT = re.compile(r"흑자")
_DEFICIT_BEFORE = re.compile(r"(?:적자|손실)(?:\s?폭)?\s*(?:은|는|이|가)?\s*$")
# a profit word right next to the amount is about that amount: '6조원 흑자에서', '적자 1,234억원'
_WORD_AFTER = re.compile(r"^\s*(?:의|으로|로)?\s*(?:(?P<up>흑자)|(?P<down>적자|손실))")
_WORD_BEFORE = re.compile(r"(?:(?P<up>흑자)|(?P<down>적자|손실))\s*(?:폭)?\s*(?:은|는|이|가)?\s*$")
_FROM = re.compile(r"^\s*(?:의\s*\S+\s*)?에서")


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the figure's clause before and after it."""
    return clause_around(text, start, end, _CLAUSE_END)


def direction_sign(text: str, mention: Mention) -> int:
    """+1 / -1 when a change word right after (or a rate word right before) the figure says which way,
    in Korean, else in English (`claims_en.direction_sign`)."""
    return _direction_ko(text, mention) or claims_en.direction_sign(text, mention)


def _direction_ko(text: str, mention: Mention) -> int:
    after = _AFTER.match(text[mention.end : mention.end + 24])
    before = _BEFORE.search(text[max(0, mention.start - 16) : mention.start])
    found = after or before
    if not found:
        return 0
    sign = 1 if found.group("up") else -1
    head, _ = _clause(text, mention.start, mention.end)
    if _DEFICIT_BEFORE.search(head):
        sign = -sign  # '적자 폭이 1,000억원 축소': the deficit shrank, the profit figure rose
    return sign


def profit_sign(text: str, mention: Mention) -> int:
    """+1 for 흑자, -1 for 적자/손실 in the amount's clause (else their English counterparts,
    `claims_en.profit_sign`); 0 when neither or both without a 전환."""
    return _profit_ko(text, mention) or claims_en.profit_sign(text, mention)


def _profit_ko(text: str, mention: Mention) -> int:
    if mention.kind != "amount":
        return 0
    near = _WORD_AFTER.match(text[mention.end : mention.end + 12]) or _WORD_BEFORE.search(
        text[max(0, mention.start - 12) : mention.start]
    )
    if near:
        return 1 if near.group("up") else -1
    head, tail = _clause(text, mention.start, mention.end)
    clause = head + " " + tail
    if _FROM.match(tail) and re.search(r"전환", clause):
        # '2조원에서 -9조원으로 적자 전환': the starting figure had the other sign
        turned = 1 if _TURN_UP.search(clause) else (-1 if _TURN_DOWN.search(clause) else 0)
        return -turned
    if _TURN_UP.search(clause) and not _TURN_DOWN.search(clause):
        return 1
    if _TURN_DOWN.search(clause) and not _TURN_UP.search(clause):
        return -1
    loss, profit = bool(_LOSS.search(clause)), bool(_PROFIT.search(clause))
    if loss and not profit:
        return -1
    if profit and not loss:
        return 1
    return 0


_TURN = re.compile(r"(?P<state>흑자|적자)\s?(?:로|가|이|를|상태가)?\s?(?P<how>전환|지속)")


def turn_claim(text: str, mention: Mention) -> tuple[int, int] | None:
    """(current sign, comparative sign) that '흑자 전환' (+1, -1), '적자 전환' (-1, +1), '흑자 지속'
    (+1, +1) or '적자 지속' (-1, -1) in an amount's clause claims; None when none does (or the
    amount is the starting figure, '…에서 적자로 전환'); else what 'turned to a profit', 'swung to a
    loss', 'remained in the black/red' claim (`claims_en.turn_claim`)."""
    korean = _turn_ko(text, mention)
    return korean if korean is not None else claims_en.turn_claim(text, mention)


def _turn_ko(text: str, mention: Mention) -> tuple[int, int] | None:
    if mention.kind != "amount":
        return None
    head, tail = _clause(text, mention.start, mention.end)
    if _FROM.match(tail):
        return None
    found = {(m.group("state"), m.group("how")) for m in _TURN.finditer(head + " " + tail)}
    if len(found) != 1:
        return None
    state, how = found.pop()
    now = 1 if state == "흑자" else -1
    return now, (-now if how == "전환" else now)


def claimed_sign(text: str, mention: Mention) -> tuple[int, Why]:
    """(sign, why) the text claims for this figure: the written sign first, then a direction
    word, then profit/loss words; (0, '') when it claims none.

    Korean and English rules both apply to every figure, the Korean first, rather than one
    language chosen per figure: their words cannot overlap (Hangul against Latin letters), so
    neither language's rule can fire on the other's sentence; English drafts hold Korean units
    ('loss narrowed by KRW 1,000억') and Korean ones English abbreviations, so the script around
    a figure would choose wrongly; and with the Korean rule asked first every Korean verdict
    stays exactly what it was."""
    if mention.sign:
        return mention.sign, "sign"
    direction = direction_sign(text, mention)
    if direction:
        return direction, "direction"
    profit = profit_sign(text, mention)
    if profit:
        return profit, "profit"
    return 0, ""
