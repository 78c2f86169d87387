"""The evaluation set of Korean number strings (eval/strings.tsv) is read 100 % right."""

from finscribe_common.numbers.evaluate import load, run


def test_the_set_is_large_and_covers_every_form() -> None:
    cases = load()
    assert len(cases) >= 300
    texts = " ".join(c.text for c in cases)
    for form in ("조", "억", "만", "천", "△", "▼", "▲", "%p", "bp", "배", "달러", "$", "~", "대", "약", "이상", "미만"):
        assert form in texts, form
    assert any(c.header for c in cases) and any(c.text.startswith("(") for c in cases)
    assert any("０" <= ch <= "９" for c in cases for ch in c.text)  # full-width digits


def test_every_string_is_read_right() -> None:
    passed, total, failures = run()
    assert failures == [] and passed == total
