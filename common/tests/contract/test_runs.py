"""The run contract: one set of limits for the gateway, the orchestrator and the panel."""

import datetime as dt

import pytest
from pydantic import ValidationError

from finscribe_common.contract import export
from finscribe_common.contract.runs import (
    DraftRunRequest,
    RewriteRun,
    build_run_request,
    run_create_adapter,
    run_request_adapter,
)
from finscribe_testkit.common.fixtures import repo_root


def test_committed_schema_is_the_models() -> None:
    committed = (repo_root() / export.SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == export.render(), "run `.venv/bin/python -m finscribe_common.contract.export`"


@pytest.mark.parametrize(
    ("body", "loc_part"),
    [
        ({"kind": "rewrite", "options": {"text": "가" * 20_001, "mode": "polish"}}, "text"),
        ({"kind": "rewrite", "options": {"text": "x", "mode": "polish", "target_chars": 19}}, "target_chars"),
        ({"kind": "draft", "prompt": "x", "options": {"sections": ["s"] * 13}}, "sections"),
        ({"kind": "draft", "prompt": "x", "options": {"sections": ["가" * 201]}}, "sections"),
        ({"kind": "draft", "prompt": "x", "options": {"company": "가" * 101}}, "company"),
        ({"kind": "draft", "prompt": "x", "options": {"unknown": 1}}, "unknown"),
        ({"kind": "ask", "prompt": "x" * 8_001}, "prompt"),
        ({"kind": "ask", "prompt": " "}, "ask"),
        ({"kind": "chart", "options": {"file_id": "../x"}}, "file_id"),
        ({"kind": "chart", "prompt": ""}, "chart"),
        ({"kind": "draft", "prompt": ""}, "draft"),
        ({"kind": "poem", "prompt": "x"}, "kind"),
    ],
)
def test_refusals(body: dict, loc_part: str) -> None:
    with pytest.raises(ValidationError) as caught:
        run_create_adapter.validate_python(body)
    where = " ".join(".".join(map(str, e["loc"])) + " " + e["msg"] for e in caught.value.errors())
    assert loc_part in where


@pytest.mark.parametrize("kind", ["draft", "paragraph", "chart", "ask"])
@pytest.mark.parametrize("as_of", ["0001-01-01", "1995-05-01", "9999-12-31"])
def test_an_as_of_outside_the_data_is_refused(kind: str, as_of: str) -> None:
    # 0001-01-01 overflowed the orchestrator's date arithmetic (internal_error mid-run)
    body = {"kind": kind, "prompt": "x", "options": {"company": "삼성전자", "as_of": as_of}}
    with pytest.raises(ValidationError) as caught:
        run_create_adapter.validate_python(body)
    assert "as_of must lie between 1995-05-02" in str(caught.value)


def test_as_of_limits_are_inclusive() -> None:
    latest = dt.date(dt.date.today().year + 1, 12, 31)
    for as_of in (dt.date(1995, 5, 2), latest):
        run = run_create_adapter.validate_python(
            {"kind": "ask", "prompt": "x", "options": {"as_of": as_of.isoformat()}}
        )
        assert run.options.as_of == as_of
    too_late = (latest + dt.timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError):
        run_create_adapter.validate_python({"kind": "ask", "prompt": "x", "options": {"as_of": too_late}})


def test_limits_are_inclusive() -> None:
    run = run_create_adapter.validate_python(
        {"kind": "rewrite", "prompt": "", "options": {"text": "가" * 20_000, "mode": "formal", "target_chars": 20_000}}
    )
    assert isinstance(run, RewriteRun)
    draft = run_create_adapter.validate_python(
        {"kind": "draft", "prompt": "p" * 8_000, "options": {"sections": ["s"] * 12, "as_of": "2024-09-30"}}
    )
    assert draft.options.as_of == dt.date(2024, 9, 30)


def test_the_orchestrator_request_is_the_public_request_plus_context() -> None:
    run = run_create_adapter.validate_python({"kind": "draft", "options": {"company": "삼성전자", "length": "short"}})
    request = build_run_request(
        run,
        run_id="r1",
        user={"sub": "1234"},
        session_id="s1",
        rag_collection="u1234-s1",
        files=[
            {"file_id": "f" * 32, "kind": "pdf", "url": "http://gw/internal/v1/files/x/content", "status": "indexed"}
        ],
        history=[],
    )
    assert isinstance(request, DraftRunRequest)
    wire = request.model_dump(mode="json", exclude_none=True)
    again = run_request_adapter.validate_python(wire)
    assert again == request
    assert wire["options"] == {"company": "삼성전자", "length": "short", "language": "ko", "review_outline": False}
    with pytest.raises(ValidationError):
        build_run_request(run, run_id="r1", user={"sub": "1"}, rag_collection="../bad")


@pytest.mark.parametrize(
    "options",
    [
        {"companies": ["삼성전자"]},  # a comparison needs two
        {"companies": ["a", "b", "c", "d", "e", "f"]},  # at most five
        {"companies": ["기아", " 기아 "]},  # the same company twice
        {"companies": ["NAVER", "naver"]},
        {"companies": ["기아", ""]},
        {"companies": ["기아", "가" * 101]},
        {"companies": ["기아", "현대차"], "company": "기아"},  # one or several, not both
        {"companies": ["기아", "현대차"], "sections": ["요약"]},
    ],
)
def test_peer_companies_outside_the_contract_are_refused(options: dict) -> None:
    with pytest.raises(ValidationError):
        run_create_adapter.validate_python({"kind": "draft", "prompt": "", "options": options})


def test_two_to_five_companies_make_a_draft_without_a_prompt() -> None:
    run = run_create_adapter.validate_python(
        {
            "kind": "draft",
            "prompt": "",
            "options": {"companies": [" 현대자동차", "기아 "], "template": "peer_comparison"},
        }
    )
    assert run.options.companies == ["현대자동차", "기아"]  # type: ignore[union-attr]
    five = run_create_adapter.validate_python({"kind": "draft", "options": {"companies": list("abcde")}})
    assert len(five.options.companies or []) == 5  # type: ignore[union-attr]
