"""What an English sentence claims about a figure's sign: the counterparts of `claims`' Korean rules.

Each function returns what the English words around the figure claim, +1 / -1 (0: nothing);
`claims` asks these only when the Korean rules found nothing.

- sign: written, and read by the scanner: '-KRW 26.2 trillion', 'KRW (26.2) trillion',
  '$(1.2) billion', '(3.2)%', '-3.2%' (negative), '+3.2%' (positive)
- direction: a change verb or adverb right before the figure ('rose 3.2%', 'fell by 17.97%',
  'increased 10.6%p', 'was down 3.2%', 'declined by about KRW 3 trillion'), a change noun with
  'of'/'by' or a rate word right before it ('growth of 17.97%', 'a decrease of KRW 3 trillion',
  'the growth rate was 17.97%'), or a change noun or 'higher'/'lower'/'up'/'down' right after
  it ('a 17.97% decline', 'a 10.6%p year-on-year increase', '3.2% lower than a year earlier').
  A level claims nothing about the figure's sign, as '…으로 감소' does not: 'fell to KRW 10
  trillion', 'rose to 12%', 'KRW 10 trillion, up from KRW 8 trillion'; nor does the starting
  figure of 'from X to Y'. A loss as the subject of a size verb turns it round, as '적자 폭
  축소' does: 'the operating loss narrowed by KRW 1,000억' is an improvement (+), 'losses
  widened by KRW 1 trillion' a deterioration (-); 'improved'/'worsened' already say which.
- profit (amounts only): 'a net loss of KRW 1.2 trillion', 'an operating loss of', 'loss of',
  'deficit of', 'KRW 7.7 trillion operating loss' next to the amount; 'net loss',
  'operating loss', 'deficit', 'in the red' / 'in the black', 'profitable' before it in its
  clause; 'turned to a profit/loss', 'swung to a loss', 'returned to profit', 'remained in the
  red/black' anywhere in its clause; with one of those, the figure after 'from' / 'versus' /
  'compared with' is the starting figure and had the other sign ('swung to a loss from KRW 6.8
  trillion').
- turn: 'turned to a profit' (+1, -1), 'swung to a loss' (-1, +1), 'remained in the black'
  (+1, +1), 'remained in the red' (-1, -1), checked against the comparative period as '흑자
  전환' is.

Not claims ('decline in costs of KRW 3 trillion': whose figure 'of' names is unclear; 'a down
payment of', 'less than KRW 17 trillion', 'paid down KRW 3 trillion', dates; an expense line
called a loss, 'an impairment loss of', 'credit losses of'; an amount another metric names after
the clause's last profit/loss word, 'swung to a net loss on revenue of KRW 2.8 trillion') are left alone:
a false finding on a true figure costs the user's trust as much as a missed one.
"""

import re

from finscribe_common.numbers import Mention
from finscribe_orchestrator.grounding.clauses import clause_around

