"""`finscribe serve gateway` as a real process: Google mode refuses every forged token
with 401 and serves a valid one; dev mode refuses a non-loopback bind."""

import os
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from finscribe_testkit.common.server import background_process, free_port
from finscribe_testkit.google import FakeGoogle, forged_id_tokens

pytestmark = pytest.mark.slow


def _env(tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTH_MODE", "GOOGLE_", "DATABASE_URL"))}
    env.update(FINSCRIBE_DATA_DIR=str(tmp_path), FINSCRIBE_INTERNAL_TOKEN="serve-test-token", **extra)
    return env


@pytest.fixture
def served_gateway(tmp_path, google: FakeGoogle) -> Iterator[str]:
    port = free_port()
    env = _env(
        tmp_path,
        AUTH_MODE="google",
        GOOGLE_CLIENT_IDS=f"other.apps.googleusercontent.com,{google.client_id}",
        GOOGLE_JWKS_URL=google.jwks_url,
        GOOGLE_TOKENINFO_URL=google.tokeninfo_url,
    )
    args = [sys.executable, "-m", "finscribe_common.cli", "serve", "gateway", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    with background_process(args, f"{base}/readyz", env, tmp_path, timeout=30, log=tmp_path / "gateway.log"):
        yield base


def test_google_mode_process_rejects_forgeries_and_serves_a_valid_token(served_gateway: str, google) -> None:
    with httpx.Client(base_url=served_gateway, timeout=10) as client:
        for name, token in forged_id_tokens(google).items():
            response = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, (name, response.text)
            assert response.json()["error"]["code"] != "internal_error"
        valid = client.get("/v1/me", headers={"Authorization": f"Bearer {google.id_token(sub='31337')}"})
        assert valid.status_code == 200
        assert valid.json()["sub"] == "31337"
        access = client.get("/v1/me", headers={"Authorization": f"Bearer {google.issue_access_token(sub='31338')}"})
        assert access.json()["sub"] == "31338"


def test_dev_mode_refuses_to_start_on_a_public_address(tmp_path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "finscribe_common.cli",
            "serve",
            "gateway",
            "--host",
            "0.0.0.0",
            "--port",
            str(free_port()),
        ],
        env=_env(tmp_path, AUTH_MODE="dev"),
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert b"AUTH_MODE=dev" in result.stderr
