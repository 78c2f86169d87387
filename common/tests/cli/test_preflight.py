"""`finscribe up` before it starts anything: another stack still running (its rag service
holding the Chroma directory, its ports), or one that is still stopping after a kill."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from finscribe_common.cli import preflight
from finscribe_common.cli.ports import port_is_free
from finscribe_rag.ownership import LOCK_NAME, DirectoryLock, owner
from finscribe_testkit.common.demo import free_port_offset, new_user_env


def test_a_live_owner_is_named_by_its_pid_and_a_dead_ones_lock_file_holds_nothing(tmp_path):
    lock = DirectoryLock(tmp_path, "Chroma")
    assert owner(tmp_path) is None  # no lock file yet
    lock.acquire()
    try:
        assert owner(tmp_path) == os.getpid()
    finally:
        lock.release()
    # the file stays behind, as after a killed rag: nothing holds it and nothing needs removing
    assert (tmp_path / LOCK_NAME).is_file() and owner(tmp_path) is None


def test_a_running_stack_is_explained_with_what_to_do(tmp_path):
    lock = DirectoryLock(tmp_path, "Chroma")
    lock.acquire()
    said: list[str] = []
    try:
        problem = preflight.wait_until_free("127.0.0.1", {}, tmp_path, grace_s=0.5, say=said.append)
    finally:
        lock.release()
    assert said and "waiting up to 0.5 s" in said[0]
    assert problem is not None and f"process {os.getpid()} (its rag service) holds {tmp_path}" in problem
    assert f"kill {os.getpid()}" in problem and "--port-offset 100" in problem and "FINSCRIBE_DATA_DIR" in problem


def test_a_stack_that_stops_within_the_grace_is_waited_for(tmp_path):
    lock = DirectoryLock(tmp_path, "Chroma")
    lock.acquire()
    threading.Timer(0.5, lock.release).start()  # the killed stack's rag letting go
    started = time.monotonic()
    assert preflight.wait_until_free("127.0.0.1", {}, tmp_path, grace_s=10, say=lambda _: None) is None
    assert time.monotonic() - started < 5


def test_ports_held_by_something_else_name_the_ports_and_the_way_out(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        problem = preflight.wait_until_free("127.0.0.1", {"gateway": port}, tmp_path, grace_s=0, say=lambda _: None)
    assert problem is not None and f"gateway ({port})" in problem and "another program" in problem
    assert "--port-offset" in problem and "another FinScribe stack" not in problem  # no stack holds Chroma


def test_a_second_make_demo_beside_a_running_one_says_so_before_starting_anything(tmp_path):
    """What `make demo` runs, while a first demo's rag holds the same data directory."""
    data = tmp_path / ".finscribe"
    chroma = data / "demo" / "chroma"
    lock = DirectoryLock(chroma, "Chroma")
    lock.acquire()
    offset = free_port_offset(32_000, 40_000)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "finscribe_common.cli", "up", "--demo", "--port-offset", str(offset)],
            env={**new_user_env(), "FINSCRIBE_DATA_DIR": str(data)},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        lock.release()
    assert done.returncode == 2, done.stderr[-2000:]
    assert "another FinScribe stack is running" in done.stderr and f"kill {os.getpid()}" in done.stderr
    assert "Traceback" not in done.stderr and not (data / "demo" / "gateway.db").exists()
    assert all(port_is_free("127.0.0.1", 8000 + offset + i) for i in (0, 1))  # nothing was started
    assert Path(chroma / LOCK_NAME).is_file()
