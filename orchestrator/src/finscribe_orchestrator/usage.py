"""LLM usage of one run, summed from the router's responses (`usage` plus its provider headers)."""

from dataclasses import dataclass, field
from typing import Any


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


def add_usage(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """The state reducer of `usage`: two `UsageMeter.as_dict()` summed (calls, tokens, USD, and
    per provider)."""
    total = UsageMeter()
    for part in (left or {}, right or {}):
        total.llm_calls += int(part.get("llm_calls", 0))
        total.prompt_tokens += int(part.get("prompt_tokens", 0))
        total.completion_tokens += int(part.get("completion_tokens", 0))
        total.cost_usd += float(part.get("cost_usd", 0.0))
        for provider, counts in (part.get("by_provider") or {}).items():
            entry = total.by_provider.setdefault(provider, {"llm_calls": 0, "prompt_tokens": 0, "completion_tokens": 0})
            for name in entry:
                entry[name] += counts.get(name, 0)
    return total.as_dict()
