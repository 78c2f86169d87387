"""Where the real recorded upstream data lives: `fixtures/real/` in the repository (PROVENANCE.md there)."""

import os
from pathlib import Path


def repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "Makefile").exists() and (parent / "common").is_dir():
            return parent
    return Path.cwd()


def fixtures_dir() -> Path:
    override = os.environ.get("FINSCRIBE_FIXTURES_DIR")
    if override:
        return Path(override)
    return repo_root() / "fixtures" / "real"


def fixture_path(name: str) -> Path:
    path = fixtures_dir() / name
    if not path.exists():
        raise FileNotFoundError(
            f"real fixture {name} not found in {fixtures_dir()}; "
            "set FINSCRIBE_FIXTURES_DIR to a folder of recorded fixtures"
        )
    return path
