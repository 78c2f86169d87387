"""The circuit breaker's states, on a controlled clock."""

from finscribe_llm_router.circuit import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_n_consecutive_failures_only() -> None:
    breaker = CircuitBreaker(failure_threshold=3, cooldown_s=10, clock=Clock())
    breaker.record_failure("500")
    breaker.record_failure("500")
    breaker.record_success()  # not consecutive any more
    breaker.record_failure("500")
    breaker.record_failure("500")
    assert breaker.state == "closed" and breaker.allow()
    breaker.record_failure("timeout")
    assert breaker.state == "open" and not breaker.allow()
    assert breaker.snapshot()["last_error"] == "timeout"


def test_half_open_lets_one_probe_through() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=10, clock=clock)
    breaker.record_failure("connect")
    clock.now += 9.5
    assert not breaker.allow() and 0.4 < breaker.retry_in_s() <= 0.5
    clock.now += 0.5
    assert breaker.available()
    assert breaker.allow()  # the probe
    assert breaker.state == "half_open"
    assert not breaker.allow() and not breaker.available()  # a second caller waits for the probe
    breaker.record_success()
    assert breaker.state == "closed" and breaker.allow() and breaker.allow()


def test_failed_probe_reopens_for_a_full_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=2, cooldown_s=5, clock=clock)
    breaker.record_failure("a")
    breaker.record_failure("b")
    clock.now += 5
    assert breaker.allow()
    breaker.record_failure("probe failed")
    assert breaker.state == "open" and breaker.retry_in_s() == 5


def test_a_probe_that_tells_nothing_frees_the_slot() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=1, clock=clock)
    breaker.record_failure("x")
    clock.now += 1
    assert breaker.allow()
    breaker.release()  # e.g. the caller disconnected
    assert breaker.state == "half_open" and breaker.allow()
