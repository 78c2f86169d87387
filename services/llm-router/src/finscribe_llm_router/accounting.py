"""Tokens and cost by provider, model, task and user since the process started, per
request id (so a caller can ask what one run cost, streams included), and the per-user
daily budget.

Counters live in this process: with several workers each keeps its own, and a restart
starts from zero (API.md: "since start"). The budget is therefore per worker process.
"""

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import Any

from finscribe_llm_router.policy import Policy, Price, Target

NO_USER = "-"
NO_TASK = "default"
# enough request ids for many hours of runs; the oldest are forgotten first
MAX_REQUEST_IDS = 10_000


@dataclass
class Usage:
    prompt_tokens: int
    completion_tokens: int
    estimated: bool  # True when the provider sent no usage and we counted ourselves


@dataclass
class _Row:
    requests: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    estimated_requests: int = 0
    unpriced_requests: int = 0

    def add(self, other: "_Row") -> None:
        self.requests += other.requests
        self.failed += other.failed
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cost_usd += other.cost_usd
        self.estimated_requests += other.estimated_requests
        self.unpriced_requests += other.unpriced_requests

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "failed": self.failed,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "cost_usd": round(self.cost_usd, 8),
            "estimated_requests": self.estimated_requests,
            "unpriced_requests": self.unpriced_requests,
        }


def cost_of(price: Price | None, usage: Usage, seconds: float) -> float:
    if price is None:
        return 0.0
    return (
        usage.prompt_tokens * price.input_per_m / 1_000_000
        + usage.completion_tokens * price.output_per_m / 1_000_000
        + seconds * price.per_second
    )


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


class UsageLedger:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.started_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._rows: dict[tuple[str, str, str, str], _Row] = defaultdict(_Row)
        self._daily: dict[tuple[str, dt.date], float] = defaultdict(float)
        self._today = utc_today()
        self._by_request: OrderedDict[str, dict[str, _Row]] = OrderedDict()
        self._lock = threading.Lock()

    def record(
        self,
        target: Target,
        task: str | None,
        user: str | None,
        usage: Usage,
        seconds: float,
        *,
        failed: bool = False,
        cost: float | None = None,
        request_id: str | None = None,
    ) -> float:
        """Adds one call; returns its cost (`cost` when the caller already priced it)."""
        price = self.policy.price_for(target)
        if cost is None:
            cost = cost_of(price, usage, seconds)
        row = _Row(
            requests=1,
            failed=int(failed),
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            cost_usd=cost,
            estimated_requests=int(usage.estimated),
            unpriced_requests=int(price is None),
        )
        key = (target.provider, target.model, task or NO_TASK, user or NO_USER)
        today = utc_today()
        with self._lock:
            self._rows[key].add(row)
            if request_id:
                per_model = self._by_request.setdefault(request_id, defaultdict(_Row))
                per_model[f"{target.provider}:{target.model}"].add(row)
                self._by_request.move_to_end(request_id)
                while len(self._by_request) > MAX_REQUEST_IDS:
                    self._by_request.popitem(last=False)
            if user:
                if today != self._today:  # only today's spend matters for the budget
                    self._daily = defaultdict(float, {k: v for k, v in self._daily.items() if k[1] == today})
                    self._today = today
                self._daily[(user, today)] += cost
        return cost

    def cost(self, target: Target, usage: Usage, seconds: float) -> float:
        return cost_of(self.policy.price_for(target), usage, seconds)

    def spent_today(self, user: str) -> float:
        with self._lock:
            return self._daily.get((user, utc_today()), 0.0)

    def for_request(self, request_id: str) -> dict[str, Any] | None:
        with self._lock:
            per_model = self._by_request.get(request_id)
            if per_model is None:
                return None
            items = sorted(per_model.items())
        total = _Row()
        by_provider: dict[str, _Row] = defaultdict(_Row)
        for key, row in items:
            total.add(row)
            by_provider[key.split(":", 1)[0]].add(row)
        return {
            "request_id": request_id,
            "total": total.as_dict(),
            "by_provider": {k: r.as_dict() for k, r in sorted(by_provider.items())},
            "by_model": {k: r.as_dict() for k, r in items},
        }

    def report(self, user: str | None = None) -> dict[str, Any]:
        with self._lock:
            rows = [(k, v) for k, v in self._rows.items() if user is None or k[3] == user]
        total = _Row()
        groups: dict[str, dict[str, _Row]] = {name: defaultdict(_Row) for name in ("provider", "model", "task", "user")}
        for (provider, model, task, who), row in rows:
            total.add(row)
            groups["provider"][provider].add(row)
            groups["model"][f"{provider}:{model}"].add(row)
            groups["task"][task].add(row)
            groups["user"][who].add(row)
        return {
            "since": self.started_at.isoformat(),
            "total": total.as_dict(),
            **{f"by_{name}": {k: r.as_dict() for k, r in sorted(g.items())} for name, g in groups.items()},
            "rows": [
                {"provider": p, "model": m, "task": t, "user": u, **r.as_dict()}
                for (p, m, t, u), r in sorted(rows, key=lambda item: item[0])
            ],
        }
