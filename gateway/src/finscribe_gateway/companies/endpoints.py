"""`GET /v1/companies/resolve`: the orchestrator's company search for the side panel
(autocomplete, and the question when a name is ambiguous), relayed with the caller's auth."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from finscribe_common.contract.runs import COMPANY_MAX_CHARS
from finscribe_common.errors import ApiError, UpstreamError
from finscribe_common.http_client import upstream_errors
from finscribe_gateway.auth.dependencies import CurrentUser
from finscribe_gateway.state import StateDep

router = APIRouter(tags=["companies"])


@router.get(
    "/v1/companies/resolve",
    summary="Listed companies a name or 6-digit code may mean, and whether it is ambiguous",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
async def resolve_companies(
    user: CurrentUser,
    state: StateDep,
    q: Annotated[str, Query(min_length=1, max_length=COMPANY_MAX_CHARS)],
) -> Response:
    """Best first; `ambiguous` when several companies fit about as well ("삼성"). 422 for an
    empty or over-long `q`; 503 `unavailable`/`not_configured`, 504 `upstream_timeout` when
    KRX cannot answer; 502 when the orchestrator cannot."""
    async with upstream_errors("orchestrator"):
        response = await state.orchestrator.get("/v1/companies/resolve", params={"q": q})
    if not response.headers.get("content-type", "").startswith("application/json"):
        raise UpstreamError("the orchestrator answered with something other than JSON")
    if response.status_code in (503, 504):
        # KRX down or slow: the same code and words, in this gateway's envelope and request id
        error = (response.json() or {}).get("error") or {}
        raise ApiError(
            str(error.get("message") or "company search is unavailable"),
            code=str(error.get("code") or "unavailable"),
            status_code=response.status_code,
        )
    if response.status_code != 200:
        raise UpstreamError(f"the orchestrator answered HTTP {response.status_code}")
    # relayed byte for byte: the gateway adds auth, not a re-serialisation
    return Response(response.content, media_type="application/json")
