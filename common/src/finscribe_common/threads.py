"""Run blocking library calls (pykrx, dart-fss, yfinance, chroma, PDF parsing) off the event loop.

Each library gets its own bounded pool so one slow upstream cannot starve the others,
and every call has a deadline. A call that times out keeps its thread until the library
returns (Python cannot kill threads); the bounded pool keeps that from piling up.
"""

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from finscribe_common.errors import UpstreamTimeout

P = ParamSpec("P")
T = TypeVar("T")

_pools: dict[str, ThreadPoolExecutor] = {}


def thread_pool(name: str, max_workers: int = 4) -> ThreadPoolExecutor:
    pool = _pools.get(name)
    if pool is None:
        pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=f"blocking-{name}")
        _pools[name] = pool
    return pool


async def run_blocking(
    func: Callable[P, T],
    *args: P.args,
    timeout: float,
    pool: str = "default",
    what: str | None = None,
    **kwargs: P.kwargs,
) -> T:
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(thread_pool(pool), functools.partial(func, *args, **kwargs))
    try:
        return await asyncio.wait_for(future, timeout=timeout)
    except TimeoutError as exc:
        label = what or getattr(func, "__name__", "blocking call")
        raise UpstreamTimeout(f"{label} did not finish within {timeout:g} s") from exc
