"""Helpers for tests and benchmarks that run `finscribe up --demo` as a new user would."""

import os

from finscribe_common.cli.ports import port_is_free
from finscribe_common.services import SERVICES

# what a new user's shell does not have: FinScribe settings, credentials, a virtualenv
_NEW_USER_DROPS = ("FINSCRIBE_", "AUTH_", "DATABASE_", "CHROMA_", "DART_", "KRX_", "OPENAI_", "RUNPOD_", "LOCAL_LLM")


def free_port_offset(low: int = 20_000, high: int = 50_000, step: int = 100) -> int:
    """An offset at which every service's dev port is free (`finscribe up --port-offset`)."""
    for offset in range(low, high, step):
        if all(port_is_free("127.0.0.1", spec.port + offset) for spec in SERVICES.values()):
            return offset
    raise RuntimeError(f"no block of free ports between {low} and {high}")


def new_user_env() -> dict[str, str]:
    """This process's environment without FinScribe variables, credentials or an active .venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_NEW_USER_DROPS) and k != "VIRTUAL_ENV"}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    return env
