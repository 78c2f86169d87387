import pytest

from finscribe_dart.corp_index import CorpIndex, CorpListError, normalize_name, parse_corp_zip, to_jamo
from finscribe_dart.corp_store import _parse_shared
from finscribe_testkit.common.fixtures import fixture_path


@pytest.fixture(scope="module")
def index() -> CorpIndex:
    return _parse_shared(fixture_path("dart_corpCode.zip").read_bytes())


def test_real_list_is_parsed_whole(index: CorpIndex) -> None:
    assert len(index) == 109_436
    samsung = index.get("00126380")
    assert samsung is not None
    assert (samsung.corp_name, samsung.stock_code, str(samsung.modify_date)) == ("삼성전자", "005930", "2024-05-22")
    # the file pads unlisted companies' stock_code with a space: that must not count as listed
    assert index.listed_count == 3_831


def test_exact_name_ranks_samsung_first(index: CorpIndex) -> None:
    results = index.search("삼성전자")
    assert (results[0].corp.corp_code, results[0].corp.stock_code, results[0].match) == ("00126380", "005930", "exact")
    assert results[0].score == 1.0
    # partial matches follow, never ahead of the exact one
    assert all(r.match in ("prefix", "contains", "fuzzy") for r in results[1:])
    assert "삼성전자서비스" in [r.corp.corp_name for r in results]


def test_shared_name_returns_every_company_listed_first(index: CorpIndex) -> None:
    results = index.search("에이텍")
    exact = [r for r in results if r.match == "exact"]
    assert sorted(r.corp.corp_code for r in exact) == ["00133007", "00226963", "00256502", "00368551", "01496338"]
    assert exact[0].corp.corp_code == "00256502"
    assert exact[0].corp.stock_code == "045660"
    assert not any(r.corp.listed for r in exact[1:])
    assert results[: len(exact)] == exact


def test_limit_never_hides_exact_matches(index: CorpIndex) -> None:
    results = index.search("신한", limit=2)
    assert [r.match for r in results] == ["exact"] * 5
    assert results[0].corp.stock_code == "005450"


def test_codes_resolve(index: CorpIndex) -> None:
    by_stock = index.search("005930")
    assert [(r.corp.corp_code, r.match) for r in by_stock] == [("00126380", "stock_code")]
    by_corp = index.search("00126380")
    assert [(r.corp.corp_name, r.match) for r in by_corp] == [("삼성전자", "corp_code")]


def test_legal_form_and_spacing_are_ignored(index: CorpIndex) -> None:
    result = index.search("(주) 삼성 전자")[0]
    assert (result.corp.corp_code, result.match) == ("00126380", "normalized")


def test_typo_is_found_through_jamo(index: CorpIndex) -> None:
    results = index.search("삼성전저")
    assert results[0].corp.corp_code == "00126380"
    assert results[0].match == "fuzzy"
    assert 0 < results[0].score < 1


def test_unknown_name_finds_nothing(index: CorpIndex) -> None:
    assert index.search("ㅋㅋㅋㅋ존재하지않는회사명ㅋㅋ") == []


def test_helpers() -> None:
    assert to_jamo("삼성") == "ㅅㅏㅁㅅㅓㅇ"
    assert normalize_name("㈜ Samsung Co., Ltd.") == "samsung"


def test_not_a_zip_is_rejected() -> None:
    with pytest.raises(CorpListError, match="not a zip"):
        parse_corp_zip(b"<result><status>010</status></result>")
