from fastapi import APIRouter

from finscribe_gateway.auth.dependencies import CurrentUser
from finscribe_gateway.auth.schemas import Principal

router = APIRouter(tags=["me"])


@router.get("/v1/me", summary="Who the token belongs to", response_model=Principal)
async def me(user: CurrentUser) -> Principal:
    return user
