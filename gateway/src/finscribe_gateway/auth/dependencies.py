"""`CurrentUser`: the dependency every public route takes."""

from typing import Annotated

from fastapi import Depends, Request

from finscribe_common.errors import Unauthorized
from finscribe_gateway.auth.schemas import Principal
from finscribe_gateway.state import StateDep


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise Unauthorized("missing Authorization: Bearer <token>")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("expected Authorization: Bearer <token>")
    return token


async def current_user(request: Request, state: StateDep) -> Principal:
    principal = await state.authenticator.authenticate(bearer_token(request))
    await state.users.seen(principal)
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]
