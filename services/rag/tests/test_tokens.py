from finscribe_rag.tokens import match_terms, tokenize


def test_keeps_content_morphemes_and_drops_particles() -> None:
    terms = tokenize("LoRA를 활용한 파인튜닝에서 학습률은 어떻게 설정했나요?")
    assert "lora" in terms
    assert "파인튜닝" in terms
    assert "활용" in terms
    assert "를" not in terms and "은" not in terms


def test_inflected_forms_meet_on_one_term() -> None:
    # 분석한다 / 분석하는 -> 분석; 높였다 / 높이는 -> 높이다
    assert "분석" in tokenize("감성을 분석한다") and "분석" in tokenize("감성을 분석하는 모델")
    assert set(tokenize("성능을 높였다")) & set(tokenize("성능을 높이는"))


def test_blank_text_has_no_terms() -> None:
    assert tokenize("   ") == []


def test_english_words_match_as_stems_without_stop_words() -> None:
    # "liability" must find "Total liabilities"; "acquired" the "acquisitions" note
    question = match_terms(tokenize("What was the largest liability in the Balance Sheet?"))
    statement = match_terms(tokenize("Total liabilities $ 203,643 $ 166,371"))
    assert "what" not in question and "the" not in question and "was" not in question
    assert set(question) & set(statement) == {"liabil"}
    assert set(match_terms(tokenize("companies acquired"))) & set(match_terms(tokenize("Acquisitions of companies")))
    # Korean morphemes, numbers and hanja pass through as Kiwi gave them
    assert match_terms(["유동부채", "2022", "203,643"]) == ["유동부채", "2022", "203,643"]


def test_the_letter_of_a_name_after_a_number_is_not_a_stop_word() -> None:
    # Kiwi splits "3M" and "Item 7A"; "m" and "a" are NLTK stop words (I'm, a)
    assert match_terms(tokenize("3M Company")) == ["3", "m", "compani"]
    assert match_terms(tokenize("Item 7A quantitative disclosures")) == ["item", "7", "a", "quantit", "disclosur"]
    assert "m" in match_terms(tokenize("What is 3M's revenue?"))
    # elsewhere they are still stop words
    assert match_terms(tokenize("I'm a shareholder")) == ["sharehold"]
