"""`stop_processes`: every child is signalled first, waited on against one shared deadline,
and what ignores the signal is killed and reaped (real child processes)."""

import signal
import subprocess
import sys
import time

from finscribe_common.processes import stop_processes

# the child says "ready" once its signal dispositions are set, so the test never signals too
# early; SIGINT's handler is set explicitly because a shell's background job (CI, `make test &`)
# starts with SIGINT ignored, and Python then installs no KeyboardInterrupt handler
_CHILD = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
if sys.argv[1] == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
time.sleep(120)
"""


def _child(kind: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, kind], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_polite_children_stop_on_sigterm_without_a_kill():
    children = [_child("polite") for _ in range(3)]
    stop_processes(children, grace_s=20)
    assert [c.returncode for c in children] == [-signal.SIGTERM] * 3


def test_a_child_ignoring_sigterm_is_killed_after_one_shared_grace_period():
    children = [_child("stubborn") for _ in range(3)]
    started = time.monotonic()
    stop_processes(children, grace_s=2.0)
    elapsed = time.monotonic() - started
    assert [c.returncode for c in children] == [-signal.SIGKILL] * 3
    # one grace period for the whole stack (2 s), not one per child (6 s)
    assert elapsed < 5.0, elapsed


def test_another_signal_and_exited_children():
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    live = _child("polite")
    stop_processes([done, live], sig=signal.SIGINT, grace_s=20)
    assert done.returncode == 0
    assert live.returncode not in (None, -signal.SIGKILL)  # SIGINT ended it (KeyboardInterrupt), no kill
