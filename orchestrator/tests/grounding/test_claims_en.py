"""The English sign, direction and profit/loss rules (claims_en), through `claims` and the check."""

import pytest

from finscribe_common.numbers import Mention, extract_numbers
from finscribe_orchestrator.grounding.check import check_text
from finscribe_orchestrator.grounding.claims import claimed_sign, turn_claim
from finscribe_orchestrator.grounding.facts import FactIndex


def _mention(text: str, raw: str) -> Mention:
    return next(m for m in extract_numbers(text) if m.raw == raw)


def _claim(text: str, raw: str) -> tuple[int, str]:
    return claimed_sign(text, _mention(text, raw))


@pytest.mark.parametrize(
    ("text", "raw", "sign"),
    [
        ("Operating profit rose 1,202.79% year on year.", "1,202.79%", 1),
        ("Operating profit fell 17.97%.", "17.97%", -1),
        ("Revenue fell by 17.97% to KRW 146.0 trillion.", "17.97%", -1),
        ("The operating margin increased 10.6%p.", "10.6%p", 1),
        ("The operating margin was up 1.1%p year on year.", "1.1%p", 1),
        ("Shares were down 3.2% on the week.", "3.2%", -1),
        ("Operating profit declined by KRW 3 trillion.", "KRW 3 trillion", -1),
        ("Revenue increased by about KRW 3 trillion.", "KRW 3 trillion", 1),
        ("Revenue posted a 17.97% decline.", "17.97%", -1),
        ("Revenue posted a 17.97% year-on-year increase.", "17.97%", 1),
        ("The stock ended the year 31.72% lower.", "31.72%", -1),
        ("Revenue was 26.57% lower than in 2022.", "26.57%", -1),
        ("Revenue growth of 17.97% was the highest.", "17.97%", 1),
        ("A decrease of 17.97% in revenue.", "17.97%", -1),
        ("The revenue growth rate was 17.97%.", "17.97%", 1),
        ("The operating margin improved 10.6%p.", "10.6%p", 1),
        ("The operating margin deteriorated by 10.6%p.", "10.6%p", -1),
    ],
)
def test_a_change_word_next_to_the_figure_claims_its_direction(text: str, raw: str, sign: int) -> None:
    assert _claim(text, raw) == (sign, "direction")


@pytest.mark.parametrize(
    ("text", "raw", "sign"),
    [
        ("The operating loss narrowed by KRW 1,000억.", "KRW 1,000억", 1),
        ("The deficit shrank by KRW 1 trillion.", "KRW 1 trillion", 1),
        ("Net losses have widened by KRW 1 trillion.", "KRW 1 trillion", -1),
        ("The operating loss improved by KRW 1 trillion.", "KRW 1 trillion", 1),  # already says better
        ("The gap narrowed by 3.2%p.", "3.2%p", -1),  # not a loss: a narrowing is a fall
    ],
)
def test_a_loss_that_narrows_is_an_improvement(text: str, raw: str, sign: int) -> None:
    assert _claim(text, raw) == (sign, "direction")


@pytest.mark.parametrize(
    ("text", "signs"),
    [
        # a level after 'to' claims nothing ('…으로 감소'), the change before it does
        ("Operating profit fell 5.2% to KRW 10 trillion.", [-1, 0]),
        ("The operating margin rose 1.5%p to 12%.", [1, 0]),
        # 'from X to Y': neither is a change
        ("The margin rose 10.62%p from 1.06% to 11.68%.", [1, 0, 0]),
        ("Revenue reached KRW 10 trillion, up from KRW 8 trillion, a 25% increase.", [0, 0, 1]),
        ("Revenue of KRW 10 trillion up from KRW 8 trillion was a 25% rise.", [0, 0, 1]),
        # a comparison, a noun or a phrasal verb is not a change word
        ("Net profit was less than KRW 17 trillion and fell 3.1%.", [0, -1]),
        ("After a down payment of KRW 3 billion, sales fell 3.1%.", [0, -1]),
        ("Buyers pay a 20% down payment, 5% lower than last year.", [0, -1]),
        ("Memory made up 17.97% of sales, up 3.2%p.", [0, 1]),
        ("The company paid down KRW 3 trillion of debt as net debt fell 12.5%.", [0, -1]),
        ("It kept a lower 11.68% margin after a 1.5%p decline.", [0, -1]),
        # whose figure 'decline in costs of' names is unclear: left alone
        ("A decline in costs of KRW 3 trillion lifted margins 2.1%p higher.", [0, 1]),
        # the subject of a change word, or a figure in another clause, is a level
        ("Operating profit of KRW 17 trillion rose 1,202.79%.", [0, 1]),
        ("Revenue, at KRW 146 trillion, grew 17.97%.", [0, 1]),
        ("Operating profit was KRW 17 trillion versus an operating loss of KRW 3 trillion.", [0, -1]),
        ("Operating profit was KRW 17 trillion, and the net loss narrowed by KRW 1 trillion.", [0, 1]),
        # a year is a date, not a figure
        ("Revenue fell 26.57% in 2023, to KRW 32.8 trillion.", [-1, 0]),
    ],
)
def test_levels_starting_figures_and_other_words_claim_nothing(text: str, signs: list[int]) -> None:
    figures = [m for m in extract_numbers(text) if m.kind != "date"]
    assert [claimed_sign(text, m)[0] for m in figures] == signs


