"""Schemathesis against every service's own OpenAPI document, on the real running stack.

Negative and positive examples plus the stateful phase (links between operations), a
bounded number of examples per operation. The assertion: no 5xx, every answer matches the
status codes, media types and schemas its document declares; since every error status is
documented with the envelope schema (finscribe_common.openapi), a body that is not the
envelope fails `response_schema_conformance`.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from finscribe_common.services import SERVICES

pytestmark = [pytest.mark.fullstack, pytest.mark.mysql, pytest.mark.slow]

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
SEED = int(os.environ.get("FUZZ_SEED", "20261130"))
CHECKS = ",".join(
    [
        "no_internal_error",
        "error_envelope",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "missing_required_header",
        "unsupported_method",
    ]
)


def _headers(name: str, stack_env: dict, token: str) -> list[str]:
    if name == "gateway":
        return ["-H", f"Authorization: Bearer {token}"]
    return ["-H", f"X-Internal-Token: {stack_env['FINSCRIBE_INTERNAL_TOKEN']}"]


@pytest.mark.parametrize("name", list(SERVICES))
def test_no_5xx_and_no_envelope_violation(name, stack, stack_env, fuzz_token, tmp_path: Path):
    report = tmp_path / "report.xml"
    args = [
        str(Path(sys.executable).with_name("st")),
        "run",
        f"{stack.url(name)}/openapi.json",
        *_headers(name, stack_env, fuzz_token),
        "--checks",
        CHECKS,
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        # one worker: hypothesis's lambda descriptions are not thread-safe on Python 3.11
        # ("AST constructor recursion depth mismatch" from two workers)
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-shrink",
        "--suppress-health-check",
        "all",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "hooks", "PYTHONPATH": str(Path(__file__).parent)}
    done = subprocess.run(args, capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)
    output = done.stdout[-20000:] + done.stderr[-5000:]
    # the run's own summary (operations, phases, test cases generated) for the record
    artifacts = Path(__file__).resolve().parent.parent / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    summary = done.stdout[done.stdout.rfind("SUMMARY") :] if "SUMMARY" in done.stdout else done.stdout[-3000:]
    (artifacts / f"fuzz-{name}.txt").write_text(summary, encoding="utf-8")
    assert done.returncode == 0, f"schemathesis found problems in {name}:\n{output}\n{stack.tail(name, 60)}"
