"""`finscribe up` (what `make run` does): all seven services healthy, dev auth working,
a clean stop on SIGTERM, and a clear refusal when a port is taken."""

import os
import queue
import random
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from finscribe_common.cli.ports import port_is_free
from finscribe_common.services import SERVICES
from finscribe_testkit.common.demo import free_port_offset

pytestmark = pytest.mark.slow

# `up`'s own bound for all seven /healthz (its default); the test waits for `up` to say
# "up" or give up, and only guards against a hang beyond that
READY_TIMEOUT_S = 180.0
# `up`'s own start (imports, port preflight) before its readiness clock starts, and its
# stop after a failure (15 s grace per stack)
MARGIN_S = 60.0


def free_offset() -> int:
    return free_port_offset(20_000 + random.randrange(0, 10_000, 100), 40_000)


def up_command(offset: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "finscribe_common.cli", "up", "--port-offset", str(offset), "--no-color", *extra]


def read_until_up(proc: "subprocess.Popen[str]", deadline: float) -> list[str]:
    """`up`'s output until its banner, its exit (it gives up by itself after --ready-timeout),
    or `deadline` (a hang): read on a thread, so a silent `up` cannot block past it."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if "FinScribe is up" in line:
            break
    return seen


def clean_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FINSCRIBE_", "AUTH_", "DATABASE_", "CHROMA_"))}
    env["FINSCRIBE_DATA_DIR"] = str(tmp_path / "data")
    return env


def test_up_starts_everything_healthy_and_stops_cleanly(tmp_path):
    offset = free_offset()
    proc = subprocess.Popen(
        up_command(offset, "--ready-timeout", str(READY_TIMEOUT_S)),
        env=clean_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = read_until_up(proc, time.monotonic() + READY_TIMEOUT_S + MARGIN_S)
        assert any("FinScribe is up: all 7 services healthy" in line for line in lines), "".join(lines[-30:])
        for name, spec in SERVICES.items():
            # generous: two shared cores can be very busy (a service parsing the corp list holds one)
            assert httpx.get(f"http://127.0.0.1:{spec.port + offset}/healthz", timeout=30).json() == {"status": "ok"}
        gateway = f"http://127.0.0.1:{SERVICES['gateway'].port + offset}"
        me = httpx.get(f"{gateway}/v1/me", headers={"Authorization": "Bearer dev:kim@example.com"}, timeout=30)
        assert me.status_code == 200 and me.json()["email"] == "kim@example.com"
        # internal services refuse callers without the token `up` shared with its children
        krx = httpx.get(f"http://127.0.0.1:{SERVICES['krx'].port + offset}/v1/tickers/resolve?q=x", timeout=30)
        assert krx.status_code == 401
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    assert code == 0
    deadline = time.monotonic() + 10
    while not all(port_is_free("127.0.0.1", s.port + offset) for s in SERVICES.values()):
        assert time.monotonic() < deadline, "a service still holds its port after up stopped"
        time.sleep(0.2)


def test_up_refuses_when_a_port_is_taken(tmp_path):
    offset = free_offset()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", SERVICES["rag"].port + offset))
        holder.listen()
        done = subprocess.run(up_command(offset), env=clean_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"rag ({SERVICES['rag'].port + offset})" in done.stderr and "already in use" in done.stderr


def test_banner_on_another_port_points_the_client_and_the_extension_there():
    """With --port-offset the banner's command must not talk to whatever runs on the default port."""
    from finscribe_common.cli.up import _banner

    moved = _banner("127.0.0.1", 8500, 1.0, None, {})
    assert "finscribe draft --company 삼성전자 --out report.md --gateway http://127.0.0.1:8500" in moved
    assert "points at http://127.0.0.1:8500 by default" not in moved
    assert "set its options page's gateway to http://127.0.0.1:8500" in moved
    default = _banner("127.0.0.1", 8000, 1.0, None, {})
    assert "--out report.md\n" in default and "points at http://127.0.0.1:8000 by default" in default