@pytest.mark.parametrize(
    ("text", "raw", "sign"),
    [
        ("The company posted a net loss of KRW 1.2 trillion.", "KRW 1.2 trillion", -1),
        ("It recorded an operating loss of KRW 7.7 trillion.", "KRW 7.7 trillion", -1),
        ("Net loss was KRW 9.1 trillion.", "KRW 9.1 trillion", -1),
        ("Net loss for the year came to KRW 9.1 trillion.", "KRW 9.1 trillion", -1),
        ("It posted a deficit of KRW 7.7 trillion.", "KRW 7.7 trillion", -1),
        ("It booked a KRW 7.7 trillion operating loss.", "KRW 7.7 trillion", -1),
        ("It booked KRW 7.7 trillion in operating losses.", "KRW 7.7 trillion", -1),
        ("The company was in the red by KRW 7.7 trillion.", "KRW 7.7 trillion", -1),
        ("Operating profit swung to a loss of KRW 7.7 trillion.", "KRW 7.7 trillion", -1),
        ("Operating profit swung into the red with KRW 7.7 trillion.", "KRW 7.7 trillion", -1),
        ("It remained in the red with KRW 7.7 trillion.", "KRW 7.7 trillion", -1),
        ("Operating profit turned to a profit of KRW 17 trillion.", "KRW 17 trillion", 1),
        ("It returned to profit with KRW 17 trillion.", "KRW 17 trillion", 1),
        ("It remained in the black at KRW 17 trillion.", "KRW 17 trillion", 1),
        # the starting figure of a turn had the other sign; one named as a profit is a profit
        ("Operating profit swung to a loss of KRW 7.7 trillion from KRW 6.8 trillion.", "KRW 6.8 trillion", 1),
        ("Operating profit swung from KRW 6.8 trillion to a loss.", "KRW 6.8 trillion", 1),
        ("It swung to a loss of KRW 7.7 trillion versus a profit of KRW 6.8 trillion.", "KRW 6.8 trillion", 1),
    ],
)
def test_profit_and_loss_words_claim_the_amounts_sign(text: str, raw: str, sign: int) -> None:
    assert _claim(text, raw) == (sign, "profit")


def test_profit_words_do_not_reach_a_percentage_or_another_clause() -> None:
    assert _claim("Net loss widened as shares fell 3.2% in the red market.", "3.2%") == (-1, "direction")
    assert _claim("Revenue was KRW 32.8 trillion, and it swung to an operating loss.", "KRW 32.8 trillion") == (0, "")
    assert _claim("Revenue was KRW 32.8 trillion while the net loss grew.", "KRW 32.8 trillion") == (0, "")


@pytest.mark.parametrize(
    ("text", "turns"),
    [
        ("Operating profit turned to a profit of KRW 17 trillion.", [(1, -1)]),
        ("It remained in the black at KRW 17 trillion.", [(1, 1)]),
        ("It stayed in the red with a loss of KRW 7.7 trillion.", [(-1, -1)]),
        # the starting figure claims no turn of its own
        ("It swung to a loss of KRW 7.7 trillion from KRW 6.8 trillion.", [(-1, 1), None]),
        ("Operating profit was KRW 17 trillion; it then swung to a loss of KRW 7.7 trillion.", [None, (-1, 1)]),
    ],
)
def test_turn_and_continuation_claims(text: str, turns: list[tuple[int, int] | None]) -> None:
    assert [turn_claim(text, m) for m in extract_numbers(text)] == turns


