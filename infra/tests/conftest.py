from pathlib import Path

import pytest
import yaml

INFRA = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def infra_dir() -> Path:
    return INFRA


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load((INFRA / "docker-compose.yml").read_text())
