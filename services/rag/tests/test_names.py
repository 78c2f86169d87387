import pytest

from finscribe_common.errors import Unprocessable
from finscribe_rag.names import check_collection, check_doc_id, chroma_name, collection_from_chroma


@pytest.mark.parametrize("name", ["u0123456789abcdef-s0a1b2c3d", "abc", "a" * 63, "u1-", "x_y"])
def test_contract_names_pass(name: str) -> None:
    assert check_collection(name) == name
    assert collection_from_chroma(chroma_name(name)) == name


@pytest.mark.parametrize("name", ["ab", "A" * 5, "-abc", "a" * 64, "u1.s2", "u1/s2", "사용자", ""])
def test_other_names_fail(name: str) -> None:
    with pytest.raises(Unprocessable):
        check_collection(name)


def test_chroma_names_end_with_a_letter_or_digit() -> None:
    assert chroma_name("abc-")[-1].isalnum()


@pytest.mark.parametrize("doc_id", ["", "a b", "../x", "x" * 129, "#1"])
def test_bad_doc_ids(doc_id: str) -> None:
    with pytest.raises(Unprocessable):
        check_doc_id(doc_id)
