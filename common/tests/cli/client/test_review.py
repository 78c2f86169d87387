"""`finscribe draft --review`: the option, the edited document, the user's editor."""

import io
import json
import sys

import pytest
from pydantic import ValidationError

from finscribe_common.cli import build_parser
from finscribe_common.cli.client.commands import run_body
from finscribe_common.cli.client.review import EDITOR_SENTINEL, answer_for, editable, parse_answer

PROPOSAL = {
    "title": "삼성전자 기업 분석 보고서",
    "sections": [
        {"section_id": "s1", "title": "개요", "purpose": "규모", "data": ["market_cap"], "instructions": ""},
        {"section_id": "s2", "title": "주가 동향", "purpose": "주가", "data": ["price"], "instructions": ""},
    ],
    "datasets": [{"key": "market_cap", "title": "삼성전자 시가총액"}, {"key": "price", "title": "삼성전자 일별 주가"}],
}


def test_review_turns_the_option_on_with_the_editor_or_a_file() -> None:
    parser = build_parser()
    editor = parser.parse_args(["draft", "--company", "삼성전자", "--review"])
    assert editor.review == EDITOR_SENTINEL and run_body(editor)["options"]["review_outline"] is True
    from_file = parser.parse_args(["draft", "--company", "삼성전자", "--review", "outline.json"])
    assert from_file.review == "outline.json"
    assert run_body(parser.parse_args(["draft", "--company", "삼성전자"]))["options"]["review_outline"] is False


def test_the_edited_document_or_a_bare_outline_becomes_the_resume_body() -> None:
    document = editable(PROPOSAL)
    assert set(document) == {"help", "datasets", "outline"}
    document["outline"]["sections"].reverse()
    answer = parse_answer(json.dumps(document, ensure_ascii=False))
    assert [s.title for s in answer.outline.sections] == ["주가 동향", "개요"]  # type: ignore[union-attr]
    bare = parse_answer(json.dumps({"sections": [{"title": "결론", "instructions": "한 문단"}]}))
    assert bare.outline is not None and bare.outline.sections[0].instructions == "한 문단"
    with pytest.raises(ValidationError):
        parse_answer(json.dumps({"sections": []}))
    with pytest.raises(ValidationError):
        parse_answer(json.dumps({"sections": [{"title": "x", "run": "rm -rf /"}]}))
    with pytest.raises(ValueError):
        parse_answer("[1, 2]")


def test_the_users_editor_edits_the_outline(tmp_path, monkeypatch) -> None:
    # a real editor process: a script that renames the first section and drops the second
    script = tmp_path / "editor.py"
    script.write_text(
        "import json, sys\n"
        "p = sys.argv[1]\n"
        "d = json.load(open(p, encoding='utf-8'))\n"
        "d['outline']['sections'] = d['outline']['sections'][:1]\n"
        "d['outline']['sections'][0]['title'] = '회사 개요'\n"
        "json.dump(d, open(p, 'w', encoding='utf-8'), ensure_ascii=False)\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    answer = answer_for(PROPOSAL, EDITOR_SENTINEL)
    assert answer.outline is not None
    assert [(s.section_id, s.title) for s in answer.outline.sections] == [("s1", "회사 개요")]
    path = tmp_path / "outline.json"
    path.write_text(json.dumps({"outline": {"sections": [{"title": "실적"}]}}), encoding="utf-8")
    assert answer_for(PROPOSAL, str(path)).outline.sections[0].title == "실적"  # type: ignore[union-attr]


class _ResumingGateway:
    """A gateway whose draft waits for a review, then resumes: the orchestrator runs resolve and
    gather again on resume, so the resumed stream repeats gather's warnings (as the real one does)."""

    def __init__(self) -> None:
        self.resumed: list[dict] = []

    @staticmethod
    async def _events(*events: tuple[str, dict]):
        from finscribe_common.sse import SseEvent

        for kind, data in events:
            yield SseEvent(kind, json.dumps({"run_id": "r1", **data}, ensure_ascii=False))

    def stream_run(self, session_id: str, body: dict):
        return self._events(
            ("warning", WARNING),
            ("outline.review", PROPOSAL),
            ("run.waiting", {}),
        )

    def resume_run(self, run_id: str, body: dict):
        self.resumed.append(body)
        result = {"markdown": "# 보고서", "warnings": [WARNING], "demo": False}
        return self._events(("warning", WARNING), ("warning", OTHER), ("run.completed", {"result": result}))


WARNING = {"code": "source_unavailable", "message": "KRX 시세 데이터 일부를 가져오지 못해 빼고 작성했습니다."}
OTHER = {"code": "llm_unavailable", "message": "모델 없이 데이터로만 작성했습니다."}


async def test_a_reviewed_draft_prints_each_warning_once(tmp_path, monkeypatch) -> None:
    from finscribe_common.cli.client import commands
    from finscribe_common.cli.client.progress import Progress

    shown = io.StringIO()
    monkeypatch.setattr(commands, "Progress", lambda live_text=None: Progress(stream=shown, live_text=live_text))
    outline = tmp_path / "outline.json"
    outline.write_text(json.dumps({"sections": [{"title": "개요"}]}, ensure_ascii=False), encoding="utf-8")
    args = build_parser().parse_args(["draft", "--company", "삼성전자", "--review", str(outline)])
    gateway = _ResumingGateway()
    assert await commands._stream(gateway, "s1", args) == 0  # type: ignore[arg-type]
    err = shown.getvalue()
    assert gateway.resumed and err.count("warning [source_unavailable]") == 1, err
    assert err.count("warning [llm_unavailable]") == 1, err  # a new warning of the resumed part still shows
