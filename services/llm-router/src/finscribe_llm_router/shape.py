"""The request as one target takes it: structured output in the mode it supports, and
`stream_options` only where streams honour it.

The caller asks in OpenAI's terms (`response_format: {type: json_schema, json_schema:
{name, schema}}`); a target that cannot enforce a schema gets the same schema as an
instruction in its system prompt instead, so a model is still asked for that JSON. The
caller validates the answer either way (the router never rewrites a model's answer).
"""

import json
from dataclasses import dataclass
from typing import Any

from finscribe_llm_router.capabilities import Capabilities, StructuredMode

SCHEMA_INSTRUCTION = (
    "Reply with one JSON object and nothing else (no prose, no code fences). "
    "It must validate against this JSON Schema:\n{schema}"
)


@dataclass(frozen=True)
class Shaped:
    payload: dict[str, Any]
    structured: StructuredMode | None  # how structured output went out; None when not asked for


def requested_schema(response_format: Any) -> dict[str, Any] | None:
    """The JSON schema a caller asked for, in either shape (json_schema, json_object + schema)."""
    if not isinstance(response_format, dict):
        return None
    if response_format.get("type") == "json_schema":
        inner = response_format.get("json_schema") or {}
        schema = inner.get("schema") if isinstance(inner, dict) else None
        return schema if isinstance(schema, dict) else None
    schema = response_format.get("schema")
    return schema if isinstance(schema, dict) else None


def _schema_name(response_format: dict[str, Any], schema: dict[str, Any]) -> str:
    inner = response_format.get("json_schema")
    if isinstance(inner, dict) and inner.get("name"):
        return str(inner["name"])
    return str(schema.get("title") or "response")


def schema_instruction(schema: dict[str, Any]) -> str:
    return SCHEMA_INSTRUCTION.format(schema=json.dumps(schema, ensure_ascii=False, separators=(",", ":")))


def with_system_text(messages: list[Any], text: str) -> list[Any]:
    """`text` appended to the first system message (or a new one first): chat templates of
    small models often accept a system message only at the start."""
    first = messages[0] if messages else None
    if isinstance(first, dict) and first.get("role") == "system" and isinstance(first.get("content"), str):
        return [{**first, "content": f"{first['content']}\n\n{text}"}, *messages[1:]]
    return [{"role": "system", "content": text}, *messages]


def _structured(payload: dict[str, Any], mode: StructuredMode) -> tuple[dict[str, Any], StructuredMode | None]:
    response_format = payload.get("response_format")
    if not isinstance(response_format, dict) or response_format.get("type") in (None, "text"):
        return payload, None
    schema = requested_schema(response_format)
    if schema is None:  # plain JSON mode: only a server without any JSON mode needs a change
        if mode == "prompt":
            rest = {k: v for k, v in payload.items() if k != "response_format"}
            instruction = "Reply with one JSON object and nothing else (no prose, no code fences)."
            return {**rest, "messages": with_system_text(rest["messages"], instruction)}, "prompt"
        return payload, "json_object"
    if mode == "json_schema":
        if response_format.get("type") == "json_schema":
            return payload, mode
        name = _schema_name(response_format, schema)
        converted = {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
        return {**payload, "response_format": converted}, mode
    if mode == "json_object_schema":
        return {**payload, "response_format": {"type": "json_object", "schema": schema}}, mode
    messages = with_system_text(payload["messages"], schema_instruction(schema))
    if mode == "json_object":
        return {**payload, "messages": messages, "response_format": {"type": "json_object"}}, mode
    rest = {k: v for k, v in payload.items() if k != "response_format"}
    return {**rest, "messages": messages}, mode


def shape(body: dict[str, Any], model: str, caps: Capabilities) -> Shaped:
    """The payload for one target: its model name, structured output in its mode, stream options it honours."""
    payload: dict[str, Any] = {**body, "model": model}
    payload, structured = _structured(payload, caps.structured_output)
    if body.get("stream"):
        options = dict(body.get("stream_options") or {})
        if caps.stream_usage:
            # accounting wants the provider's own count; the relay hides the extra chunk again
            payload["stream_options"] = {**options, "include_usage": True}
        else:
            options.pop("include_usage", None)  # a server that ignores or refuses it: we count ourselves
            if options:
                payload["stream_options"] = options
            else:
                payload.pop("stream_options", None)
    if not caps.max_completion_tokens and "max_completion_tokens" in payload:
        ceiling = payload.pop("max_completion_tokens")
        payload.setdefault("max_tokens", ceiling)
    if body.get("tools") and not caps.tools and body.get("tool_choice") == "none":
        # tools the caller forbids calling anyway: the same request without them
        payload = {k: v for k, v in payload.items() if k not in ("tools", "tool_choice")}
    return Shaped(payload, structured)