_I = re.IGNORECASE
# verbs and adverbs of change before a figure. `size` verbs say the quantity grew or shrank (a loss
# as their subject turns them round); `judge` verbs already say better or worse. 'higher'/'lower'
# only with 'by': 'a lower 11.68% margin' is a level.
_UP_SIZE = (
    r"rose|risen|rise|rises|rising|increased|increases|increasing|grew|grown|grows|growing|climbed|climbs"
    r"|jumped|jumps|gained|gains|advanced|advances|surged|surges|soared|expanded|expands|widened|widens"
    r"|rallied|rallies|spiked|spikes|skyrocketed|rocketed|leapt|leaped"
    r"|added|up|higher(?=\s+by\b)"
)
_DOWN_SIZE = (
    r"fell|fallen|falls|falling|declined|declines|declining|decreased|decreases|decreasing|dropped|drops"
    r"|slipped|slid|shrank|shrunk|shrinks|contracted|contracts|plunged|tumbled|slumped|sank|dipped|lost"
    r"|eased|narrowed|narrows|retreated|plummeted|plummets|tanked|nosedived|down|lower(?=\s+by\b)"
)
_UP_JUDGE = r"improved|improves|rebounded|recovered"
_DOWN_JUDGE = r"deteriorated|worsened|weakened"
_UP_NOUNS = (
    r"increases?|rises?|gains?|growth|jumps?|surges?|climbs?|improvements?|advances?|expansion|rebounds?"
    r"|upturn|uptick|hikes?"
)
_DOWN_NOUNS = (
    r"decreases?|declines?|drops?|falls?|contraction|slumps?|plunges?|slides?|dips?|reductions?"
    r"|deterioration|downturn|shrinkage"
)
# words between a change word and its figure: 'fell by about', 'rose a further', 'up sharply by'
_FILL = (
    r"(?:\s+(?:by|about|around|approximately|approx\.|roughly|nearly|almost|some|just|over|more\s+than"
    r"|less\s+than|under|a\s+further|another|an\s+additional|a|an|sharply|slightly|steeply|modestly"
    r"|significantly|markedly|sharp|steep|modest|mere|slight|solid|robust|strong|marginal|whopping|hefty"
    r"|massive|healthy|small|meagre|meager))*\s*"
)
_VERB_BEFORE = re.compile(
    rf"\b(?:(?P<up>{_UP_SIZE})|(?P<down>{_DOWN_SIZE})|(?P<up_judge>{_UP_JUDGE})|(?P<down_judge>{_DOWN_JUDGE}))"
    rf"{_FILL}$",
    _I,
)
# 'growth of 17.97%', 'a decrease of KRW 3 trillion', 'the growth rate was 17.97%' (not 'decline in
# costs of': the figure there may be the costs)
_NOUN_BEFORE = re.compile(
    rf"\b(?:(?P<up>{_UP_NOUNS})|(?P<down>{_DOWN_NOUNS}))(?:\s+rate)?"
    rf"(?:\s+(?:of|by|was|is|were|stood\s+at|came\s+to|came\s+in\s+at|reached|at)|\s*:){_FILL}$",
    _I,
)
# 'made up 17.97% of sales', 'paid down KRW 3 trillion of debt': a phrasal verb, not a change
_PHRASAL = re.compile(
    r"\b(?:made|make|makes|making|set|sets|pick|picked|picks|end|ended|ends|sum|summed|take|took|taken|takes|put|puts|putting"
    r"|paid|pay|pays|paying|wrote|write|writes|written|writing|mark|marked|marks|broke|break|breaks|broken"
    r"|scaled|step|stepped|stepping|cut|cuts|trimmed|brought|bring|bringing|keep|kept|show|showed|shows)\s+$",
    _I,
)
_YEAR_ON = (
    r"year[- ]on[- ]year|year[- ]over[- ]year|yoy|y/y|y-o-y|on[- ]year|quarter[- ]on[- ]quarter|qoq|q/q"
    r"|on[- ]quarter|sequential|annual|percentage[- ]points?|per\s?cent(?:age)?|points?"
)
# 'higher'/'lower'/'up'/'down' after the figure only where a comparison goes on, not before a noun
# ('a 20% down payment') or a level ('KRW 10 trillion up from KRW 8 trillion')
_COMPARE_ON = (
    r"(?=\s*(?:$|[.,;:!?)\[])|\s+(?:on|year|yoy|y/y|from\s+(?:a|the|last|its|their|previous)\b|than|versus|vs\b"
    r"|compared|over|since|in|at|for|and|while|as)\b)"
)
_AFTER = re.compile(
    rf"^(?:\s|\))*(?:(?:{_YEAR_ON})\s*)*"
    rf"(?:(?P<up>(?:{_UP_NOUNS})\b|(?:higher|up)\b{_COMPARE_ON})|(?P<down>(?:{_DOWN_NOUNS})\b|(?:lower|down)\b{_COMPARE_ON}))",
    _I,
)
# the subject of the change word is a loss: 'the operating loss narrowed by', 'losses have widened'
_LOSS_SUBJECT = re.compile(r"\b(?:loss(?:es)?|deficits?)\s+(?:has\s+|have\s+|had\s+|was\s+|were\s+)?$", _I)

