"""Cost and the usage report."""

import pytest

from finscribe_llm_router.accounting import Usage, UsageLedger, cost_of
from finscribe_llm_router.policy import Policy, Price, Target
from finscribe_testkit.llm_router import test_settings


def test_cost_per_token_and_per_second() -> None:
    usage = Usage(prompt_tokens=2_000_000, completion_tokens=500_000, estimated=False)
    assert cost_of(Price(input_per_m=0.15, output_per_m=0.60), usage, 3.0) == pytest.approx(0.3 + 0.3)
    assert cost_of(Price(per_second=0.0002), usage, 3.0) == pytest.approx(0.0006)
    assert cost_of(None, usage, 3.0) == 0.0


def test_report_groups_and_daily_spend() -> None:
    ledger = UsageLedger(Policy.load(test_settings()))
    mini = Target("openai", "gpt-4o-mini")
    ledger.record(mini, "outline", "u1", Usage(1000, 100, estimated=False), 0.5)
    ledger.record(mini, "section", "u1", Usage(2000, 400, estimated=True), 0.5)
    ledger.record(Target("openai", "o3"), None, None, Usage(10, 10, estimated=False), 0.5, failed=True)
    report = ledger.report()
    assert report["total"]["requests"] == 3 and report["total"]["failed"] == 1
    assert report["by_model"]["openai:gpt-4o-mini"]["prompt_tokens"] == 3000
    assert report["by_model"]["openai:o3"]["unpriced_requests"] == 1
    assert report["by_task"]["default"]["requests"] == 1
    assert report["by_user"]["-"]["requests"] == 1
    assert report["by_user"]["u1"]["estimated_requests"] == 1
    expected = (3000 * 0.15 + 500 * 0.60) / 1e6
    assert abs(ledger.spent_today("u1") - expected) < 1e-12
    assert ledger.spent_today("nobody") == 0.0
    assert ledger.report("u1")["total"]["requests"] == 2
