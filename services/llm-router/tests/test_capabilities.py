"""Capabilities: the routing file's defaults per server kind, per-target overrides, and the
request shape each mode sends (unit level; the refusal-and-retry walk is in test_shapes)."""

from pathlib import Path

import pytest

from finscribe_llm_router.capabilities import Capabilities, CapabilityBook
from finscribe_llm_router.policy import Policy, PolicyError
from finscribe_llm_router.shape import requested_schema, shape
from finscribe_testkit.llm_router import test_settings

SCHEMA = {"title": "Outline", "type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}
JSON_SCHEMA = {"type": "json_schema", "json_schema": {"name": "Outline", "schema": SCHEMA}}


def body(**extra: object) -> dict:
    messages = [{"role": "system", "content": "너는 분석가"}, {"role": "user", "content": "목차"}]
    return {"model": "auto", "messages": messages, **extra}


def test_default_kinds_per_provider() -> None:
    table = Policy.load(test_settings()).capabilities
    assert table.configured("openai", "gpt-4.1-mini") == Capabilities("json_schema", True, True)
    assert table.configured("runpod", "x") == Capabilities("json_schema", False, True)  # vLLM without tool flags
    assert table.configured("local", "qwen") == Capabilities("json_schema", True, True, False)  # ollama by default
    llamacpp = Policy.load(test_settings(LOCAL_LLM_KIND="llamacpp")).capabilities
    assert llamacpp.configured("local", "smollm2") == Capabilities("json_object_schema", False, False, False)


def test_per_target_overrides_win_over_the_kind(tmp_path: Path) -> None:
    routes = (
        Path(test_settings().routes_file)
        .read_text(encoding="utf-8")
        .replace(
            "capabilities: {}",
            'capabilities:\n  "runpod:*": {tools: true}\n  "local:tiny": {structured_output: prompt}',
        )
    )
    path = tmp_path / "routes.yaml"
    path.write_text(routes, encoding="utf-8")
    table = Policy.load(test_settings(LLM_ROUTES_FILE=str(path))).capabilities
    assert table.configured("runpod", "any").tools is True
    assert table.configured("local", "tiny").structured_output == "prompt"
    assert table.configured("local", "other").structured_output == "json_schema"


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ('capabilities:\n  "local:x": {structured_output: xml}', "structured_output 'xml'"),
        ('capabilities:\n  "local:x": {tools: maybe}', "tools must be true or false"),
        ('capabilities:\n  "nobody:x": {tools: true}', "unknown provider 'nobody'"),
        ('capabilities:\n  "local:x": {speed: 3}', "unknown keys ['speed']"),
    ],
)
def test_a_bad_capabilities_entry_stops_the_start(tmp_path: Path, snippet: str, message: str) -> None:
    routes = Path(test_settings().routes_file).read_text(encoding="utf-8").replace("capabilities: {}", snippet)
    path = tmp_path / "routes.yaml"
    path.write_text(routes, encoding="utf-8")
    with pytest.raises(PolicyError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Policy.load(test_settings(LLM_ROUTES_FILE=str(path)))


def test_an_unknown_local_kind_is_named() -> None:
    with pytest.raises(PolicyError, match="server kind 'tgi'"):
        Policy.load(test_settings(LOCAL_LLM_KIND="tgi"))


def test_each_mode_sends_its_shape() -> None:
    caps = Capabilities()
    sent = shape(body(response_format=JSON_SCHEMA), "m", caps)
    assert sent.payload["response_format"] == JSON_SCHEMA and sent.structured == "json_schema"
    assert sent.payload["model"] == "m"

    sent = shape(body(response_format=JSON_SCHEMA), "m", Capabilities("json_object_schema"))
    assert sent.payload["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert sent.payload["messages"][0]["content"] == "너는 분석가"  # the server enforces it: no prompt text

    sent = shape(body(response_format=JSON_SCHEMA), "m", Capabilities("json_object"))
    assert sent.payload["response_format"] == {"type": "json_object"}
    system = sent.payload["messages"][0]["content"]
    assert system.startswith("너는 분석가\n\nReply with one JSON object") and '"title":"Outline"' in system

    sent = shape(body(response_format=JSON_SCHEMA), "m", Capabilities("prompt"))
    assert "response_format" not in sent.payload and sent.structured == "prompt"
    assert len(sent.payload["messages"]) == 2 and "JSON Schema" in sent.payload["messages"][0]["content"]

    no_system = {"model": "auto", "messages": [{"role": "user", "content": "q"}], "response_format": JSON_SCHEMA}
    sent = shape(no_system, "m", Capabilities("prompt"))
    assert [m["role"] for m in sent.payload["messages"]] == ["system", "user"]

    # json_object + schema from the caller goes out as json_schema where that is the mode
    sent = shape(body(response_format={"type": "json_object", "schema": SCHEMA}), "m", caps)
    assert sent.payload["response_format"] == JSON_SCHEMA
    assert requested_schema(JSON_SCHEMA) == SCHEMA and requested_schema({"type": "text"}) is None


def test_stream_options_only_where_streams_honour_them() -> None:
    streamed = body(stream=True)
    assert shape(streamed, "m", Capabilities()).payload["stream_options"] == {"include_usage": True}
    assert "stream_options" not in shape(streamed, "m", Capabilities(stream_usage=False)).payload
    asked = body(stream=True, stream_options={"include_usage": True})
    assert "stream_options" not in shape(asked, "m", Capabilities(stream_usage=False)).payload


def test_max_completion_tokens_goes_out_as_max_tokens_where_only_that_is_read() -> None:
    ceiling = body(max_completion_tokens=400)
    assert shape(ceiling, "m", Capabilities()).payload["max_completion_tokens"] == 400
    older = shape(ceiling, "m", Capabilities(max_completion_tokens=False)).payload
    assert older["max_tokens"] == 400 and "max_completion_tokens" not in older


def test_refusals_step_down_and_are_remembered() -> None:
    book = CapabilityBook(Policy.load(test_settings()).capabilities)
    assert book.for_target("openai", "m").structured_output == "json_schema"
    steps = [book.learn("openai", "m", "structured_output", "refused") for _ in range(4)]
    assert [s.structured_output if s else None for s in steps] == ["json_object_schema", "json_object", "prompt", None]
    assert book.for_target("openai", "m").structured_output == "prompt"
    assert book.for_target("openai", "other").structured_output == "json_schema"  # per target
    assert book.learn("openai", "m", "tools", "no tools").tools is False  # type: ignore[union-attr]
    assert book.learn("openai", "m", "tools", "again") is None
    described = book.describe([("openai", "m")])["openai:m"]
    assert described["kind"] == "openai" and described["structured_output"] == "prompt"
    assert [item["feature"] for item in described["learned"]] == ["structured_output"] * 3 + ["tools"]
