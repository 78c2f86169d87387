from finscribe_krx.jamo import decompose


def test_syllables_split_into_basic_jamo() -> None:
    assert decompose("삼성전자") == "ㅅㅏㅁㅅㅓㅇㅈㅓㄴㅈㅏ"


def test_compound_vowels_and_clusters_split_into_keys() -> None:
    assert decompose("과") == "ㄱㅗㅏ"
    assert decompose("값") == "ㄱㅏㅂㅅ"
    assert decompose("ㅘ") == "ㅗㅏ"


def test_other_characters_pass_through() -> None:
    assert decompose("LG화학 2") == "LGㅎㅗㅏㅎㅏㄱ 2"


def test_a_one_key_typo_is_one_jamo_apart() -> None:
    right, typo = decompose("삼성전자"), decompose("삼성전저")
    assert len(right) == len(typo)
    assert sum(a != b for a, b in zip(right, typo, strict=True)) == 1
