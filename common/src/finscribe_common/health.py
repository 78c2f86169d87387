"""/healthz (the process is alive) and /readyz (its dependencies answer)."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from finscribe_common.request_context import current_request_id

# A check raises when its dependency fails (-> 503). It may return a string to report a
# degraded but serving state (shown in `checks`, still 200): e.g. one LLM provider's
# circuit open while another serves.
ReadinessCheck = Callable[[], Awaitable[str | None]]


def health_router(checks: Mapping[str, ReadinessCheck] | None = None, timeout: float = 3.0) -> APIRouter:
    router = APIRouter(tags=["health"])
    named = dict(checks or {})

    @router.get("/healthz", summary="Liveness: the process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness: every dependency answers")
    async def readyz() -> JSONResponse:
        async def run(name: str, check: ReadinessCheck) -> tuple[str, str, bool]:
            try:
                note = await asyncio.wait_for(check(), timeout=timeout)
                return name, (f"ok ({note})" if note else "ok"), True
            except TimeoutError:
                return name, f"no answer within {timeout:g} s", False
            except Exception as exc:  # a readiness probe reports, it never raises
                return name, str(exc) or type(exc).__name__, False

        results = await asyncio.gather(*(run(n, c) for n, c in named.items()))
        failed = {name: text for name, text, ok in results if not ok}
        checks_body = {name: text for name, text, _ in results}
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
