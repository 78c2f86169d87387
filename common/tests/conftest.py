import httpx
import pytest
from fastapi import APIRouter, FastAPI

from finscribe_common.app_factory import create_service_app
from finscribe_common.errors import NotConfigured, RateLimited, UpstreamError
from finscribe_common.settings import ServiceSettings

TOKEN = "test-internal-token"


def build_app(readiness=None) -> FastAPI:
    router = APIRouter()

    @router.get("/v1/echo")
    async def echo(q: int) -> dict[str, int]:
        return {"q": q}

    @router.get("/v1/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    @router.get("/v1/limited")
    async def limited() -> None:
        raise RateLimited("slow down", retry_after=2.2)

    @router.get("/v1/unconfigured")
    async def unconfigured() -> None:
        raise NotConfigured("set KRX_ID and KRX_PW")

    @router.get("/v1/upstream")
    async def upstream() -> None:
        raise UpstreamError("KRX answered 500")

    return create_service_app(
        name="test",
        title="test",
        description="test",
        settings=ServiceSettings(internal_token=TOKEN),
        routers=[router],
        readiness=readiness,
        configure_logs=False,
    )


@pytest.fixture
def make_app():
    return build_app


@pytest.fixture
def app() -> FastAPI:
    return build_app()


@pytest.fixture
async def client(app: FastAPI):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://test",
        headers={"X-Internal-Token": TOKEN},
    ) as c:
        yield c
