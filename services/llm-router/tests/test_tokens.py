"""Token estimates for answers that arrive without `usage`."""

from finscribe_llm_router.tokens import TokenCounter, char_estimate


def test_char_estimate() -> None:
    assert char_estimate("") == 0
    assert char_estimate("abcd") == 1
    assert char_estimate("abcde") == 2
    assert char_estimate("삼성전자") == 4  # one per Hangul syllable
    assert char_estimate("삼성 Q3") == 2 + 1  # "삼성" + ceil(" Q3" / 4)


def test_chars_mode_never_loads_tiktoken() -> None:
    counter = TokenCounter("chars")
    assert counter.load() is False
    assert counter.method == "chars"
    assert counter.count("hello world!") == 3


def test_prompt_counts_every_message_and_the_framing() -> None:
    counter = TokenCounter("chars")
    body = {
        "messages": [
            {"role": "system", "content": "요약해"},
            {"role": "user", "content": [{"type": "text", "text": "abcdefgh"}]},
        ]
    }
    # (3 + "system\n요약해") + (3 + "user\nabcdefgh") + 3
    expected = (3 + char_estimate("system\n요약해")) + (3 + char_estimate("user\nabcdefgh")) + 3
    assert counter.count_prompt(body) == expected
    with_tools = {**body, "tools": [{"type": "function", "function": {"name": "f"}}]}
    assert counter.count_prompt(with_tools) > expected
