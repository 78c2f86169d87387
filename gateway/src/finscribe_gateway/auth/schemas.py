from typing import Protocol

from pydantic import BaseModel


class Principal(BaseModel):
    """The authenticated caller; `sub` scopes every read and write."""

    sub: str
    email: str | None = None
    name: str | None = None


class Authenticator(Protocol):
    async def authenticate(self, token: str) -> Principal: ...
