"""The routing table: which providers and models serve a route and task, in what order."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from finscribe_common.errors import BadRequest
from finscribe_llm_router.capabilities import CapabilityError, CapabilityTable
from finscribe_llm_router.config import RouterSettings

PROVIDERS = ("openai", "runpod", "local")
TASKS = ("outline", "section", "grade", "rewrite", "chart_spec", "answer")
DEFAULT_TASK = "default"


class PolicyError(ValueError):
    """The routing file is unusable; raised at startup so a bad deploy fails fast."""


@dataclass(frozen=True)
class Target:
    provider: str
    model: str

    def __str__(self) -> str:
        return f"{self.provider}:{self.model}"


@dataclass(frozen=True)
class Price:
    input_per_m: float = 0.0
    output_per_m: float = 0.0
    per_second: float = 0.0


def model_aliases(settings: RouterSettings) -> dict[str, dict[str, str]]:
    return {
        "openai": {
            "default": settings.openai_model,
            "fast": settings.openai_model_fast,
            "quality": settings.openai_model_quality,
        },
        "runpod": {"default": settings.runpod_model},
        "local": {"default": settings.local_llm_model},
    }


def parse_target(spec: str, aliases: dict[str, dict[str, str]]) -> Target:
    provider, _, model = spec.partition(":")
    provider = provider.strip()
    if provider not in PROVIDERS:
        raise ValueError(f"unknown provider {provider!r} in {spec!r} (known: {', '.join(PROVIDERS)})")
    model = model.strip() or "@default"
    if model.startswith("@"):
        alias = model[1:]
        if alias not in aliases[provider]:
            known = ", ".join("@" + a for a in aliases[provider])
            raise ValueError(f"unknown model alias {model!r} for {provider} (known: {known})")
        model = aliases[provider][alias]
    if not model:
        raise ValueError(f"{spec!r} resolves to an empty model name")
    return Target(provider, model)


class Policy:
    def __init__(
        self,
        routes: dict[str, dict[str, tuple[Target, ...]]],
        prices: dict[str, Price],
        capabilities: CapabilityTable | None = None,
    ) -> None:
        self.routes = routes
        self.prices = prices
        self.capabilities = capabilities or CapabilityTable({}, {}, {})

    @classmethod
    def load(cls, settings: RouterSettings) -> "Policy":
        raw = _read(settings.routes_file)
        if settings.routes_inline:
            try:
                inline = yaml.safe_load(settings.routes_inline)
            except yaml.YAMLError as exc:
                raise PolicyError(f"LLM_ROUTES is not valid YAML/JSON: {exc}") from exc
            if not isinstance(raw, dict):
                raise PolicyError("the routing file needs a `routes` mapping")
            raw = {**raw, "routes": inline.get("routes", inline) if isinstance(inline, dict) else inline}
        return cls.from_mapping(raw, settings)

    @classmethod
    def from_mapping(cls, raw: Any, settings: RouterSettings) -> "Policy":
        if not isinstance(raw, dict) or not isinstance(raw.get("routes"), dict):
            raise PolicyError("the routing file needs a `routes` mapping")
        aliases = model_aliases(settings)
        routes: dict[str, dict[str, tuple[Target, ...]]] = {}
        for route, tasks in raw["routes"].items():
            if not isinstance(tasks, dict) or DEFAULT_TASK not in tasks:
                raise PolicyError(f"route {route!r} needs a `{DEFAULT_TASK}` list")
            if ":" in str(route):
                raise PolicyError(f"route name {route!r} must not contain ':' (reserved for provider:model)")
            routes[str(route)] = {}
            for task, specs in tasks.items():
                if task != DEFAULT_TASK and task not in TASKS:
                    raise PolicyError(f"route {route!r}: unknown task {task!r} (known: {', '.join(TASKS)})")
                if not isinstance(specs, list) or not specs:
                    raise PolicyError(f"route {route!r} task {task!r}: expected a non-empty list of targets")
                try:
                    targets = [parse_target(str(s), aliases) for s in specs]
                except ValueError as exc:
                    raise PolicyError(f"route {route!r} task {task!r}: {exc}") from exc
                routes[str(route)][str(task)] = tuple(dict.fromkeys(targets))  # same model twice adds nothing
        prices: dict[str, Price] = {}
        for key, value in (raw.get("prices") or {}).items():
            if not isinstance(value, dict):
                raise PolicyError(f"price {key!r}: expected a mapping")
            try:
                prices[str(key)] = Price(
                    input_per_m=float(value.get("input", 0.0)),
                    output_per_m=float(value.get("output", 0.0)),
                    per_second=float(value.get("per_second", 0.0)),
                )
            except (TypeError, ValueError) as exc:
                raise PolicyError(f"price {key!r}: {exc}") from exc
        try:
            capabilities = CapabilityTable.from_mapping(raw, settings, PROVIDERS)
        except CapabilityError as exc:
            raise PolicyError(str(exc)) from exc
        return cls(routes, prices, capabilities)

    def resolve(self, route: str, task: str | None, settings: RouterSettings) -> tuple[tuple[Target, ...], bool]:
        """The ordered targets for a request, and whether the caller named one target itself."""
        task_key = task or DEFAULT_TASK
        if task is not None and task not in TASKS:
            raise BadRequest(f"unknown X-Task {task!r}; expected one of: {', '.join(TASKS)}", code="unknown_task")
        if ":" in route or (route in PROVIDERS and route not in self.routes):
            try:
                return (parse_target(route, model_aliases(settings)),), True
            except ValueError as exc:
                raise BadRequest(f"model {route!r}: {exc}", code="unknown_model") from exc
        tasks = self.routes.get(route)
        if tasks is None:
            known = ", ".join([*self.routes, "<provider>:<model>"])
            raise BadRequest(f"unknown model route {route!r}; expected one of: {known}", code="unknown_model")
        return tasks.get(task_key) or tasks[DEFAULT_TASK], False

    def price_for(self, target: Target) -> Price | None:
        exact = self.prices.get(str(target))
        if exact is not None:
            return exact
        # OpenAI answers with dated snapshots (gpt-4o-mini-2024-07-18); price them as the family
        best: tuple[int, Price] | None = None
        for key, price in self.prices.items():
            provider, _, model = key.partition(":")
            if provider != target.provider or model == "*" or not target.model.startswith(model + "-"):
                continue
            if best is None or len(model) > best[0]:
                best = (len(model), price)
        if best is not None:
            return best[1]
        return self.prices.get(f"{target.provider}:*")


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"cannot read LLM_ROUTES_FILE {path}: {exc}") from exc
    try:
        return yaml.safe_load(text)  # JSON is YAML too
    except yaml.YAMLError as exc:
        raise PolicyError(f"LLM_ROUTES_FILE {path} is not valid YAML/JSON: {exc}") from exc
