"""A real Redis for tests: the machine's at 127.0.0.1:6379 when it answers, else a private
`redis-server` on a free port (Debian's `redis-server` package). Each test gets its own
key prefix, so tests sharing one Redis never see each other's keys.
"""

import contextlib
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

from finscribe_common.processes import stop_processes
from finscribe_testkit.common.server import free_port

MACHINE_REDIS = ("127.0.0.1", 6379)


class RedisUnavailable(Exception):
    pass


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def private_redis() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A throwaway `redis-server` (no persistence): yields (url, process); a test may kill it."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RedisUnavailable("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="finscribe-redis-")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not _answers("127.0.0.1", port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RedisUnavailable(f"redis-server on port {port} did not start")
            time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0", proc
    finally:
        stop_processes([proc], grace_s=10)
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A Redis URL for the test session."""
    if _answers(*MACHINE_REDIS):
        yield f"redis://{MACHINE_REDIS[0]}:{MACHINE_REDIS[1]}/0"
        return
    with private_redis() as (url, _):
        yield url


def test_prefix() -> str:
    return f"finscribe-test-{secrets.token_hex(6)}"


test_prefix.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
