"""The trivial upstream of `bench/gateway.py`: an internal service (the kit's app factory,
internal-token guard, request ids, access log) whose `GET /v1/graphs` answers a small
static JSON body at once, so the benchmark measures what the gateway adds.

Run: `uvicorn --factory finscribe_testkit.gateway.trivial_upstream:create_app`.
"""

from fastapi import APIRouter, FastAPI
from fastapi.responses import Response

from finscribe_common.app_factory import create_service_app
from finscribe_common.settings import ServiceSettings

BODY = (
    b'{"graphs":{"draft":{"nodes":["resolve","fetch","outline","write","check","assemble"]},'
    b'"paragraph":{"nodes":["retrieve","write","check"]},"rewrite":{"nodes":["rewrite"]},'
    b'"chart":{"nodes":["fetch","spec","render"]},"ask":{"nodes":["retrieve","answer"]}}}'
)


def create_app() -> FastAPI:
    router = APIRouter()

    @router.get("/v1/graphs")
    async def graphs() -> Response:
        return Response(BODY, media_type="application/json")

    return create_service_app(
        name="trivial-upstream",
        title="trivial upstream",
        description="benchmark upstream",
        settings=ServiceSettings(),
        routers=[router],
    )
