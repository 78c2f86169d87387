"""A fake of Google's token endpoints, speaking their real JSON shapes over HTTP.

- `GET /oauth2/v3/certs`: the JWKS (`{"keys": [{"kty","alg","use","kid","n","e"}]}`),
  with a `Cache-Control: public, max-age=...` header like Google's.
- `GET /tokeninfo?access_token=...` (or `id_token=`): Google's tokeninfo answers
  (`azp, aud, sub, scope, exp, expires_in, email, email_verified, access_type`, numbers
  as strings), or 400 `{"error": "invalid_token", "error_description": "Invalid Value"}`.

Keys are RSA-2048 generated when the fake is made; `id_token()` signs ID tokens with
Google's claim set (iss, azp, aud, sub, email, email_verified, name, iat, exp, ...), and
every claim or header can be overridden to forge the tokens the gateway must refuse.

    google = FakeGoogle(client_id="123.apps.googleusercontent.com")
    with google.serve() as base:   # real HTTP on a loopback port
        settings = GatewaySettings(google_jwks_url=google.jwks_url, google_tokeninfo_url=google.tokeninfo_url, ...)
"""

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from finscribe_testkit.common.server import serve_in_thread

ISSUER = "https://accounts.google.com"


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class SigningKey:
    kid: str
    private: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> "SigningKey":
        return cls(kid=secrets.token_hex(20), private=rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @property
    def private_pem(self) -> bytes:
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def jwk(self) -> dict[str, str]:
        numbers = self.private.public_key().public_numbers()
        return {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
            "n": _b64url_uint(numbers.n),
            "e": _b64url_uint(numbers.e),
        }


@dataclass
class AccessTokenInfo:
    sub: str
    email: str
    aud: str
    expires_at: float
    email_verified: bool = True
    scope: str = "openid https://www.googleapis.com/auth/userinfo.email"


@dataclass
class FakeGoogle:
    client_id: str = "1234567890-fake.apps.googleusercontent.com"
    max_age: int = 19_000
    keys: list[SigningKey] = field(default_factory=lambda: [SigningKey.generate()])
    base_url: str = ""
    jwks_requests: int = 0
    tokeninfo_requests: int = 0
    access_tokens: dict[str, AccessTokenInfo] = field(default_factory=dict)
    outage_status: int | None = None  # set to e.g. 503 to make both endpoints fail

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/oauth2/v3/certs", self._certs, methods=["GET"]),
                Route("/tokeninfo", self._tokeninfo, methods=["GET", "POST"]),
            ]
        )

    @property
    def jwks_url(self) -> str:
        return f"{self.base_url}/oauth2/v3/certs"

    @property
    def tokeninfo_url(self) -> str:
        return f"{self.base_url}/tokeninfo"

    @contextlib.contextmanager
    def serve(self) -> Iterator[str]:
        with serve_in_thread(self.app) as base:
            self.base_url = base
            yield base

    # --- keys and tokens ---------------------------------------------------------------

    def rotate(self) -> SigningKey:
        """Publish a new key (first) next to the old one, as Google does ahead of use."""
        key = SigningKey.generate()
        self.keys.insert(0, key)
        return key

    def claims(self, sub: str = "109876543210987654321", email: str = "analyst@example.com", **overrides: Any) -> dict:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "azp": self.client_id,
            "aud": self.client_id,
            "sub": sub,
            "email": email,
            "email_verified": True,
            "at_hash": secrets.token_urlsafe(16),
            "name": "김분석",
            "given_name": "분석",
            "family_name": "김",
            "picture": "https://lh3.googleusercontent.com/a/default-user",
            "iat": now,
            "exp": now + 3600,
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def id_token(
        self,
        *,
        key: SigningKey | None = None,
        kid: str | None = None,
        headers: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        """A Google-style ID token signed RS256 with a published key (or `key`)."""
        signer = key or self.keys[0]
        header = {"kid": kid or signer.kid, **(headers or {})}
        return jwt.encode(self.claims(**claims), signer.private_pem.decode(), algorithm="RS256", headers=header)

    def issue_access_token(
        self, *, sub: str = "109876543210987654321", email: str = "analyst@example.com", **kw: Any
    ) -> str:
        token = "ya29." + secrets.token_urlsafe(90)
        self.access_tokens[token] = AccessTokenInfo(
            sub=sub,
            email=email,
            aud=kw.pop("aud", self.client_id),
            expires_at=kw.pop("expires_at", time.time() + 3599),
            **kw,
        )
        return token

    # --- HTTP ----------------------------------------------------------------------------

    async def _certs(self, request: Request) -> JSONResponse:
        self.jwks_requests += 1
        if self.outage_status is not None:
            return JSONResponse({"error": "backendError"}, status_code=self.outage_status)
        return JSONResponse(
            {"keys": [k.jwk() for k in self.keys]},
            headers={"Cache-Control": f"public, max-age={self.max_age}, must-revalidate, no-transform"},
        )

    async def _tokeninfo(self, request: Request) -> JSONResponse:
        self.tokeninfo_requests += 1
        if self.outage_status is not None:
            return JSONResponse({"error": "backendError"}, status_code=self.outage_status)
        params = dict(request.query_params)
        if request.method == "POST":
            params.update({k: str(v) for k, v in (await request.form()).items()})
        token = params.get("access_token")
        info = self.access_tokens.get(token or "")
        now = time.time()
        if info is None or info.expires_at <= now:
            return JSONResponse({"error": "invalid_token", "error_description": "Invalid Value"}, status_code=400)
        return JSONResponse(
            {
                "azp": info.aud,
                "aud": info.aud,
                "sub": info.sub,
                "scope": info.scope,
                "exp": str(int(info.expires_at)),
                "expires_in": str(int(info.expires_at - now)),
                "email": info.email,
                "email_verified": "true" if info.email_verified else "false",
                "access_type": "online",
            }
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict, claims: dict, signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode())
    body = _b64(json.dumps(claims).encode())
    return f"{head}.{body}.{_b64(signature)}"


def _hs256(header: dict, claims: dict, secret: bytes) -> str:
    head = _b64(json.dumps(header).encode())
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


def forged_id_tokens(google: FakeGoogle) -> dict[str, str]:
    """Every ID token a verifier must refuse, by name (all other claims valid)."""
    now = int(time.time())
    kid = google.keys[0].kid
    claims = google.claims()
    stranger = SigningKey.generate()
    valid = google.id_token()
    head, body, _sig = valid.split(".")
    tampered_claims = {**json.loads(base64.urlsafe_b64decode(body + "==")), "sub": "someone-else"}
    return {
        "alg_none": _unsigned({"alg": "none", "typ": "JWT", "kid": kid}, claims),
        "alg_none_with_signature": _unsigned({"alg": "none", "kid": kid}, claims, b"x"),
        "hs256_random_secret": _hs256({"alg": "HS256", "typ": "JWT", "kid": kid}, claims, b"secret"),
        "hs256_with_public_key": _hs256({"alg": "HS256", "typ": "JWT", "kid": kid}, claims, google.keys[0].public_pem),
        "rs512": google.id_token(headers={"alg": "RS512"}),
        "wrong_iss": google.id_token(iss="https://evil.example.com"),
        "wrong_aud": google.id_token(aud="other-client.apps.googleusercontent.com", azp="other"),
        "expired": google.id_token(iat=now - 7200, exp=now - 3600),
        "not_yet_valid_iat": google.id_token(iat=now + 3600, exp=now + 7200),
        "not_yet_valid_nbf": google.id_token(nbf=now + 3600),
        "no_exp": google.id_token(exp=None),
        "unknown_kid": google.id_token(key=stranger),
        "no_kid": _unsigned({"alg": "RS256"}, claims, b"sig"),
        "bad_signature_other_key_known_kid": google.id_token(key=stranger, kid=kid),
        "tampered_payload": f"{head}.{_b64(json.dumps(tampered_claims).encode())}.{_sig}",
        "email_not_verified": google.id_token(email_verified=False),
        "email_verified_missing": google.id_token(email_verified=None),
        "garbage_jwt": "eyJhbGciOiJSUzI1NiJ9.not-base64!.zzz",
    }
