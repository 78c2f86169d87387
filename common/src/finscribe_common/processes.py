"""Stopping child processes one way everywhere: `finscribe up`'s services, and the servers
(services, MariaDB, Redis, nginx, Chroma) that tests and benchmarks start through the test kit.

A child that ignores its polite signal must not outlive the caller nor hold its port, and
a stack of children must not take one grace period per child to stop: everything is
signalled first, then waited on against one shared deadline, then killed and reaped.
"""

import signal
import subprocess
import time
from collections.abc import Iterable
from typing import Any

# how long a SIGKILLed child may take to be reaped (it cannot refuse; only the kernel is slow)
_REAP_S = 10.0


def stop_processes(
    processes: Iterable["subprocess.Popen[Any]"], *, sig: int = signal.SIGTERM, grace_s: float = 15.0
) -> None:
    """Send `sig` to every process still running, wait up to `grace_s` seconds in all for them
    to exit, then SIGKILL and reap whatever is left. Processes that already exited are only
    reaped. Never raises for a process that will not stop; returns when all are gone."""
    children = list(processes)
    for child in children:
        if child.poll() is None:
            child.send_signal(sig)
    deadline = time.monotonic() + grace_s
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=_REAP_S)