# a clause ends at a sentence end (not a decimal point), a comma or a conjunction
_CLAUSE_END = re.compile(r"[;!?\n]|\.(?!\d)|,\s|\b(?:and|but|while|whereas|although|though)\b", _I)
_LOSS_WORD = r"(?:(?:net|operating|pre-?tax|quarterly|annual)\s+)?(?:loss(?:es)?|deficits?)"
_PROFIT_WORD = r"(?:(?:net|operating|pre-?tax|quarterly|annual)\s+)?(?:profits?|surplus)"
# next to the amount: 'a net loss of', 'loss was', 'deficit of about' / 'KRW 7.7 trillion operating loss'
_LINK = (
    r"(?:\s+(?:for|in)\s+the\s+(?:year|quarter|period|half|first\s+half|second\s+half))?"
    r"(?:\s+(?:of|was|were|is|are|at|totaled|totalled|amounted\s+to|came\s+to|came\s+in\s+at|stood\s+at"
    r"|reached|narrowed\s+to|widened\s+to|shrank\s+to|grew\s+to)|\s*:)?"
)
_WORD_BEFORE = re.compile(
    rf"(?:\b(?P<down>{_LOSS_WORD})|\ban?\s+(?P<up>{_PROFIT_WORD}|surplus))\b{_LINK}{_FILL}$",
    _I,
)
# 'a KRW 0.3 trillion profit', 'KRW 0.1 trillion in the red'; not a profit figure's change or share
# ('a KRW 2 trillion profit swing', 'a KRW 1 trillion profit hit')
_WORD_AFTER = re.compile(
    rf"^\s*(?:in\s+)?(?:(?P<down>{_LOSS_WORD}|the\s+red)|(?P<up>{_PROFIT_WORD}|the\s+black))\b"
    r"(?!\s+(?:reduction|narrowing|decrease|decline|improvement|increase|growth|gain|rise|jump|drop|fall"
    r"|hit|drag|swing|gap|shortfall|miss|boost|margin|warning|contribution|impact|effect|share))",
    _I,
)
# a loss that is an expense line ('impairment loss', 'FX losses', 'credit losses', 'non-operating
# loss'): the filings hold it as a positive amount, so 'an impairment loss of KRW 1.2 trillion'
# claims no sign
_EXPENSE = (
    r"impairment|valuation|fx|foreign[- ]exchange|exchange|currency|translation|credit|loan|derivatives?"
    r"|hedging|hedge|disposal|inventory|investment|trading|fair[- ]value|one-?off|one-time|write-?down"
    r"|insurance|actuarial|equity[- ]method|financial|other|non-?operating|non-"
)
_EXPENSE_BEFORE = re.compile(rf"\b(?:{_EXPENSE})[\s-]*$", _I)
# the amount is another metric's ('revenue of', 'revenue reached', 'KRW 2.8 trillion of revenue'): a
# profit or loss word elsewhere in its clause is not about it
_OTHER_METRIC = (
    r"revenues?|sales|turnover|top[- ]line|assets|liabilities|debts?|borrowings|equity|capital|capex"
    r"|investments?|dividends?|payouts?|buybacks?|market\s+cap(?:itali[sz]ation)?|costs?|expenses?|spending"
    r"|cash|orders|backlog|prices?|deposits|loans|inventor(?:y|ies)|r&d|shares|funding|proceeds|wages"
)
_OTHER_BEFORE = re.compile(rf"\b(?:{_OTHER_METRIC})\b", _I)
_OTHER_AFTER = re.compile(rf"^\s*(?:of|in)\s+(?:\w+\s+)?(?:{_OTHER_METRIC})\b", _I)
# a profit or loss named before the figure ('operating profit', 'a loss', 'the red'): a metric after
# the last one is the figure's. Not 'loss-making' / 'profitable', which describe a company, not a
# figure ('revenue of loss-making Kakao Mobility was KRW 2.8 trillion').
_CUE = re.compile(rf"\b(?:{_LOSS_WORD}|{_PROFIT_WORD}|profitability|the\s+(?:red|black))\b(?!-)", _I)
_LOSS = re.compile(
    r"(?<!-)\b(?:net|operating|pre-?tax)\s+loss|\bloss\s+before\s+(?:income\s+)?tax|\bdeficits?\b"
    r"|\bin\s+the\s+red\b|\bloss-making\b|\bunprofitable\b"
    rf"|\b(?:posted|recorded|reported|booked|suffered|incurred)\s+(?:an?\s+)?(?:(?!(?:{_EXPENSE})\b)[\w-]+\s+)?loss",
    _I,
)
_PROFIT = re.compile(
    r"\bin\s+the\s+black\b|\bsurplus\b|\bprofitable\b"
    r"|\b(?:posted|recorded|reported|booked|made)\s+an?\s+(?:\w+\s+)?profit",
    _I,
)
# 'swung to a loss', 'moved back into the black', 'swung from KRW 6.8 trillion to a loss'
_TO = r"(?:\s+back)?(?:\s+from\b[^;]*?)?\s+(?:in)?to\s+(?:an?\s+)?(?:(?:net|operating|pre-?tax)\s+)?"
_TURN_VERB = (
    r"turn(?:ed|s|ing)?|swung|swing(?:s|ing)?|return(?:ed|s|ing)?|flip(?:ped|s)?|mov(?:ed|es|ing)"
    r"|switch(?:ed|es)?|went|came|fell|slipped|sank|tipped|plunged|dropped"
)
_STAY_VERB = r"(?:remain(?:ed|s|ing)?|stay(?:ed|s|ing)?|kept|continu(?:ed|es|ing))(?:\s+to\s+be)?"
_STAY_POST = r"continu(?:ed|es|ing)\s+to\s+(?:post|record|report|make|incur|suffer|book)\s+(?:an?\s+)?(?:\w+\s+)?"
_TURNS = {
    # (current sign, comparative sign): '흑자 전환', '적자 전환', '흑자 지속', '적자 지속'
    (1, -1): re.compile(
        rf"\b(?:{_TURN_VERB}){_TO}(?:profit(?:ability)?|surplus|the\s+black|positive)\b"
        r"|\bback\s+in(?:to)?\s+the\s+black\b|\bturnaround\s+to\s+(?:a\s+)?profit"
        r"|\b(?:turn(?:ed|s|ing)?|bec(?:ame|omes?|oming))\s+profitable\b",
        _I,
    ),
    (-1, 1): re.compile(
        rf"\b(?:{_TURN_VERB}){_TO}(?:loss(?:es)?|deficit|the\s+red|negative)\b"
        r"|\b(?:turn(?:ed|s|ing)?|bec(?:ame|omes?|oming))\s+(?:loss-making|unprofitable)\b",
        _I,
    ),
    (1, 1): re.compile(
        rf"\b{_STAY_VERB}\s+(?:in\s+the\s+black|profitable|in\s+(?:a\s+)?surplus)\b|\b{_STAY_POST}profits?\b", _I
    ),
    (-1, -1): re.compile(
        rf"\b{_STAY_VERB}\s+(?:in\s+the\s+red|loss-making|unprofitable|in\s+(?:a\s+)?deficit)\b"
        rf"|\b{_STAY_POST}loss(?:es)?\b|\blosses\s+(?:continued|persisted)\b",
        _I,
    ),
}
# the figure a change starts from: 'from KRW 6.8 trillion', 'versus a profit of', 'compared with'
_FROM = re.compile(
    rf"\b(?:from|versus|vs\.?|compared\s+(?:with|to)|against)\s+(?:an?\s+)?(?:(?:{_LOSS_WORD}|{_PROFIT_WORD})"
    rf"\s+(?:of\s+)?)?{_FILL}$",
    _I,
)


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the figure's English clause before and after it."""
    return clause_around(text, start, end, _CLAUSE_END)


