"""Verify Google ID tokens (RS256 JWTs) and Google OAuth access tokens (tokeninfo)."""

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
from jose import jwk, jwt
from jose.exceptions import ExpiredSignatureError, JOSEError, JWTClaimsError

from finscribe_common.cache import AsyncTTLCache
from finscribe_common.errors import NotConfigured, Unauthorized, Unavailable
from finscribe_gateway.auth.jwks import JwksCache
from finscribe_gateway.auth.schemas import Principal

logger = logging.getLogger("finscribe.gateway.auth")

GOOGLE_ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})
LEEWAY_S = 60
_MAX_ACCESS_TOKEN_CACHE_S = 3600
_MAX_ID_TOKEN_CACHE_S = 300
_REFUSED_CACHE_S = 60


def _is_true(value: object) -> bool:
    # ID tokens carry a JSON boolean; tokeninfo answers with the string "true"
    return value is True or (isinstance(value, str) and value.lower() == "true")


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and token.startswith("eyJ")


class GoogleAuthenticator:
    def __init__(
        self,
        *,
        client_ids: list[str],
        jwks: JwksCache,
        tokeninfo_url: str,
        client: httpx.AsyncClient,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client_ids = frozenset(client_ids)
        self.jwks = jwks
        self.tokeninfo_url = tokeninfo_url
        self._client = client
        self._clock = clock
        self._access_tokens: AsyncTTLCache[tuple[Principal, float]] = AsyncTTLCache(max_entries=10_000)
        # An extension reuses its ID token for up to an hour: verify it once, then look
        # it up by hash for a few minutes (never past its expiry).
        self._id_tokens: AsyncTTLCache[Principal] = AsyncTTLCache(max_entries=10_000)
        self._keys: dict[tuple[str, str], Any] = {}
        # refused access tokens are remembered briefly, so replaying junk cannot turn
        # every request into a call to Google
        self._refused: AsyncTTLCache[str] = AsyncTTLCache(max_entries=10_000)

    async def authenticate(self, token: str) -> Principal:
        if not self.client_ids:
            raise NotConfigured("GOOGLE_CLIENT_IDS is not set; no Google token can be accepted")
        if looks_like_jwt(token):
            return await self.verify_id_token(token)
        return await self.verify_access_token(token)

    async def verify_id_token(self, token: str) -> Principal:
        digest = hashlib.sha256(token.encode()).digest()
        cached = self._id_tokens.get(digest)
        if cached is not None:
            return cached
        principal, expires_at = await self._verify_id_token(token)
        self._id_tokens.set(digest, principal, min(expires_at - self._clock(), _MAX_ID_TOKEN_CACHE_S))
        return principal

    def _public_key(self, kid: str, key_data: dict[str, Any]) -> Any:
        # building the RSA key object costs more than the signature check; keep it per key
        cache_key = (kid, str(key_data.get("n")))
        key = self._keys.get(cache_key)
        if key is None:
            if len(self._keys) > 64:
                self._keys.clear()
            key = self._keys[cache_key] = jwk.construct(key_data, algorithm="RS256")
        return key

    async def _verify_id_token(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
        except JOSEError as exc:
            raise Unauthorized("malformed token", code="invalid_token") from exc
        # Checked before any key is touched: `none` and HS256 (e.g. HMAC keyed with our
        # public key) must never reach a verifier that might accept them.
        if header.get("alg") != "RS256":
            raise Unauthorized("token algorithm must be RS256", code="invalid_token")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Unauthorized("token has no key id", code="invalid_token")
        key_data = await self.jwks.key_for(kid)
        if key_data is None:
            raise Unauthorized("token signed with an unknown key", code="invalid_token")
        try:
            key = self._public_key(kid, key_data)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                # audience is a list here and jose compares against one value: checked below
                options={
                    "verify_aud": False,
                    "verify_iss": False,
                    "verify_at_hash": False,  # at_hash binds an access token we are not given
                    "leeway": LEEWAY_S,
                    "require_exp": True,
                },
            )
        except ExpiredSignatureError as exc:
            raise Unauthorized("token expired", code="token_expired") from exc
        except JWTClaimsError as exc:
            raise Unauthorized(f"invalid token claims: {exc}", code="invalid_token") from exc
        except JOSEError as exc:
            raise Unauthorized("invalid token signature", code="invalid_token") from exc
        self._check_claims(claims)
        principal = Principal(sub=str(claims["sub"]), email=claims.get("email"), name=claims.get("name"))
        return principal, float(claims["exp"])

    def _check_claims(self, claims: dict[str, Any]) -> None:
        if claims.get("iss") not in GOOGLE_ISSUERS:
            raise Unauthorized("token issuer is not Google", code="invalid_token")
        aud = claims.get("aud")
        audiences = set(aud) if isinstance(aud, list) else {aud}
        if not audiences & self.client_ids:
            raise Unauthorized("token was issued for another client", code="invalid_token")
        now = self._clock()
        iat = claims.get("iat")
        if not isinstance(iat, int | float) or iat > now + LEEWAY_S:
            raise Unauthorized("token is not valid yet", code="invalid_token")
        nbf = claims.get("nbf")
        if nbf is not None and (not isinstance(nbf, int | float) or nbf > now + LEEWAY_S):
            raise Unauthorized("token is not valid yet", code="invalid_token")
        if not isinstance(claims.get("exp"), int | float) or claims["exp"] < now - LEEWAY_S:
            raise Unauthorized("token expired", code="token_expired")
        if not claims.get("sub"):
            raise Unauthorized("token has no subject", code="invalid_token")
        if not _is_true(claims.get("email_verified")):
            raise Unauthorized("the Google account's email is not verified", code="email_not_verified")

    async def verify_access_token(self, token: str) -> Principal:
        # keyed by a hash: the cache must not become a store of live bearer tokens
        key = hashlib.sha256(token.encode()).hexdigest()
        refusal = self._refused.get(key)
        if refusal is not None:
            raise Unauthorized(refusal, code="invalid_token")
        try:
            principal, _ = await self._access_tokens.get_or_load(key, lambda: self._tokeninfo(token), self._ttl)
        except Unauthorized as exc:
            self._refused.set(key, exc.message, _REFUSED_CACHE_S)
            raise
        return principal

    def _ttl(self, entry: tuple[Principal, float]) -> float:
        return min(entry[1] - self._clock(), _MAX_ACCESS_TOKEN_CACHE_S)

    async def _tokeninfo(self, token: str) -> tuple[Principal, float]:
        try:
            response = await self._client.get(self.tokeninfo_url, params={"access_token": token})
        except httpx.HTTPError as exc:
            raise Unavailable("cannot reach Google to check the access token") from exc
        if response.status_code in (400, 401):
            raise Unauthorized("invalid or expired access token", code="invalid_token")
        if response.status_code != 200:
            raise Unavailable(f"Google tokeninfo answered {response.status_code}")
        try:
            info = response.json()
        except ValueError as exc:
            raise Unavailable("Google tokeninfo answered with invalid JSON") from exc
        if info.get("aud") not in self.client_ids and info.get("azp") not in self.client_ids:
            raise Unauthorized("access token was issued for another client", code="invalid_token")
        try:
            expires_at = float(info.get("exp"))
        except (TypeError, ValueError) as exc:
            raise Unauthorized("access token has no expiry", code="invalid_token") from exc
        remaining = expires_at - self._clock()
        if remaining <= 0:
            raise Unauthorized("access token expired", code="token_expired")
        if not info.get("sub"):
            raise Unauthorized("access token has no subject (request the openid scope)", code="invalid_token")
        if "email" in info and not _is_true(info.get("email_verified")):
            raise Unauthorized("the Google account's email is not verified", code="email_not_verified")
        return Principal(sub=str(info["sub"]), email=info.get("email"), name=None), expires_at
