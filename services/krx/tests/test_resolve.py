import pytest

from finscribe_krx.resolve import MARKETS, ListedStock, TickerIndex, normalize
from finscribe_testkit.krx import payloads


@pytest.fixture(scope="module")
def index() -> TickerIndex:
    # the replay's real listings, as KRX's finder returns them
    return TickerIndex(
        ListedStock(row["short_code"], row["codeName"], row["full_code"], MARKETS[row["marketCode"]])
        for row in payloads.listed_rows()
    )


def first(index: TickerIndex, query: str) -> tuple[str, float, str]:
    match = index.search(query)[0]
    return match.stock.ticker, match.score, match.matched


def test_exact_name(index: TickerIndex) -> None:
    assert first(index, "삼성전자") == ("005930", 1.0, "name")
    assert first(index, " 삼성 전자 ") == ("005930", 1.0, "name")


@pytest.mark.parametrize("query", ["005930", "A005930", "KR7005930003", "kr7005930003"])
def test_code_and_isin(index: TickerIndex, query: str) -> None:
    assert first(index, query) == ("005930", 1.0, "code")


@pytest.mark.parametrize(
    ("query", "ticker"),
    [("삼전", "005930"), ("하이닉스", "000660"), ("엘지엔솔", "373220"), ("삼바", "207940"), ("기아차", "000270")],
)
def test_aliases(index: TickerIndex, query: str, ticker: str) -> None:
    assert first(index, query) == (ticker, 0.97, "alias")


def test_current_krx_short_name_is_exact(index: TickerIndex) -> None:
    assert first(index, "현대차") == ("005380", 1.0, "name")
    assert first(index, "현대자동차")[0] == "005380"


def test_jamo_fuzzy_finds_a_typo(index: TickerIndex) -> None:
    matches = index.search("삼성전저")
    assert matches[0].stock.ticker == "005930"
    assert matches[0].matched == "fuzzy"
    assert 0.6 <= matches[0].score < 1.0
    # ranked: every later match scores no higher
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)


def test_fuzzy_on_a_vowel_typo_of_a_long_name(index: TickerIndex) -> None:
    assert first(index, "삼성바이오로직수")[0] == "207940"
    assert first(index, "에코프로비앰")[0] == "247540"


def test_latin_names_ignore_case(index: TickerIndex) -> None:
    assert first(index, "naver") == ("035420", 1.0, "name")
    assert first(index, "Naver") == ("035420", 1.0, "name")
    assert first(index, "lg energy solution") == ("373220", 0.97, "alias")
    assert first(index, "sk하이닉스") == ("000660", 1.0, "name")


def test_prefix_lists_every_company_of_a_group(index: TickerIndex) -> None:
    tickers = {m.stock.ticker for m in index.search("삼성", limit=50)}
    assert {"005930", "009150", "032830", "028260", "207940"} <= tickers


def test_nothing_alike_gives_nothing(index: TickerIndex) -> None:
    assert index.search("xyzzy") == []
    assert index.search("   ") == []


def test_limit(index: TickerIndex) -> None:
    assert len(index.search("삼성", limit=3)) == 3


def test_alias_to_an_unlisted_ticker_is_ignored() -> None:
    one = TickerIndex([ListedStock("005930", "삼성전자", "KR7005930003", "KOSPI")], alias_table={"하닉": "000660"})
    assert all(m.stock.ticker != "000660" for m in one.search("하닉"))


def test_normalize_drops_corporate_suffixes() -> None:
    assert normalize("삼성전자(주)") == "삼성전자"
    assert normalize("주식회사 카카오") == "카카오"


@pytest.fixture(scope="module")
def full_size_index() -> TickerIndex:
    """Every listed company of the real DART corp code list (~3,800 names), as a KRX-sized list."""
    from finscribe_testkit.krx.corp_list import dart_listed_stocks

    stocks = dart_listed_stocks()
    assert len(stocks) > 3000
    return TickerIndex(stocks)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("삼성전저", "삼성전자"),
        ("삼전", "삼성전자"),
        ("셀트리온헬스케어", "셀트리온헬스케어"),
        ("엘지엔솔", "LG에너지솔루션"),
    ],
)
def test_ranking_holds_among_thousands_of_real_names(full_size_index: TickerIndex, query: str, name: str) -> None:
    assert full_size_index.search(query)[0].stock.name == name


def test_a_code_query_returns_just_that_code(full_size_index: TickerIndex) -> None:
    assert [m.stock.name for m in full_size_index.search("005930")] == ["삼성전자"]
