"""/healthz (the process is alive) and /readyz (its dependencies answer)."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from finscribe_common.request_context import current_request_id

ReadinessCheck = Callable[[], Awaitable[None]]


def health_router(checks: Mapping[str, ReadinessCheck] | None = None, timeout: float = 3.0) -> APIRouter:
    router = APIRouter(tags=["health"])
    named = dict(checks or {})

    @router.get("/healthz", summary="Liveness: the process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness: every dependency answers")
    async def readyz() -> JSONResponse:
        async def run(name: str, check: ReadinessCheck) -> tuple[str, str | None]:
            try:
                await asyncio.wait_for(check(), timeout=timeout)
                return name, None
            except TimeoutError:
                return name, f"no answer within {timeout:g} s"
            except Exception as exc:  # a readiness probe reports, it never raises
                return name, str(exc) or type(exc).__name__

        results = await asyncio.gather(*(run(n, c) for n, c in named.items()))
        failed = {name: reason for name, reason in results if reason is not None}
        checks_body = {name: ("ok" if reason is None else reason) for name, reason in results}
        if failed:
            names = ", ".join(sorted(failed))
            return JSONResponse(
                {
                    "status": "unavailable",
                    "checks": checks_body,
                    "error": {
                        "code": "unavailable",
                        "message": f"not ready: {names}",
                        "request_id": current_request_id(),
                    },
                },
                status_code=503,
            )
        return JSONResponse({"status": "ok", "checks": checks_body})

    return router
