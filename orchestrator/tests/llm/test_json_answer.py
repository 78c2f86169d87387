"""Reading a weak model's JSON: fenced, after prose, the first object; findings a model can read."""

import pytest
from pydantic import BaseModel, ValidationError

from finscribe_orchestrator.llm.json_answer import NotJson, json_object, parse_answer, problems


class Item(BaseModel):
    name: str
    count: int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('답입니다:\n```json\n{"a": 1}\n```\n끝', {"a": 1}),
        ('```\n{"a": {"b": [1, 2]}}\n```', {"a": {"b": [1, 2]}}),
        ('앞 {잘못} 뒤 {"a": 2}', {"a": 2}),
        ('[1, 2] {"a": 3}', {"a": 3}),
    ],
)
def test_the_first_json_object_is_found(text: str, expected: dict) -> None:
    assert json_object(text) == expected


@pytest.mark.parametrize("text", ["", "없음", '{"a": 1', "[1, 2]", "```json\n```"])
def test_no_object_is_not_json(text: str) -> None:
    with pytest.raises(NotJson):
        json_object(text)


def test_validation_findings_name_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_answer('{"name": "x", "count": "many"}', Item)
    assert problems(caught.value) == ["count: Input should be a valid integer, unable to parse string as an integer"]
    assert problems(NotJson("답에 JSON 객체가 없습니다")) == ["답에 JSON 객체가 없습니다"]
    assert parse_answer('{"name": "x", "count": 2}', Item) == Item(name="x", count=2)