def test_korean_claims_are_unchanged_and_come_first() -> None:
    # a Korean sentence keeps its Korean claim even with English words around the figure
    assert _claim("매출액은 17.97% 감소했습니다 (up YoY 아님).", "17.97%") == (-1, "direction")
    assert _claim("영업이익은 3천억원 증가했다.", "3천억원") == (1, "direction")
    assert _claim("적자 폭이 1,000억원 축소됐다.", "1,000억원") == (1, "direction")


def _samsung() -> FactIndex:
    """Samsung Electronics 2024 H1 (DART 20240814003284): revenue +17.97 %, operating profit
    KRW 17,049,887 million after KRW 1,308,725 million a year earlier."""
    facts = FactIndex()
    for value in (145_983_903e6, 17.97, 17_049_887e6, 1202.79):
        facts.add_number(value)
    facts.add_number(10.62, kind="pp")  # operating margin 1.06 % -> 11.68 %
    facts.add_period_pair(17_049_887e6, 1_308_725e6)
    return facts


@pytest.mark.parametrize(
    ("text", "verdict", "raw"),
    [
        ("Revenue fell 17.97% year on year.", "wrong_direction", "17.97%"),
        ("Revenue posted a 17.97% decline.", "wrong_direction", "17.97%"),
        ("Operating profit was -KRW 17.0 trillion.", "wrong_sign", "-KRW 17.0 trillion"),
        ("Operating profit was KRW (17.0) trillion.", "wrong_sign", "KRW (17.0) trillion"),
        ("It posted a net loss of KRW 17.0 trillion.", "wrong_sign", "KRW 17.0 trillion"),
        ("Operating profit swung to a loss of KRW 17.0 trillion.", "wrong_sign", "KRW 17.0 trillion"),
        # a turnaround from the comparative period's profit is not a turnaround
        ("Operating profit turned to a profit of KRW 17.0 trillion.", "wrong_direction", "KRW 17.0 trillion"),
    ],
)
def test_an_english_claim_against_the_data_is_a_finding(text: str, verdict: str, raw: str) -> None:
    report = check_text(text, _samsung())
    assert [(f.verdict, f.mention.raw) for f in report.findings] == [(verdict, raw)]
    said = report.describe("en")
    assert "the data has" in said or "not a turnaround" in said, said


@pytest.mark.parametrize(
    ("text", "signs"),
    [
        ("Revenue rose 17.97% to KRW 146.0 trillion.", [1, 0]),  # the level after 'to' claims nothing
        ("Operating profit jumped 1,202.79% to KRW 17.0 trillion, an operating profit.", [1, 0]),
        ("The operating margin was up 10.62%p year on year.", [1]),
        ("Operating profit remained in the black at KRW 17.0 trillion.", [1]),
    ],
)
def test_true_english_claims_pass(text: str, signs: list[int]) -> None:
    report = check_text(text, _samsung())
    assert [claimed_sign(text, m)[0] for m in extract_numbers(text)] == signs
    assert report.ok, report.describe("en")


