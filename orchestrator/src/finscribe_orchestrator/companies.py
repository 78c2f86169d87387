"""`GET /v1/companies/resolve`: what a typed company name may mean, for the side panel's
autocomplete and its "which company?" question (relayed by the gateway)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from finscribe_common.contract.runs import COMPANY_MAX_CHARS
from finscribe_common.errors import NotConfigured, Unavailable, UpstreamTimeout
from finscribe_orchestrator.clients import build_clients
from finscribe_orchestrator.clients.base import ServiceCallError
from finscribe_orchestrator.data.company import company_candidates
from finscribe_orchestrator.deps import SettingsDep, StateDep

router = APIRouter(prefix="/v1", tags=["companies"])


@router.get("/companies/resolve", summary="Listed companies a name or code may mean, and whether it is ambiguous")
async def resolve_companies(
    settings: SettingsDep,
    state: StateDep,
    q: Annotated[str, Query(min_length=1, max_length=COMPANY_MAX_CHARS, description="a name, alias or 6-digit code")],
) -> dict[str, Any]:
    """`{query, items: [{name, ticker, market, score}], ambiguous}`, best first, from the
    krx service's ticker search (the same rule the draft's resolve step uses). `ambiguous`:
    several listed companies fit the name about as well ("삼성", "현대"); the panel then asks.
    503 `unavailable`/`not_configured`, 504 `upstream_timeout` when KRX cannot answer."""
    clients = build_clients(settings, state.urls, state.internal_token, state.transports)
    try:
        found = await company_candidates(clients, q.strip() or q)
    except ServiceCallError as exc:
        if exc.code == "not_configured":
            raise NotConfigured(f"company search: {exc.message}") from exc
        if exc.code == "upstream_timeout":
            raise UpstreamTimeout("company search: KRX did not answer in time") from exc
        raise Unavailable(f"company search: {exc.message}") from exc
    finally:
        await clients.aclose()
    return found.as_dict(q)
