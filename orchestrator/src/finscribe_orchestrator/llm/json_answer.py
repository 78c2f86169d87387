"""Reading a model's JSON answer the way a weak model writes it: the JSON object may come
inside a code fence or after a sentence. Only `json.loads` and pydantic ever see the text:
nothing of it is executed."""

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


class NotJson(ValueError):
    """The answer holds no JSON object."""


def json_object(text: str) -> Any:
    """The first JSON object in `text` (fenced or bare); NotJson when there is none."""
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    decoder = json.JSONDecoder()
    for candidate in candidates:
        start = candidate.find("{")
        while start != -1:
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except ValueError:
                start = candidate.find("{", start + 1)
                continue
            if isinstance(value, dict):
                return value
            start = candidate.find("{", start + 1)
    raise NotJson("답에 JSON 객체가 없습니다")


def parse_answer(text: str, schema: type[M]) -> M:
    """The answer validated by the pydantic model; NotJson or pydantic's ValidationError otherwise."""
    return schema.model_validate(json_object(text))


def problems(error: Exception, limit: int = 8) -> list[str]:
    """Short, model-readable findings: `path: message` per validation error."""
    if isinstance(error, ValidationError):
        found = []
        for item in error.errors()[:limit]:
            path = ".".join(str(p) for p in item.get("loc", ())) or "(전체)"
            found.append(f"{path}: {item.get('msg')}")
        return found
    return [str(error)[:300]]
