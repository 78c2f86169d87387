"""Issue 15, item 7: every operation documents its error statuses with the envelope schema."""

import httpx
from fastapi import APIRouter
from pydantic import BaseModel

from finscribe_common.app_factory import create_service_app
from finscribe_common.openapi import ENVELOPE_REF
from finscribe_common.settings import ServiceSettings


class Body(BaseModel):
    text: str


def build():
    router = APIRouter()

    @router.get("/v1/items/{item_id}")
    async def get_item(item_id: str) -> dict:
        return {}

    @router.post("/v1/items", responses={409: {"description": "already there"}})
    async def add(body: Body) -> dict:
        return {}

    return create_service_app(
        name="t", title="t", description="t", settings=ServiceSettings(), routers=[router], configure_logs=False
    )


async def test_every_operation_lists_the_envelope_for_its_errors() -> None:
    app = build()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        doc = (await client.get("/openapi.json")).json()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    envelope = doc["components"]["schemas"]["ErrorEnvelope"]
    assert envelope["properties"]["error"]["required"] == ["code", "message", "request_id"]
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            for status in ("400", "401", "404", "422", "429", "502", "503", "504"):
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": ENVELOPE_REF}, (path, method, status)
            assert ("413" in responses) == ("requestBody" in operation), (path, method)
            assert "Retry-After" in responses["429"]["headers"]
    added = doc["paths"]["/v1/items"]["post"]["responses"]["409"]
    assert added["description"] == "already there" and added["content"]["application/json"]["schema"]["$ref"]
