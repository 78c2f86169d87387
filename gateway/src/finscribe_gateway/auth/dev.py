"""`AUTH_MODE=dev`: `Bearer dev:<email>` for local use on a loopback bind only."""

import re

from finscribe_common.errors import Unauthorized
from finscribe_gateway.auth.schemas import Principal

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")


class DevAuthenticator:
    async def authenticate(self, token: str) -> Principal:
        if not token.startswith("dev:"):
            raise Unauthorized("dev auth expects 'Bearer dev:<email>'", code="invalid_token")
        email = token.removeprefix("dev:").strip().lower()
        if not _EMAIL.match(email):
            raise Unauthorized("dev auth expects 'Bearer dev:<email>' with a valid email", code="invalid_token")
        return Principal(sub=f"dev:{email}", email=email, name=email.split("@", 1)[0])
