"""LLM usage of one run, summed from the router's responses (`usage` plus its provider headers)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

# the meter of the graph node running in this asyncio task (durable/carry.py), besides the run's
_NODE_METER: ContextVar["UsageMeter | None"] = ContextVar("finscribe_node_meter", default=None)


@dataclass
class UsageMeter:
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    by_provider: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, usage: dict[str, Any] | None, headers: dict[str, Any] | None) -> None:
        usage = usage or {}
        headers = {str(k).lower(): v for k, v in (headers or {}).items()}
        prompt = int(usage.get("input_tokens") or usage.get("prompt_tokens") or 0)
        completion = int(usage.get("output_tokens") or usage.get("completion_tokens") or 0)
        cost = _float(headers.get("x-llm-cost-usd"))
        self.llm_calls += 1
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.cost_usd += cost
        provider = str(headers.get("x-llm-provider") or "unknown")
        entry = self.by_provider.setdefault(provider, {"llm_calls": 0, "prompt_tokens": 0, "completion_tokens": 0})
        entry["llm_calls"] += 1
        entry["prompt_tokens"] += prompt
        entry["completion_tokens"] += completion
        node = _NODE_METER.get()
        if node is not None and node is not self:
            node.add(usage, headers)

    @staticmethod
    @contextmanager
    def node_scope() -> Iterator["UsageMeter"]:
        """A meter that also counts every call made in this task (and the tasks it starts)
        while the block runs: one graph node's usage, for its checkpointed state."""
        meter = UsageMeter()
        token = _NODE_METER.set(meter)
        try:
            yield meter
        finally:
            _NODE_METER.reset(token)

    def merge(self, other: dict[str, Any]) -> None:
        """Add a usage dict (`as_dict()` of another meter, e.g. restored from a checkpoint)."""
        self.llm_calls += int(other.get("llm_calls") or 0)
        self.prompt_tokens += int(other.get("prompt_tokens") or 0)
        self.completion_tokens += int(other.get("completion_tokens") or 0)
        self.cost_usd += float(other.get("cost_usd") or 0.0)
        for provider, counts in (other.get("by_provider") or {}).items():
            entry = self.by_provider.setdefault(provider, {"llm_calls": 0, "prompt_tokens": 0, "completion_tokens": 0})
            for key in entry:
                entry[key] += counts.get(key, 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "llm_calls": self.llm_calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": round(self.cost_usd, 6),
            "by_provider": self.by_provider,
        }


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
