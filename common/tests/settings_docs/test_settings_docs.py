"""Every environment variable keeps its name, every field is described, and the generated
tables and .env.example match the settings classes."""

import importlib
import json
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings, EnvSettingsSource

from finscribe_common import settings_docs

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = json.loads((Path(__file__).with_name("env_names.golden.json")).read_text(encoding="utf-8"))


def _load(path: str) -> type[BaseSettings]:
    module, name = path.split(":")
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, BaseSettings)
    return cls


def test_every_settings_class_is_in_the_golden_list_and_the_docs() -> None:
    documented = {path for group in settings_docs.SETTINGS_CLASSES.values() for path in group.classes}
    assert documented == set(GOLDEN)


@pytest.mark.parametrize("path", sorted(GOLDEN))
def test_every_variable_keeps_its_name(path: str) -> None:
    """The golden list was taken from main before the move to env_prefix: each field still
    answers to the same variable(s), by pydantic-settings' own lookup, and the docs name them."""
    cls = _load(path)
    source = EnvSettingsSource(cls)
    assert set(cls.model_fields) == set(GOLDEN[path])
    for field, names in GOLDEN[path].items():
        read = {env for _, env, _ in source._extract_field_info(cls.model_fields[field], field)}
        assert {name.lower() for name in names} <= {env.lower() for env in read}, (field, names, read)
        assert list(settings_docs.env_names(cls, field)) == names, field


@pytest.mark.parametrize("path", sorted(GOLDEN))
def test_a_variable_set_in_the_environment_reaches_its_field(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # behaviour, not only the lookup table: set each string-typed variable, read the field
    cls = _load(path)
    for field, names in GOLDEN[path].items():
        if cls.model_fields[field].annotation not in (str, str | None):
            continue
        # a value each field's validators accept (rag's EMBEDDINGS names a backend)
        value = "openai:example" if field == "embeddings" else "http://example.test/" + field
        for name in names:
            monkeypatch.setenv(name, value)
            assert getattr(cls(), field) == value, name
            monkeypatch.delenv(name)


def test_every_field_has_a_description() -> None:
    for group in settings_docs.SETTINGS_CLASSES.values():
        for cls in group.load():
            for field, info in cls.model_fields.items():
                assert info.description, f"{cls.__name__}.{field}"


def test_the_generated_tables_and_env_example_are_up_to_date() -> None:
    stale = settings_docs.stale(ROOT)
    assert not stale, f"run `.venv/bin/python -m finscribe_common.settings_docs --write`: {stale}"


def test_a_changed_description_makes_the_docs_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for group in settings_docs.SETTINGS_CLASSES.values():
        target = tmp_path / group.readme
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((ROOT / group.readme).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".env.example").write_text((ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8")
    assert settings_docs.stale(tmp_path) == []
    krx = _load("finscribe_krx.config:KrxSettings")
    monkeypatch.setattr(krx.model_fields["krx_max_workers"], "description", "a new meaning")
    assert set(settings_docs.stale(tmp_path)) == {tmp_path / "services/krx/README.md", tmp_path / ".env.example"}
    assert settings_docs.main(["--root", str(tmp_path)]) == 1
    assert settings_docs.main(["--root", str(tmp_path), "--write"]) == 0
    assert "a new meaning" in (tmp_path / "services/krx/README.md").read_text(encoding="utf-8")
    assert settings_docs.stale(tmp_path) == []


def test_the_deployment_section_of_env_example_is_kept() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert settings_docs.DEPLOYMENT_MARKER in text
    assert "FORWARDED_ALLOW_IPS=" in text.split(settings_docs.DEPLOYMENT_MARKER)[1]


def _other_values(cls: type[BaseSettings], field: str) -> list[object]:
    """Values unlike the default that the field may accept (tried in order)."""
    info = cls.model_fields[field]
    default = info.default
    if isinstance(default, bool):
        return [not default]
    if isinstance(default, int | float):
        return [default + 1, default - 1, default * 2]
    if cls.model_fields[field].annotation in (str, str | None):
        return ["openai:example" if field == "embeddings" else "http://example.test/" + field]
    return []


@pytest.mark.parametrize("path", sorted(GOLDEN))
def test_every_variable_name_works_as_a_keyword(path: str) -> None:
    """`RagSettings(RAG_MAX_PDF_MB=10)` sets `max_pdf_mb`, as it did when every field had an
    alias: test kits and callers construct settings by the variable names they document."""
    from pydantic import ValidationError

    cls = _load(path)
    checked = 0
    for field, names in GOLDEN[path].items():
        for value in _other_values(cls, field):
            try:
                settings = cls(**{names[0]: value})
            except ValidationError:
                continue
            assert getattr(settings, field) == value, (names[0], value)
            checked += 1
            break
    assert checked >= len(GOLDEN[path]) // 2, f"only {checked} fields checked"


def test_the_generated_docs_carry_no_path_of_this_checkout() -> None:
    """A default file shipped in a package (the router's routes.yaml) is named from the package
    down: the docs were once generated with `/work/<some checkout>/...` in them, stale in every
    other checkout, and `.env.example` set that path for whoever copied it."""
    for path, text in settings_docs.targets(ROOT).items():
        assert str(ROOT) not in text, path
    env = settings_docs.targets(ROOT)[ROOT / ".env.example"]
    assert "# LLM_ROUTES_FILE=\n" in env
    assert "\nLLM_ROUTES_FILE=" not in env


def test_packaged_path_names_a_shipped_file_from_its_package_down() -> None:
    shipped = Path("/anywhere/site-packages/finscribe_llm_router/routes.yaml")
    assert settings_docs.packaged_path(shipped) == "finscribe_llm_router/routes.yaml"
    assert settings_docs.packaged_path(Path(".finscribe")) is None
    assert settings_docs.packaged_path("/x/finscribe_a/b") is None  # only Path defaults
