"""Google ID tokens and access tokens, verified against a local fake Google (real HTTP,
keys generated for the test run). Every forgery the issue lists answers 401."""

import time

import httpx
import pytest

from finscribe_gateway.auth.google import GoogleAuthenticator
from finscribe_gateway.auth.jwks import JwksCache
from finscribe_testkit.google import FakeGoogle, SigningKey, forged_id_tokens


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


async def test_forged_id_tokens_are_rejected(gateway, google: FakeGoogle) -> None:
    # one gateway for all forgeries (starting one per case costs a second each)
    forgeries = forged_id_tokens(google)
    assert len(forgeries) >= 18
    accepted = {}
    async with gateway.client() as client:
        for name in forgeries:
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
    before = google.tokeninfo_requests
    for _ in range(3):
        assert (await _me(gateway, "ya29.never-issued")).status_code == 401
    assert google.tokeninfo_requests == before  # refusals are remembered for a minute


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


async def test_google_outage(google: FakeGoogle) -> None:
    clock = [0.0]
    async with httpx.AsyncClient() as client:
        jwks = JwksCache(google.jwks_url, client, clock=lambda: clock[0])
        auth = GoogleAuthenticator(
            client_ids=[google.client_id], jwks=jwks, tokeninfo_url=google.tokeninfo_url, client=client
        )
        cold = JwksCache(google.jwks_url, client)
        cold_auth = GoogleAuthenticator(
            client_ids=[google.client_id], jwks=cold, tokeninfo_url=google.tokeninfo_url, client=client
        )
        await auth.authenticate(google.id_token(sub="before-outage"))
        google.outage_status = 503
        try:
            clock[0] += google.max_age + 1  # the cached key set has expired
            principal = await auth.authenticate(google.id_token(sub="during-outage"))
            assert principal.sub == "during-outage"  # stale keys beat refusing everyone
            with pytest.raises(Exception, match="signing keys") as no_keys:
                await cold_auth.authenticate(google.id_token())
            assert getattr(no_keys.value, "status_code", None) == 503
            with pytest.raises(Exception, match="tokeninfo answered 503") as tokeninfo_down:
                await auth.authenticate("ya29.some-access-token")
            assert getattr(tokeninfo_down.value, "status_code", None) == 503
        finally:
            google.outage_status = None
