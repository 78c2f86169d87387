"""The routing table: defaults, configuration overrides, validation and prices."""

import json
from pathlib import Path

import pytest

from finscribe_common.errors import BadRequest
from finscribe_llm_router.policy import TASKS, Policy, PolicyError, Target
from finscribe_testkit.llm_router import test_settings


def targets(policy: Policy, route: str, task: str | None, **env: str) -> list[str]:
    resolved, _ = policy.resolve(route, task, test_settings(**env))
    return [str(t) for t in resolved]


def test_default_table_sends_small_model_tasks_to_runpod_and_the_rest_to_openai() -> None:
    policy = Policy.load(test_settings())
    for task in ("rewrite", "grade"):  # what a small model does well
        assert targets(policy, "auto", task) == [
            "runpod:LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct",
            "openai:gpt-4o-mini",
            "local:qwen2.5:7b-instruct",
        ]
    for task in ("outline", "section", "chart_spec", "answer", None):  # tools and structure: the stronger one
        assert targets(policy, "auto", task)[0] == "openai:gpt-4.1-mini"
        assert [t.split(":")[0] for t in targets(policy, "auto", task)] == ["openai", "runpod", "local"]
    assert targets(policy, "quality", "section")[:2] == ["openai:gpt-4.1", "openai:gpt-4.1-mini"]
    assert targets(policy, "fast", "outline")[0] == "openai:gpt-4o-mini"


def test_model_names_come_from_the_environment() -> None:
    settings = test_settings(OPENAI_MODEL="gpt-4o", RUNPOD_MODEL="Qwen/Qwen2.5-3B-Instruct", LOCAL_LLM_MODEL="llama3")
    policy = Policy.load(settings)
    resolved, explicit = policy.resolve("auto", "rewrite", settings)
    assert resolved[0] == Target("runpod", "Qwen/Qwen2.5-3B-Instruct") and not explicit
    assert policy.resolve("auto", "answer", settings)[0][0] == Target("openai", "gpt-4o")


def test_explicit_targets_and_aliases() -> None:
    settings = test_settings()
    policy = Policy.load(settings)
    assert policy.resolve("openai:gpt-4o", "section", settings) == ((Target("openai", "gpt-4o"),), True)
    assert policy.resolve("openai:@fast", None, settings)[0] == (Target("openai", "gpt-4o-mini"),)
    assert policy.resolve("runpod", None, settings)[0][0].model == "LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct"
    with pytest.raises(BadRequest, match="unknown provider"):
        policy.resolve("azure:gpt-4o", None, settings)
    with pytest.raises(BadRequest, match="unknown model alias"):
        policy.resolve("runpod:@quality", None, settings)
    with pytest.raises(BadRequest, match="unknown model route 'gpt-4o'"):
        policy.resolve("gpt-4o", None, settings)
    with pytest.raises(BadRequest, match="unknown X-Task"):
        policy.resolve("auto", "essay", settings)


def test_a_routes_file_in_json_replaces_the_default(tmp_path: Path) -> None:
    table = {
        "routes": {
            "auto": {"default": ["local", "openai:gpt-4o"], "rewrite": ["local:exaone3.5:2.4b"]},
            "cheap": {"default": ["openai:@fast", "openai:gpt-4o-mini"]},
        },
        "prices": {"openai:gpt-4o": {"input": 2.5, "output": 10}},
    }
    path = tmp_path / "routes.json"
    path.write_text(json.dumps(table))
    settings = test_settings(LLM_ROUTES_FILE=str(path))
    policy = Policy.load(settings)
    assert targets(policy, "auto", "section", LLM_ROUTES_FILE=str(path)) == [
        "local:qwen2.5:7b-instruct",
        "openai:gpt-4o",
    ]
    assert targets(policy, "cheap", None, LLM_ROUTES_FILE=str(path)) == ["openai:gpt-4o-mini"]  # deduplicated
    assert set(policy.routes) == {"auto", "cheap"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("routes: [1, 2]", "needs a `routes` mapping"),
        ("routes: {auto: {rewrite: [runpod]}}", "needs a `default` list"),
        ("routes: {auto: {default: [bedrock]}}", "unknown provider 'bedrock'"),
        ("routes: {auto: {default: [openai], essay: [openai]}}", "unknown task 'essay'"),
        ("routes: {auto: {default: []}}", "non-empty list"),
        ("routes: {auto: {default: ['openai:@huge']}}", "unknown model alias"),
        ("routes: {'a:b': {default: [openai]}}", "must not contain ':'"),
        ("routes: {auto: {default: [openai]}}\nprices: {'openai:x': {input: cheap}}", "price 'openai:x'"),
        ("routes: {auto: {default: [openai]", "not valid YAML/JSON"),
    ],
)
def test_a_broken_routes_file_stops_the_start(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(content)
    with pytest.raises(PolicyError, match=message):
        Policy.load(test_settings(LLM_ROUTES_FILE=str(path)))


def test_a_missing_routes_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read LLM_ROUTES_FILE"):
        Policy.load(test_settings(LLM_ROUTES_FILE=str(tmp_path / "nope.yaml")))


def test_prices_match_snapshots_and_provider_wildcards() -> None:
    policy = Policy.load(test_settings())
    mini = policy.price_for(Target("openai", "gpt-4o-mini"))
    assert mini is not None and (mini.input_per_m, mini.output_per_m) == (0.15, 0.60)
    assert policy.price_for(Target("openai", "gpt-4o-mini-2024-07-18")) == mini  # not gpt-4o's price
    assert policy.price_for(Target("openai", "gpt-4.1-2025-04-14")).input_per_m == 2.0
    assert policy.price_for(Target("runpod", "anything")).per_second > 0
    assert policy.price_for(Target("local", "llama3")).input_per_m == 0.0
    assert policy.price_for(Target("openai", "o3")) is None


def test_every_task_is_known() -> None:
    assert TASKS == ("outline", "section", "grade", "rewrite", "chart_spec", "answer")


def test_routes_inline_in_the_environment_replace_the_file_routes() -> None:
    inline = '{"auto": {"default": ["local", "openai"]}, "ko": {"default": ["runpod"]}}'
    settings = test_settings(LLM_ROUTES=inline)
    policy = Policy.load(settings)
    assert set(policy.routes) == {"auto", "ko"}
    assert targets(policy, "auto", "rewrite", LLM_ROUTES=inline) == ["local:qwen2.5:7b-instruct", "openai:gpt-4.1-mini"]
    assert policy.price_for(Target("openai", "gpt-4.1-mini")) is not None  # prices still come from the file
    with pytest.raises(PolicyError, match="LLM_ROUTES is not valid"):
        Policy.load(test_settings(LLM_ROUTES="{auto: [oops"))
    with pytest.raises(PolicyError, match="unknown provider"):
        Policy.load(test_settings(LLM_ROUTES="auto: {default: [gemini]}"))
