"""Test kit of the krx service: a replay of data.krx.co.kr built from real recorded data.

- `handle(method, url, params, body, headers=None)`: the pure replay (see `replay`).
- `register_krx_replay(rsps)`: registers it on a caller-owned `responses.RequestsMock`,
  returns a `KrxReplay` that logs every upstream call (`.total`, `.data_calls`,
  `.by_bld()`, `.logins`) and can inject faults (`.fail("429")`).
- `fake_upstream_app()`: the replay over real HTTP (ASGI), for
  `FINSCRIBE_UPSTREAM_OVERRIDES=data.krx.co.kr=http://127.0.0.1:<port>`.
- `test_settings(**overrides)`: settings with the replay's credentials and no throttle.

Which values are real and which are derived is documented in `payloads`: in short, the
ticker list (51 real listings), 005930's real 2021-01-11..15 rows, its 244 real 2024
closes (Yahoo series, rounded), its real 2021-01-04..08 PER/PBR/EPS/BPS/DPS, and KOSPI's
real 2021-01-04..08 OHLCV.
"""

from finscribe_testkit.krx.mock import KrxReplay, RecordedCall, register_krx_replay
from finscribe_testkit.krx.replay import REPLAY_ID, REPLAY_PW, handle
from finscribe_testkit.krx.server import fake_upstream_app
from finscribe_testkit.krx.settings import TEST_INTERNAL_TOKEN, test_settings

__all__ = [
    "REPLAY_ID",
    "REPLAY_PW",
    "TEST_INTERNAL_TOKEN",
    "KrxReplay",
    "RecordedCall",
    "fake_upstream_app",
    "handle",
    "register_krx_replay",
    "test_settings",
]