def test_an_english_passage_keeps_the_sign_its_words_give() -> None:
    facts = FactIndex()
    facts.add_text("The operating loss narrowed by KRW 100 billion to KRW 400 billion.", source="pdf")
    assert check_text("The operating loss narrowed by KRW 1,000억.", facts).ok
    assert [f.verdict for f in check_text("The operating loss widened by KRW 100 billion.", facts).findings] == [
        "wrong_direction"
    ]
    assert [f.verdict for f in check_text("It swung to a profit of KRW 400 billion.", facts).findings] == ["wrong_sign"]


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        # an expense line called a loss is a positive amount in the filings, not a negative profit
        ("Samsung booked an impairment loss of KRW 1.2 trillion.", "KRW 1.2 trillion"),
        ("The FX loss of KRW 0.3 trillion weighed on earnings.", "KRW 0.3 trillion"),
        ("Foreign exchange losses of KRW 0.3 trillion weighed on earnings.", "KRW 0.3 trillion"),
        ("KB Financial set aside credit losses of KRW 0.5 trillion.", "KRW 0.5 trillion"),
        ("Non-operating loss of KRW 0.3 trillion hit pre-tax profit.", "KRW 0.3 trillion"),
        ("An inventory valuation loss of KRW 1.2 trillion hit operating profit.", "KRW 1.2 trillion"),
        ("It incurred a one-off loss of KRW 0.3 trillion from the disposal.", "KRW 0.3 trillion"),
        ("Kakao booked an impairment loss that cut net profit to KRW 0.1 trillion.", "KRW 0.1 trillion"),
        # a profit/loss word elsewhere in the clause does not reach a figure another metric names
        ("Loss-making Kakao Mobility had revenue of KRW 2.8 trillion.", "KRW 2.8 trillion"),
        ("Revenue of loss-making Kakao Mobility was KRW 2.8 trillion.", "KRW 2.8 trillion"),
        ("The unprofitable unit generated revenue of KRW 2.8 trillion.", "KRW 2.8 trillion"),
        ("The company posted a net loss despite revenue of KRW 2.8 trillion.", "KRW 2.8 trillion"),
        ("Kakao swung to a net loss on revenue of KRW 2.8 trillion.", "KRW 2.8 trillion"),
        ("Kakao posted a net loss on KRW 2.8 trillion of revenue.", "KRW 2.8 trillion"),
        ("Kakao posted a net loss of KRW 1.2 trillion on revenue of KRW 2.8 trillion.", "KRW 2.8 trillion"),
        ("Kakao reported a loss as revenue reached KRW 2.8 trillion.", "KRW 2.8 trillion"),
        ("Loss-making Kakao paid dividends of KRW 0.5 trillion.", "KRW 0.5 trillion"),
        ("Samsung's profitable foundry unit had sales of KRW 0.35 trillion.", "KRW 0.35 trillion"),
    ],
)
def test_an_expense_loss_or_another_metrics_amount_claims_no_sign(text: str, raw: str) -> None:
    mention = _mention(text, raw)
    assert claimed_sign(text, mention) == (0, "")
    assert turn_claim(text, mention) is None


@pytest.mark.parametrize(
    ("text", "raw", "sign"),
    [
        ("Kakao's net loss of KRW 1.2 trillion reversed a KRW 0.3 trillion profit.", "KRW 0.3 trillion", 1),
        ("It booked a KRW 6.57 trillion operating profit.", "KRW 6.57 trillion", 1),
        ("Operating profit was KRW 0.1 trillion in the red.", "KRW 0.1 trillion", -1),
        ("Operating profit was KRW 0.1 trillion in the black.", "KRW 0.1 trillion", 1),
        # the figure of a loss line that is a profit line keeps its claim
        ("Kakao posted a net loss of KRW 1.2 trillion on revenue of KRW 2.8 trillion.", "KRW 1.2 trillion", -1),
    ],
)
def test_a_profit_or_in_the_red_right_after_the_amount_names_it(text: str, raw: str, sign: int) -> None:
    assert _claim(text, raw) == (sign, "profit")


@pytest.mark.parametrize(
    ("text", "turn"),
    [
        ("Kakao turned profitable with operating profit of KRW 0.35 trillion.", (1, -1)),
        ("Kakao became profitable at the operating level, at KRW 0.35 trillion.", None),  # another clause
        ("The unit became loss-making with an operating loss of KRW 0.1 trillion.", (-1, 1)),
    ],
)
def test_turned_profitable_is_a_turn(text: str, turn: tuple[int, int] | None) -> None:
    mention = [m for m in extract_numbers(text) if m.kind == "amount"][-1]
    assert turn_claim(text, mention) == turn


@pytest.mark.parametrize(
    ("text", "raw", "sign"),
    [
        ("Shares rallied 31.72%.", "31.72%", 1),
        ("Shares spiked 31.72%.", "31.72%", 1),
        ("Operating profit skyrocketed 17.97%.", "17.97%", 1),
        ("Operating profit leapt 17.97%.", "17.97%", 1),
        ("Operating profit plummeted 12.4%.", "12.4%", -1),
        ("Operating profit tanked 12.4%.", "12.4%", -1),
        ("Revenue fell a sharp 12.4%.", "12.4%", -1),
        ("Revenue rose a modest 12.4%.", "12.4%", 1),
        ("Revenue grew a solid 12.4% YoY.", "12.4%", 1),
    ],
)
def test_more_change_verbs_and_their_adjectives(text: str, raw: str, sign: int) -> None:
    assert _claim(text, raw) == (sign, "direction")
