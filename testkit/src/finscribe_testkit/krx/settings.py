"""Settings that work with the replay: its credentials, no throttle, no .env file."""

from typing import Any

from finscribe_krx.config import KrxSettings
from finscribe_testkit.krx.replay import REPLAY_ID, REPLAY_PW

TEST_INTERNAL_TOKEN = "krx-test-internal-token"  # noqa: S105 - tests only


def test_settings(**overrides: Any) -> KrxSettings:
    values: dict[str, Any] = {
        "krx_id": REPLAY_ID,
        "krx_pw": REPLAY_PW,
        "krx_min_interval_s": 0.0,
        "krx_http_timeout_s": 5.0,
        "krx_call_timeout_s": 10.0,
        "internal_token": TEST_INTERNAL_TOKEN,
        "log_level": "WARNING",
    }
    values.update(overrides)
    return KrxSettings(_env_file=None, **values)


test_settings.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
