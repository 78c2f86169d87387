"""docker-compose.yml: valid against the compose spec, and the invariants the design demands."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SECRET_KEY = re.compile(r"(TOKEN|SECRET|PASSWORD|API_KEY|_KEY|_PW)$")
APP_SERVICES = {"gateway", "orchestrator", "krx", "dart", "yahoo", "rag", "llm-router"}


def _check_jsonschema() -> str:
    found = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    return found


@pytest.mark.parametrize("name", ["docker-compose.yml", "docker-compose.dev.yml"])
def test_compose_files_validate_against_the_compose_spec(infra_dir, name):
    result = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.compose-spec", str(infra_dir / name)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_service_is_there(compose):
    assert APP_SERVICES | {"swag"} <= set(compose["services"])


def test_only_swag_publishes_ports_and_only_80_and_443(compose):
    publishing = {name for name, svc in compose["services"].items() if svc.get("ports")}
    assert publishing == {"swag"}
    assert sorted(compose["services"]["swag"]["ports"]) == ["443:443", "80:80"]
    for name, svc in compose["services"].items():
        assert "network_mode" not in svc, name


def test_every_service_has_a_healthcheck(compose):
    for name, svc in compose["services"].items():
        if name in APP_SERVICES:
            # the image's HEALTHCHECK (infra/docker/service.Dockerfile) covers app services
            assert "healthcheck" not in svc or svc["healthcheck"].get("disable") is not True, name
        else:
            assert svc.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_app_services_use_the_dockerfile_with_its_healthcheck(compose, infra_dir):
    dockerfile = (infra_dir / "docker" / "service.Dockerfile").read_text()
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    for name in APP_SERVICES:
        build = compose["services"][name]["build"]
        assert build["dockerfile"] == "infra/docker/service.Dockerfile"
        assert build["args"]["SERVICE"] == name


def test_depends_on_waits_for_health(compose):
    for name, svc in compose["services"].items():
        for dep, cond in (svc.get("depends_on") or {}).items():
            assert cond["condition"] == "service_healthy", (name, dep)
    assert set(compose["services"]["orchestrator"]["depends_on"]) == {"krx", "dart", "yahoo", "rag", "llm-router"}


def test_restart_policies_and_volumes(compose):
    for name, svc in compose["services"].items():
        assert svc.get("restart") == "unless-stopped", name
    assert any("chroma-data" in str(v) for v in compose["services"]["chroma"]["volumes"])
    assert any("redis-data" in str(v) for v in compose["services"]["redis"]["volumes"])
    assert any("swag-config" in str(v) for v in compose["services"]["swag"]["volumes"])


def test_rag_is_stateless_over_the_chroma_server(compose):
    rag = compose["services"]["rag"]
    assert rag["environment"]["CHROMA_URL"] == "http://chroma:8000"
    assert "volumes" not in rag  # vectors and BM25 terms live in the Chroma server
    assert compose["services"]["chroma"]["image"].startswith("chromadb/chroma:")


def test_redis_persists_and_the_replicated_services_use_it(compose):
    command = " ".join(compose["services"]["redis"]["command"])
    assert "--appendonly yes" in command and "--appendfsync everysec" in command
    assert "--maxmemory-policy volatile-ttl" in command  # quota counters (longest TTL) are evicted last
    for name in ("gateway", "krx", "dart", "yahoo"):
        svc = compose["services"][name]
        assert svc["environment"]["REDIS_URL"] == "redis://redis:6379/0", name
        assert svc["depends_on"]["redis"]["condition"] == "service_healthy", name


def test_no_secret_values_in_the_file(compose, infra_dir):
    for name, svc in compose["services"].items():
        env = svc.get("environment") or {}
        items = env.items() if isinstance(env, dict) else (e.split("=", 1) for e in env)
        for key, value in items:
            if SECRET_KEY.search(key):
                assert str(value).startswith("${"), f"{name}.{key} must come from the environment"
    text = (infra_dir / "docker-compose.yml").read_text()
    assert not re.search(r"sk-[A-Za-z0-9]{10,}", text)


def test_swag_uses_duckdns_validation(compose):
    env = compose["services"]["swag"]["environment"]
    assert env["VALIDATION"] == "duckdns"
    for key in ("URL", "SUBDOMAINS", "DUCKDNSTOKEN", "EMAIL"):
        assert key in env
    assert compose["services"]["swag"]["image"].startswith("lscr.io/linuxserver/swag:")


def test_mysql_is_an_optional_profile(compose):
    assert compose["services"]["mysql"]["profiles"] == ["mysql"]


def test_no_image_uses_latest(compose):
    for name, svc in compose["services"].items():
        image = svc.get("image", "")
        assert ":" in image and not image.endswith(":latest"), name