def direction_sign(text: str, mention: Mention) -> int:
    """+1 / -1 when a change word right before or after the figure says which way it went."""
    head, _ = _clause(text, mention.start, mention.end)
    after = _AFTER.match(text[mention.end : mention.end + 60])
    if after:
        return 1 if after.group("up") else -1
    verb = _VERB_BEFORE.search(head)
    if verb:
        word = next(k for k in ("up", "down", "up_judge", "down_judge") if verb.group(k))
        phrasal = verb.group(word).lower() in ("up", "down") and _PHRASAL.search(head[: verb.start()])
        if not phrasal:  # 'made up 17.97% of sales', 'paid down KRW 3 trillion' say no change
            sign = 1 if word.startswith("up") else -1
            if word in ("up", "down") and _LOSS_SUBJECT.search(head[: verb.start()]):
                sign = -sign  # 'the loss narrowed by KRW 1,000억': the profit figure rose
            return sign
    noun = _NOUN_BEFORE.search(head)
    if noun:
        return 1 if noun.group("up") else -1
    return 0


def _starting(head: str) -> bool:
    return bool(_FROM.search(head))


def _another_metrics(head: str, tail: str) -> bool:
    """The amount belongs to a metric that is not a profit ('revenue of KRW 2.8 trillion', 'KRW 2.8
    trillion of revenue'): named right after it, or between the clause's last profit/loss word and it."""
    if _OTHER_AFTER.match(tail):
        return True
    cue = max((m.end() for m in _CUE.finditer(head)), default=0)
    return bool(_OTHER_BEFORE.search(head[cue:]))


