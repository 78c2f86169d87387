import threading
import time

import pytest

from finscribe_common.errors import UpstreamTimeout
from finscribe_common.threads import run_blocking


async def test_runs_off_the_event_loop_thread():
    loop_thread = threading.get_ident()
    worker = await run_blocking(threading.get_ident, timeout=5, pool="test")
    assert worker != loop_thread


async def test_timeout_becomes_504_error():
    with pytest.raises(UpstreamTimeout) as info:
        await run_blocking(time.sleep, 0.5, timeout=0.05, pool="test-timeout", what="pykrx ohlcv")
    assert info.value.status_code == 504
    assert "pykrx ohlcv" in info.value.message


async def test_exceptions_propagate():
    def fails() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        await run_blocking(fails, timeout=5)
