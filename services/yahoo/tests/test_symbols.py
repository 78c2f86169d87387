"""Symbol rules that need no network."""

import pytest

from finscribe_common.errors import BadRequest
from finscribe_yahoo import symbols


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("005930.ks", "005930.KS"), (" tsla ", "TSLA"), ("^ixic", "^IXIC"), ("krw=x", "KRW=X"), ("BRK-B", "BRK-B")],
)
def test_normalize_symbol(raw: str, expected: str) -> None:
    assert symbols.normalize_symbol(raw) == expected


@pytest.mark.parametrize("raw", ["", "a b", "^^X", "TSLA;DROP", "../etc", "=X", "X" * 21])
def test_normalize_symbol_rejects(raw: str) -> None:
    with pytest.raises(BadRequest):
        symbols.normalize_symbol(raw)


def test_krx_code_and_parts() -> None:
    assert symbols.krx_code("005930") == "005930"
    assert symbols.krx_code("0059") is None
    assert symbols.krx_code("TSLA") is None
    assert symbols.krx_symbol_parts("005930.KS") == ("005930", "KOSPI")
    assert symbols.krx_symbol_parts("247540.KQ") == ("247540", "KOSDAQ")
    assert symbols.krx_symbol_parts("TSLA") is None


@pytest.mark.parametrize(
    ("raw", "pair", "symbol"),
    [
        ("USDKRW", ("USD", "KRW"), "KRW=X"),
        ("usd/krw", ("USD", "KRW"), "KRW=X"),
        ("EUR-KRW", ("EUR", "KRW"), "EURKRW=X"),
        ("JPY_KRW", ("JPY", "KRW"), "JPYKRW=X"),
        ("KRW=X", ("USD", "KRW"), "KRW=X"),
    ],
)
def test_fx_pairs(raw: str, pair: tuple[str, str], symbol: str) -> None:
    assert symbols.parse_fx_pair(raw) == pair
    assert symbols.fx_symbol(*pair) == symbol


def test_index_aliases() -> None:
    assert symbols.known_index("kospi").symbol == "^KS11"
    assert symbols.known_index("S&P 500").symbol == "^GSPC"
    assert symbols.known_index("^ixic").symbol == "^IXIC"
    assert symbols.known_index("samsung") is None


def test_known_timezones() -> None:
    assert symbols.known_timezone("005930.KS") == "Asia/Seoul"
    assert symbols.known_timezone("^KQ11") == "Asia/Seoul"
    assert symbols.known_timezone("AAPL") == "America/New_York"
    assert symbols.known_timezone("7203.T") is None
    assert symbols.known_timezone("KRW=X") is None


def test_quote_page_url_escapes() -> None:
    assert symbols.quote_page_url("^KS11") == "https://finance.yahoo.com/quote/%5EKS11"
    assert symbols.quote_page_url("005930.KS") == "https://finance.yahoo.com/quote/005930.KS"
