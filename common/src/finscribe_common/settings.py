"""Settings shared by every service, read from the environment (and an optional `.env`).

Each service subclasses `ServiceSettings` for its own variables; nothing here is
service-specific.
"""

import ipaddress
import os
import secrets
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_TOKEN_FILE = "internal-token"  # noqa: S105 - a file name


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    log_level: str = Field(default="INFO", validation_alias="LOG_LEVEL")
    internal_token: SecretStr | None = Field(default=None, validation_alias="FINSCRIBE_INTERNAL_TOKEN")
    data_dir: Path = Field(default=Path(".finscribe"), validation_alias="FINSCRIBE_DATA_DIR")
    bind_host: str = Field(default="127.0.0.1", validation_alias="FINSCRIBE_BIND_HOST")
    http_timeout_s: float = Field(default=10.0, validation_alias="FINSCRIBE_HTTP_TIMEOUT_S")
    # request bodies (body_guard.py): the longest pause between two chunks of a body, the
    # largest JSON body and its deepest nesting (MariaDB's JSON_VALID refuses depth > 32)
    body_idle_timeout_s: float = Field(default=30.0, gt=0, validation_alias="FINSCRIBE_BODY_IDLE_TIMEOUT_S")
    max_json_bytes: int = Field(default=32 * 1024 * 1024, gt=0, validation_alias="FINSCRIBE_MAX_JSON_BYTES")
    max_json_depth: int = Field(default=32, ge=2, validation_alias="FINSCRIBE_MAX_JSON_DEPTH")
    # Replicas share quotas, throttles, cool-downs, caches and run events through Redis;
    # unset (the embedded default) they live in each process.
    redis_url: str | None = Field(default=None, validation_alias="REDIS_URL")
    redis_prefix: str = Field(default="finscribe", min_length=1, validation_alias="REDIS_PREFIX")
    # demo mode (`finscribe up --demo`): recorded data, labelled results, loopback only
    demo: bool = Field(default=False, validation_alias="FINSCRIBE_DEMO")


class ServiceUrls(BaseSettings):
    """Where each service listens, as seen by its callers (`FINSCRIBE_<NAME>_URL`)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    gateway: str = Field(default="http://127.0.0.1:8000", validation_alias="FINSCRIBE_GATEWAY_URL")
    orchestrator: str = Field(default="http://127.0.0.1:8001", validation_alias="FINSCRIBE_ORCHESTRATOR_URL")
    krx: str = Field(default="http://127.0.0.1:8011", validation_alias="FINSCRIBE_KRX_URL")
    dart: str = Field(default="http://127.0.0.1:8012", validation_alias="FINSCRIBE_DART_URL")
    yahoo: str = Field(default="http://127.0.0.1:8013", validation_alias="FINSCRIBE_YAHOO_URL")
    rag: str = Field(default="http://127.0.0.1:8014", validation_alias="FINSCRIBE_RAG_URL")
    llm_router: str = Field(default="http://127.0.0.1:8015", validation_alias="FINSCRIBE_LLM_ROUTER_URL")


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_internal_token(settings: ServiceSettings) -> str:
    """The token that internal calls must carry.

    Production sets FINSCRIBE_INTERNAL_TOKEN. For local use on loopback only, services
    started separately share a random token kept in the data directory, so no default
    token ever exists in the repository.
    """
    if settings.internal_token is not None and settings.internal_token.get_secret_value():
        return settings.internal_token.get_secret_value()
    if not is_loopback(settings.bind_host):
        raise RuntimeError(
            "FINSCRIBE_INTERNAL_TOKEN is not set; it is required when a service binds a non-loopback address"
        )
    return dev_internal_token(settings.data_dir)


def dev_internal_token(data_dir: Path) -> str:
    path = data_dir / DEV_TOKEN_FILE
    if path.exists():
        token = path.read_text().strip()
        if token:
            return token
    data_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    # O_EXCL: when several services start at once, the first writer wins and the others read it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip() or token
    with os.fdopen(fd, "w") as handle:
        handle.write(token)
    return token
