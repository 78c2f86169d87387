"""A per-provider circuit breaker: stop calling a provider that keeps failing, probe it later.

closed -> (N consecutive failures) -> open -> (cool-down) -> half_open: one probe request;
its success closes the circuit, its failure opens it again for another cool-down.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

State = Literal["closed", "open", "half_open"]


@dataclass
class CircuitBreaker:
    failure_threshold: int
    cooldown_s: float
    clock: Callable[[], float] = time.monotonic
    state: State = "closed"
    consecutive_failures: int = 0
    opened_at: float = 0.0
    probe_in_flight: bool = False
    last_error: str | None = None

    def _refresh(self) -> None:
        if self.state == "open" and self.clock() - self.opened_at >= self.cooldown_s:
            self.state = "half_open"
            self.probe_in_flight = False

    def allow(self) -> bool:
        """Whether a request may go to the provider now; in half-open, only one probe at a time."""
        self._refresh()
        if self.state == "closed":
            return True
        if self.state == "half_open" and not self.probe_in_flight:
            self.probe_in_flight = True
            return True
        return False

    def available(self) -> bool:
        """Like allow() but without taking the probe slot (for listings and readiness)."""
        self._refresh()
        return self.state == "closed" or (self.state == "half_open" and not self.probe_in_flight)

    def record_success(self) -> None:
        self.state = "closed"
        self.consecutive_failures = 0
        self.probe_in_flight = False

    def record_failure(self, reason: str) -> None:
        self.last_error = reason
        self.consecutive_failures += 1
        self.probe_in_flight = False
        if self.state == "half_open" or self.consecutive_failures >= self.failure_threshold:
            self.state = "open"
            self.opened_at = self.clock()

    def release(self) -> None:
        """The request ended without telling us anything about the provider (e.g. the caller left)."""
        self.probe_in_flight = False

    def retry_in_s(self) -> float:
        self._refresh()
        if self.state != "open":
            return 0.0
        return max(0.0, self.cooldown_s - (self.clock() - self.opened_at))

    def snapshot(self) -> dict[str, Any]:
        self._refresh()
        return {
            "state": self.state,
            "consecutive_failures": self.consecutive_failures,
            "failure_threshold": self.failure_threshold,
            "cooldown_s": self.cooldown_s,
            "retry_in_s": round(self.retry_in_s(), 3),
            "last_error": self.last_error,
        }
