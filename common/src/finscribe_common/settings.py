"""Settings shared by every service, read from the environment (and an optional `.env`).

Each service subclasses `ServiceSettings` for its own variables; nothing here is
service-specific.
"""

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, AliasGenerator, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_TOKEN_FILE = "internal-token"  # noqa: S105 - a file name


def env_names(cls: type[BaseSettings], field: str) -> tuple[str, ...]:
    """The variables pydantic-settings reads for `field`, in priority order: its validation
    alias(es), else the class's `env_prefix` + the field name, in capitals."""
    alias = cls.model_fields[field].validation_alias
    if isinstance(alias, str):
        return (alias.upper(),)
    if isinstance(alias, AliasChoices):
        return tuple(choice.upper() for choice in alias.choices if isinstance(choice, str))
    return ((str(cls.model_config.get("env_prefix") or "") + field).upper(),)


class VariableNames(BaseSettings):
    """Settings that also take their environment variables' names as keyword arguments
    (`RagSettings(RAG_MAX_PDF_MB=10)`, as the environment would say it), whether a field
    reads its variable through an alias or through the class's `env_prefix`."""

    @model_validator(mode="before")
    @classmethod
    def _by_variable_name(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        upper = {key.upper(): key for key in data if isinstance(key, str)}
        values = dict(data)
        for field in cls.model_fields:
            for name in env_names(cls, field):
                key = upper.get(name)
                if key is None or key == field:
                    continue
                value = values.pop(key)
                # the first name in priority order wins, as AliasChoices does; the field's own name beats all
                values.setdefault(field, value)
        return values


class ServiceSettings(VariableNames):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    log_level: str = Field(
        default="INFO",
        validation_alias="LOG_LEVEL",
        description="log level of the service's JSON logs (`DEBUG`, `INFO`, `WARNING`, `ERROR`)",
    )
    internal_token: SecretStr | None = Field(
        default=None,
        validation_alias="FINSCRIBE_INTERNAL_TOKEN",
        description=(
            "shared secret every internal call carries (`X-Internal-Token`); required when a service "
            "binds a non-loopback address (loopback: a random token kept in the data directory)"
        ),
    )
    data_dir: Path = Field(
        default=Path(".finscribe"),
        validation_alias="FINSCRIBE_DATA_DIR",
        description="where a service keeps local state (SQLite, Chroma, caches, uploads, the dev internal token)",
    )
    bind_host: str = Field(
        default="127.0.0.1",
        validation_alias="FINSCRIBE_BIND_HOST",
        description="address the service binds; demo and dev auth refuse anything but loopback",
    )
    http_timeout_s: float = Field(
        default=10.0,
        validation_alias="FINSCRIBE_HTTP_TIMEOUT_S",
        description="timeout of outbound HTTP calls, in seconds (where no more specific one applies)",
    )
    # request bodies (body_guard.py): the longest pause between two chunks of a body, the
    # largest JSON body and its deepest nesting (MariaDB's JSON_VALID refuses depth > 32)
    body_idle_timeout_s: float = Field(
        default=30.0,
        gt=0,
        validation_alias="FINSCRIBE_BODY_IDLE_TIMEOUT_S",
        description="longest pause between two chunks of a request body, in seconds (408 above)",
    )
    max_json_bytes: int = Field(
        default=32 * 1024 * 1024,
        gt=0,
        validation_alias="FINSCRIBE_MAX_JSON_BYTES",
        description="largest JSON request body, in bytes (413 above)",
    )
    max_json_depth: int = Field(
        default=32,
        ge=2,
        validation_alias="FINSCRIBE_MAX_JSON_DEPTH",
        description="deepest JSON nesting of a request body (400 above; MariaDB's JSON_VALID refuses more than 32)",
    )
    # Replicas share quotas, throttles, cool-downs, caches and run events through Redis;
    # unset (the embedded default) they live in each process.
    redis_url: str | None = Field(
        default=None,
        validation_alias="REDIS_URL",
        description=(
            "Redis shared by the replicas (quotas, throttles, cool-downs, caches, run events), e.g. "
            "`redis://redis:6379/0`; unset, all of it lives in each process; Redis down: per process "
            "and `/readyz` says `shared_state` degraded"
        ),
    )
    redis_prefix: str = Field(
        default="finscribe",
        min_length=1,
        validation_alias="REDIS_PREFIX",
        description="prefix of every Redis key this deployment writes",
    )
    # demo mode (`finscribe up --demo`): recorded data, labelled results, loopback only
    demo: bool = Field(
        default=False,
        validation_alias="FINSCRIBE_DEMO",
        description=(
            "demo mode (`make demo`, `finscribe up --demo`): recorded data, every result labelled "
            "`demo: true`, loopback binds only; never set it on a real deployment"
        ),
    )


class ServiceUrls(VariableNames):
    """Where each service listens, as seen by its callers (`FINSCRIBE_<NAME>_URL`)."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        alias_generator=AliasGenerator(validation_alias=lambda name: f"FINSCRIBE_{name.upper()}_URL"),
    )

    gateway: str = Field(
        default="http://127.0.0.1:8000",
        description=(
            "where the gateway is, as its callers see it (the orchestrator fetches uploaded files from "
            "its internal route: in compose the internal address, e.g. `http://gateway:8000`)"
        ),
    )
    orchestrator: str = Field(default="http://127.0.0.1:8001", description="where the orchestrator is")
    krx: str = Field(default="http://127.0.0.1:8011", description="where the krx service is")
    dart: str = Field(default="http://127.0.0.1:8012", description="where the dart service is")
    yahoo: str = Field(default="http://127.0.0.1:8013", description="where the yahoo service is")
    rag: str = Field(default="http://127.0.0.1:8014", description="where the rag service is")
    llm_router: str = Field(
        default="http://127.0.0.1:8015",
        description="where the llm-router is (OpenAI-compatible `/v1/chat/completions`)",
    )


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
