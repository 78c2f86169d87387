"""Google ID tokens and access tokens, verified against a local fake Google (real HTTP,
keys generated for the test run). Every forgery the issue lists answers 401."""

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest

from finscribe_gateway.auth.google import GoogleAuthenticator
from finscribe_gateway.auth.jwks import JwksCache
from finscribe_gateway.testing.fake_google import FakeGoogle, SigningKey


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


async def _me(gateway, token: str) -> httpx.Response:
    async with gateway.client(token) as client:
        return await client.get("/v1/me")


async def test_valid_id_token_is_served(gateway, google: FakeGoogle) -> None:
    response = await _me(gateway, google.id_token(sub="115", email="kim@example.com"))
    assert response.status_code == 200
    assert response.json() == {"sub": "115", "email": "kim@example.com", "name": "김분석"}


async def test_small_clock_skew_is_tolerated(gateway, google: FakeGoogle) -> None:
    now = int(time.time())
    response = await _me(gateway, google.id_token(iat=now - 3600, exp=now - 30))
    assert response.status_code == 200


def _forgeries(google: FakeGoogle) -> dict[str, str]:
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


FORGERY_NAMES = [
    "alg_none",
    "alg_none_with_signature",
    "hs256_random_secret",
    "hs256_with_public_key",
    "rs512",
    "wrong_iss",
    "wrong_aud",
    "expired",
    "not_yet_valid_iat",
    "not_yet_valid_nbf",
    "no_exp",
    "unknown_kid",
    "no_kid",
    "bad_signature_other_key_known_kid",
    "tampered_payload",
    "email_not_verified",
    "email_verified_missing",
    "garbage_jwt",
]


async def test_forged_id_tokens_are_rejected(gateway, google: FakeGoogle) -> None:
    # one gateway for all forgeries (starting one per case costs a second each)
    forgeries = _forgeries(google)
    assert sorted(forgeries) == sorted(FORGERY_NAMES)
    accepted = {}
    async with gateway.client() as client:
        for name in FORGERY_NAMES:
            response = await client.get("/v1/me", headers={"Authorization": f"Bearer {forgeries[name]}"})
            body = response.json()
            if response.status_code != 401 or body["error"]["code"] not in {
                "invalid_token",
                "token_expired",
                "email_not_verified",
            }:
                accepted[name] = (response.status_code, body)
            assert "Traceback" not in response.text
    assert accepted == {}


async def test_dev_tokens_are_refused_in_google_mode(gateway) -> None:
    response = await _me(gateway, "dev:alice@example.com")
    assert response.status_code == 401


async def test_access_token_via_tokeninfo_is_cached(gateway, google: FakeGoogle) -> None:
    token = google.issue_access_token(sub="200", email="lee@example.com")
    before = google.tokeninfo_requests
    for _ in range(3):
        response = await _me(gateway, token)
        assert response.status_code == 200
        assert response.json()["sub"] == "200"
    assert google.tokeninfo_requests - before == 1


async def test_access_token_rejections(gateway, google: FakeGoogle) -> None:
    other_client = google.issue_access_token(aud="someone-else.apps.googleusercontent.com")
    expired = google.issue_access_token(expires_at=time.time() - 10)
    unverified = google.issue_access_token(email_verified=False)
    for token in (other_client, expired, unverified, "ya29.never-issued"):
        response = await _me(gateway, token)
        assert response.status_code == 401, token


async def test_jwks_unknown_kid_refetches_at_most_once_a_minute(google: FakeGoogle) -> None:
    clock = [1000.0]
    async with httpx.AsyncClient() as client:
        jwks = JwksCache(google.jwks_url, client, refetch_min_interval_s=60, clock=lambda: clock[0])
        auth = GoogleAuthenticator(
            client_ids=[google.client_id], jwks=jwks, tokeninfo_url=google.tokeninfo_url, client=client
        )
        await auth.authenticate(google.id_token())
        assert jwks.fetches == 1
        stranger = SigningKey.generate()
        for _ in range(5):
            with pytest.raises(Exception, match="unknown key"):
                await auth.authenticate(google.id_token(key=stranger))
        clock[0] += 30
        with pytest.raises(Exception, match="unknown key"):
            await auth.authenticate(google.id_token(key=stranger))
        # one refetch for the first unknown kid would be allowed only after the floor
        assert jwks.fetches == 1
        clock[0] += 31
        new_key = google.rotate()
        try:
            principal = await auth.authenticate(google.id_token(key=new_key))
            assert principal.sub == "109876543210987654321"
            assert jwks.fetches == 2
        finally:
            google.keys.remove(new_key)


async def test_jwks_is_cached_across_requests(google: FakeGoogle) -> None:
    async with httpx.AsyncClient() as client:
        jwks = JwksCache(google.jwks_url, client)
        auth = GoogleAuthenticator(
            client_ids=[google.client_id], jwks=jwks, tokeninfo_url=google.tokeninfo_url, client=client
        )
        for _ in range(5):
            await auth.authenticate(google.id_token())
        assert jwks.fetches == 1
