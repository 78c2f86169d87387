"""What each target takes: how it does structured output, whether it calls tools, whether its
streams carry usage.

Defaults come per server kind from the routing file (`server_kinds`, and `providers` naming
each provider's kind; `LOCAL_LLM_KIND` overrides the local one), overrides per target from
its `capabilities` section. What a provider refuses at run time is learned and kept for the
life of the process (per process, like the circuit state): the next request goes out in the
shape it takes, without a refused attempt first.
"""

import threading
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from finscribe_llm_router.config import RouterSettings

StructuredMode = Literal["json_schema", "json_object_schema", "json_object", "prompt"]
Feature = Literal["structured_output", "tools", "stream_usage"]
# strongest first: a refusal moves a target one step down
STRUCTURED_MODES: tuple[StructuredMode, ...] = ("json_schema", "json_object_schema", "json_object", "prompt")
SERVER_KINDS = ("openai", "vllm", "llamacpp", "ollama")


class CapabilityError(ValueError):
    """A capabilities entry of the routing file is unusable."""


@dataclass(frozen=True)
class Capabilities:
    # json_schema: OpenAI's `response_format: {type: json_schema}`; json_object_schema:
    # `{type: json_object, schema}` (llama-cpp-python); json_object: JSON mode without a
    # schema (the schema goes into the prompt); prompt: no response_format at all
    structured_output: StructuredMode = "json_schema"
    tools: bool = True
    stream_usage: bool = True  # honours stream_options.include_usage
    # takes OpenAI's `max_completion_tokens` (what OpenAI SDKs and langchain send); else it is renamed
    # to the older `max_tokens`, which a server without it would otherwise ignore (no ceiling at all)
    max_completion_tokens: bool = True

    def weaker(self, feature: Feature) -> "Capabilities | None":
        """The capabilities after the provider refused `feature`; None when nothing is left to drop."""
        if feature == "structured_output":
            index = STRUCTURED_MODES.index(self.structured_output)
            if index + 1 >= len(STRUCTURED_MODES):
                return None
            return replace(self, structured_output=STRUCTURED_MODES[index + 1])
        if feature == "tools":
            return replace(self, tools=False) if self.tools else None
        return replace(self, stream_usage=False) if self.stream_usage else None


def parse_capabilities(raw: Any, where: str, base: Capabilities | None = None) -> Capabilities:
    if not isinstance(raw, dict):
        raise CapabilityError(f"{where}: expected a mapping")
    unknown = set(raw) - {"structured_output", "tools", "stream_usage", "max_completion_tokens"}
    if unknown:
        known = "structured_output, tools, stream_usage, max_completion_tokens"
        raise CapabilityError(f"{where}: unknown keys {sorted(unknown)} (known: {known})")
    mode = raw.get("structured_output", (base or Capabilities()).structured_output)
    if mode not in STRUCTURED_MODES:
        raise CapabilityError(f"{where}: structured_output {mode!r} is not one of {', '.join(STRUCTURED_MODES)}")
    values: dict[str, Any] = {"structured_output": mode}
    for flag in ("tools", "stream_usage", "max_completion_tokens"):
        if flag in raw:
            if not isinstance(raw[flag], bool):
                raise CapabilityError(f"{where}: {flag} must be true or false")
            values[flag] = raw[flag]
    return replace(base or Capabilities(), **values)


@dataclass(frozen=True)
class CapabilityTable:
    """The routing file's view: defaults per server kind, each provider's kind, per-target overrides."""

    kinds: dict[str, Capabilities]
    provider_kinds: dict[str, str]
    targets: dict[str, dict[str, Any]]  # "provider:model" or "provider:*" -> raw override

    @classmethod
    def from_mapping(
        cls, raw: dict[str, Any], settings: RouterSettings, providers: tuple[str, ...]
    ) -> "CapabilityTable":
        kinds: dict[str, Capabilities] = {}
        for kind, value in (raw.get("server_kinds") or {}).items():
            kinds[str(kind)] = parse_capabilities(value, f"server_kinds.{kind}")
        provider_kinds: dict[str, str] = {}
        for name, value in (raw.get("providers") or {}).items():
            if name not in providers:
                raise CapabilityError(f"providers.{name}: unknown provider (known: {', '.join(providers)})")
            kind = value.get("kind") if isinstance(value, dict) else None
            provider_kinds[str(name)] = str(kind or "openai")
        if settings.local_llm_kind:
            provider_kinds["local"] = settings.local_llm_kind
        for name, kind in provider_kinds.items():
            if kind not in kinds:
                known = ", ".join(kinds) or "(none: add server_kinds)"
                raise CapabilityError(f"provider {name}: server kind {kind!r} has no server_kinds entry ({known})")
        targets: dict[str, dict[str, Any]] = {}
        for key, value in (raw.get("capabilities") or {}).items():
            provider = str(key).partition(":")[0]
            if provider not in providers:
                raise CapabilityError(f"capabilities.{key}: unknown provider {provider!r}")
            parse_capabilities(value, f"capabilities.{key}")  # validate now, apply per target later
            targets[str(key)] = dict(value)
        return cls(kinds, provider_kinds, targets)

    def configured(self, provider: str, model: str) -> Capabilities:
        kind = self.provider_kinds.get(provider)
        caps = self.kinds.get(kind or "", Capabilities())
        for key in (f"{provider}:*", f"{provider}:{model}"):  # the exact target wins
            if key in self.targets:
                caps = parse_capabilities(self.targets[key], f"capabilities.{key}", caps)
        return caps

    def kind_of(self, provider: str) -> str:
        return self.provider_kinds.get(provider, "openai")


class CapabilityBook:
    """Configured capabilities plus what providers refused since the process started."""

    def __init__(self, table: CapabilityTable) -> None:
        self.table = table
        self._learned: dict[tuple[str, str], Capabilities] = {}
        self._reasons: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._lock = threading.Lock()

    def for_target(self, provider: str, model: str) -> Capabilities:
        with self._lock:
            learned = self._learned.get((provider, model))
        return learned or self.table.configured(provider, model)

    def learn(self, provider: str, model: str, feature: Feature, reason: str) -> Capabilities | None:
        """Records a refusal; returns the weaker capabilities to retry with, or None when there are none."""
        with self._lock:
            current = self._learned.get((provider, model)) or self.table.configured(provider, model)
            weaker = current.weaker(feature)
            if weaker is None:
                return None
            self._learned[(provider, model)] = weaker
            self._reasons.setdefault((provider, model), []).append({"feature": feature, "reason": reason[:300]})
            return weaker

    def describe(self, targets: list[tuple[str, str]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for provider, model in targets:
            with self._lock:
                learned = list(self._reasons.get((provider, model), []))
            out[f"{provider}:{model}"] = {
                "kind": self.table.kind_of(provider),
                **asdict(self.for_target(provider, model)),
                "learned": learned,
            }
        return out
