"""The seven FinScribe services: their names, dev ports and app factories."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    port: int
    factory: str  # "module:function" returning the FastAPI app
    settings: str  # "module:Class", its settings (settings_docs generates its variable table)
    readme: str  # where its variables are documented, relative to the repository root


SERVICES: dict[str, ServiceSpec] = {
    spec.name: spec
    for spec in (
        ServiceSpec(
            "gateway",
            8000,
            "finscribe_gateway.main:create_app",
            "finscribe_gateway.config:GatewaySettings",
            "gateway/README.md",
        ),
        ServiceSpec(
            "orchestrator",
            8001,
            "finscribe_orchestrator.main:create_app",
            "finscribe_orchestrator.config:OrchestratorSettings",
            "orchestrator/README.md",
        ),
        ServiceSpec(
            "krx", 8011, "finscribe_krx.main:create_app", "finscribe_krx.config:KrxSettings", "services/krx/README.md"
        ),
        ServiceSpec(
            "dart",
            8012,
            "finscribe_dart.main:create_app",
            "finscribe_dart.config:DartSettings",
            "services/dart/README.md",
        ),
        ServiceSpec(
            "yahoo",
            8013,
            "finscribe_yahoo.main:create_app",
            "finscribe_yahoo.config:YahooSettings",
            "services/yahoo/README.md",
        ),
        ServiceSpec(
            "rag", 8014, "finscribe_rag.main:create_app", "finscribe_rag.config:RagSettings", "services/rag/README.md"
        ),
        ServiceSpec(
            "llm-router",
            8015,
            "finscribe_llm_router.main:create_app",
            "finscribe_llm_router.config:RouterSettings",
            "services/llm-router/README.md",
        ),
    )
}

# Start order for `finscribe up`: the services others call come first.
START_ORDER = ("krx", "dart", "yahoo", "rag", "llm-router", "orchestrator", "gateway")


def url_env_var(name: str) -> str:
    return f"FINSCRIBE_{name.upper().replace('-', '_')}_URL"
