"""Before `finscribe up` starts anything: is another stack still running here?

A second `make demo` (or `make run`) while one runs, or right after one was killed, used to
end in a port clash or in rag failing at startup on its Chroma directory lock, deep in the
merged log. This check looks at both, waits a few seconds for a stack that is still stopping
(its services get SIGTERM when `finscribe up` dies and take a moment to let go), and
otherwise says in one message who holds what and what to do.
"""

import time
from collections.abc import Callable
from pathlib import Path

from finscribe_common.cli.ports import port_is_free

STOPPING_GRACE_S = 10.0  # a killed stack's services finish within this (they stop on SIGTERM)


def chroma_owner(chroma_dir: Path) -> int | None:
    """The pid of the live process holding rag's lock on `chroma_dir` (0: pid unknown), else None."""
    try:
        from finscribe_rag.ownership import owner
    except ImportError:  # rag not installed here: `finscribe up` would not start it either
        return None
    return owner(chroma_dir)


def busy(host: str, ports: dict[str, int], chroma_dir: Path | None) -> tuple[list[str], int | None]:
    """(the services whose port is taken, as `name (port)`; the Chroma directory's owner pid)."""
    taken = [f"{name} ({port})" for name, port in ports.items() if not port_is_free(host, port)]
    return taken, chroma_owner(chroma_dir) if chroma_dir is not None else None


def wait_until_free(
    host: str,
    ports: dict[str, int],
    chroma_dir: Path | None,
    *,
    grace_s: float = STOPPING_GRACE_S,
    say: Callable[[str], None] = print,
) -> str | None:
    """None once every port and the Chroma directory are free (waiting up to `grace_s` for a
    stopping stack); otherwise the message that explains what holds them and what to do."""
    taken, owner = busy(host, ports, chroma_dir)
    deadline = time.monotonic() + grace_s
    if taken or owner is not None:
        say(f"finscribe up: waiting up to {grace_s:g} s for a previous stack to stop…")
    while (taken or owner is not None) and time.monotonic() < deadline:
        time.sleep(0.5)
        taken, owner = busy(host, ports, chroma_dir)
    if not taken and owner is None:
        return None
    return explain(host, taken, owner, chroma_dir)


def explain(host: str, taken: list[str], owner: int | None, chroma_dir: Path | None) -> str:
    parts = []
    if owner is not None:
        who = f"process {owner}" if owner else "another process"
        stop = f"Ctrl-C in its terminal, or `kill {owner}`" if owner else "Ctrl-C in its terminal"
        parts.append(
            f"another FinScribe stack is running: {who} (its rag service) holds {chroma_dir}. "
            f"Stop it ({stop}) and try again; or run this one beside it with its own ports and data "
            "directory: FINSCRIBE_DATA_DIR=/tmp/finscribe-2 and --port-offset 100 "
            "(make demo DEMO_ARGS='--port-offset 100')"
        )
    if taken:
        holder = "that stack" if owner is not None else "another program (or another `finscribe up`)"
        parts.append(
            f"ports already in use on {host}: {', '.join(taken)}, held by {holder}. "
            "Stop what holds them and try again, or choose other ports with --port-offset"
        )
    return "finscribe up: " + "; ".join(parts) + "."