def _turns(clause: str) -> set[tuple[int, int]]:
    return {claim for claim, pattern in _TURNS.items() if pattern.search(clause)}


def profit_sign(text: str, mention: Mention) -> int:
    """+1 for a profit, -1 for a loss the amount's clause claims; 0 when neither or both without a turn."""
    if mention.kind != "amount":
        return 0
    head, tail = _clause(text, mention.start, mention.end)
    before = _WORD_BEFORE.search(head)
    near = _WORD_AFTER.match(text[mention.end : mention.end + 40]) or before
    if near:
        if near is before and near.group("down") and _EXPENSE_BEFORE.search(head[: near.start("down")]):
            return 0  # 'an impairment loss of KRW 1.2 trillion': an expense, positive in the filings
        return 1 if near.group("up") else -1
    if _another_metrics(head, tail):
        return 0  # 'loss-making Kakao had revenue of KRW 2.8 trillion': the loss is not the revenue's
    turns = _turns(head + " " + tail)
    now = {current for current, _ in turns}
    if _starting(head):
        # 'swung to a loss of KRW 7.7 trillion from KRW 6.8 trillion': the starting figure had the other sign
        turned = {current for current, prior in turns if current != prior}
        return -turned.pop() if len(turned) == 1 else 0
    if len(now) == 1:
        return now.pop()
    if turns:
        return 0
    loss, profit = bool(_LOSS.search(head)), bool(_PROFIT.search(head))
    if loss != profit:
        return -1 if loss else 1
    return 0


def turn_claim(text: str, mention: Mention) -> tuple[int, int] | None:
    """(current sign, comparative sign) that 'turned to a profit' (+1, -1), 'swung to a loss' (-1, +1),
    'remained in the black' (+1, +1) or 'remained in the red' (-1, -1) in an amount's clause claims;
    None when none does, or the amount is the starting figure ('from KRW 6.8 trillion')."""
    if mention.kind != "amount":
        return None
    head, tail = _clause(text, mention.start, mention.end)
    if _starting(head) or _another_metrics(head, tail):
        return None
    turns = _turns(head + " " + tail)
    return turns.pop() if len(turns) == 1 else None
