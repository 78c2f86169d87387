"""A scripted LLM for tests and benchmarks, served by the shared OpenAI-protocol fake (`FakeOpenAI`).

It answers each task the way a careful model would, from what the prompt shows it: the
outline lists sections; a section quotes figures from the prompt's data block with their
`[n]`; grading marks every shown passage relevant; a chart spec picks catalog ids; ask
first calls a tool, then answers from the tool's data block. Knobs plant faults (a wrong
number in a section, an invalid outline, an outage) and set a per-call latency.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from finscribe_testkit.common.fake_openai import FakeOpenAI, Reply, Server

_DATA_LINE = re.compile(r"^\[(\d+)\] (.+)$")
# the language line of every writing prompt ("작성 언어: English ...", "답변 언어: English", "언어: 영어(English)")
_ENGLISH = re.compile(r"언어: (?:English|영어)")
ENGLISH_SECTIONS = {"개요": "Overview", "주가 동향": "Share price", "실적 및 재무": "Results"}


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    return list(body.get("messages") or [])


def _text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content or "")


def data_lines(prompt: str) -> list[tuple[int, str]]:
    """(n, line) for every figure line of a data block: `[n] title` then `- line` lines."""
    lines: list[tuple[int, str]] = []
    current: int | None = None
    for raw in prompt.splitlines():
        head = _DATA_LINE.match(raw.strip())
        if head:
            current = int(head.group(1))
            continue
        if current is not None and raw.startswith("- "):
            lines.append((current, raw[2:].strip()))
    return lines


_SCHEMA_MARK = "JSON Schema:\n"


def schema_name(body: dict[str, Any], system: str) -> str | None:
    """Which structured answer is asked for, in whichever shape the request reached the server:
    `json_schema` (its name), `json_object` + schema (the schema's title), or the schema as an
    instruction in the system prompt (what the router sends a server that cannot enforce one)."""
    response_format = body.get("response_format") or {}
    named = (response_format.get("json_schema") or {}).get("name")
    if named:
        return str(named)
    title = (response_format.get("schema") or {}).get("title")
    if title:
        return str(title)
    at = system.find(_SCHEMA_MARK)
    if at == -1:
        return None
    try:
        schema, _ = json.JSONDecoder().raw_decode(system, at + len(_SCHEMA_MARK))
    except ValueError:
        return None
    return str(schema.get("title")) if isinstance(schema, dict) and schema.get("title") else None


@dataclass
class ScriptedLLM:
    sections: list[str] = field(default_factory=lambda: ["개요", "주가 동향", "실적 및 재무"])
    latency: float = 0.0  # seconds before each answer starts
    chunk_delay: float = 0.0
    plant_wrong_number: str | None = None  # a section title whose first draft carries a number not in the data
    wrong_number: str = "영업이익은 987조 6,543억원입니다"
    # sentences a model might write, put at the head of the `plant_wrong_number` section verbatim;
    # `{title words}` becomes the [n] of the data block whose title contains those words
    planted: str | None = None
    planted_again: bool = False  # the "model" repeats the planted sentences when asked to fix them
    invalid_outline: bool = False
    status: int = 200  # e.g. 503 to play a router with no provider
    error_code: str = "not_configured"
    calls: dict[str, int] = field(default_factory=dict)
    section_titles: list[str] = field(default_factory=list)  # the section of every section call, in order
    section_prompts: list[str] = field(default_factory=list)
    section_latency: dict[str, float] = field(default_factory=dict)  # seconds before a section's answer, by title
    server: Server = "openai"  # which server's request shapes the fake takes (see FakeOpenAI)
    fake: FakeOpenAI = field(init=False)

    def __post_init__(self) -> None:
        self.fake = FakeOpenAI(self.respond, server=self.server)

    @property
    def app(self) -> Any:
        return self.fake.app

    def _count(self, task: str) -> None:
        self.calls[task] = self.calls.get(task, 0) + 1

    def respond(self, body: dict[str, Any]) -> Reply:
        messages = _messages(body)
        system = _text(messages[0]) if messages else ""
        user = "\n".join(_text(m) for m in messages[1:] if m.get("role") in ("user", "tool"))
        reply = self._answer(body, system, user, messages)
        reply.delay = reply.delay or self.latency
        reply.chunk_delay = reply.chunk_delay or self.chunk_delay
        return reply

    def _answer(self, body: dict[str, Any], system: str, user: str, messages: list[dict[str, Any]]) -> Reply:
        if self.status != 200:
            self._count("error")
            return Reply(status=self.status, error_message=f"{self.error_code}: scripted")
        schema = schema_name(body, system)
        if schema == "Outline":
            self._count("outline")
            if self.invalid_outline:
                return Reply(content='{"title": "제목"}')
            return Reply(content=self.outline(english=bool(_ENGLISH.search(user))))
        if schema == "Grade":
            self._count("grade")
            numbers = sorted({n for n, _ in data_lines(user)})
            return Reply(content=json.dumps({"relevant_sources": numbers, "sufficient": True, "better_query": ""}))
        if schema == "Verdict":
            self._count("verify")
            return Reply(content=json.dumps({"supported": True, "unsupported_claims": []}))
        if schema == "ChartSpec":
            self._count("chart_spec")
            return Reply(content=self.chart_spec(user))
        if body.get("tools"):
            self._count("answer")
            if not any(m.get("role") == "tool" for m in messages):
                company = re.search(r"대상 회사\(지정된 경우\): (\S+)", user)
                name = company.group(1) if company and "지정 없음" not in company.group(1) else "삼성전자"
                return Reply(tool_calls=[{"name": "stock_prices", "arguments": {"company": name, "days": 365}}])
            return Reply(content=self.grounded_text(user, sentences=2))
        if system.startswith("당신은 한국 상장사에 대한 질문에 답하는"):  # ask without tools: data in the prompt
            self._count("answer")
            return Reply(content=self.grounded_text(user, sentences=2))
        if system.startswith("당신은 금융 문서 편집자"):
            self._count("rewrite")
            original = re.search(r"<원문>\n(.*)\n</원문>", user, re.S)
            return Reply(content=(original.group(1) if original else ""), chunk_chars=12)
        if "방금 쓴 섹션에서" in user or "사실 확인 결과" in user:
            self._count("regenerate")
            text = self.grounded_text(user)
            if self.planted and self.planted_again:
                text = self.fill(self.planted, user) + " " + text
            return Reply(content=text)
        self._count("section")
        text = self.grounded_text(user)
        title = re.search(r"이 섹션: (.+)", user)
        self.section_titles.append(title.group(1).strip() if title else "")
        self.section_prompts.append(user)
        delay = self.section_latency.get(self.section_titles[-1], 0.0)
        if self.plant_wrong_number and title and title.group(1).strip() == self.plant_wrong_number:
            if self.planted:
                text = self.fill(self.planted, user) + " " + text
            else:
                first_n = (data_lines(user) or [(1, "")])[0][0]
                text = f"{self.wrong_number} [{first_n}]. " + text
        return Reply(content=text, chunk_chars=16, delay=delay)

    @staticmethod
    def fill(template: str, prompt: str) -> str:
        """`{재무지표}` -> the [n] of the data block whose title contains '재무지표'."""
        titles = [(int(m.group(1)), m.group(2)) for m in re.finditer(r"^\[(\d+)\] (.+)$", prompt, re.M)]

        def number(match: re.Match[str]) -> str:
            words = match.group(1)
            return next((str(n) for n, title in titles if words in title), "0")

        return re.sub(r"\{([^{}]+)\}", number, template)

    def outline(self, english: bool = False) -> str:
        """Titles in the language the prompt asks for (a model follows it: the scripted one knows
        its three default sections in English)."""
        titles = [ENGLISH_SECTIONS.get(t, t) if english else t for t in self.sections]
        sections = [{"title": t, "purpose": f"{t}을 설명한다", "data": []} for t in titles]
        title = "Scripted report" if english else "스크립트 보고서"
        return json.dumps({"title": title, "sections": sections}, ensure_ascii=False)

    def grounded_text(self, prompt: str, sentences: int = 3) -> str:
        """Sentences that restate figure lines of the data block, each with its [n], in the
        language the prompt asks for (the data lines are already in it)."""
        english = bool(_ENGLISH.search(prompt))
        lines = data_lines(prompt)
        if not lines:
            return "Not found in the data." if english else "제공된 데이터에서 확인되지 않습니다."
        chosen = lines[:sentences]
        if english:
            return " ".join(f"{line.rstrip('.')} [{n}]." for n, line in chosen)
        return " ".join(f"{line.rstrip('.')}입니다 [{n}]." for n, line in chosen)

    def chart_spec(self, prompt: str) -> str:
        english = bool(_ENGLISH.search(prompt))
        refs = re.findall(r"^- ([\w.가-힣 ()%/-]+?): ", prompt, re.M)
        ref = refs[0] if refs else "price.close"
        spec = {
            "type": "line",
            "title": "Scripted chart" if english else "스크립트 차트",
            "series": [{"ref": ref, "label": ref.split(".", 1)[-1], "axis": "left"}],
            "x_ref": None,
            "period_start": None,
            "period_end": None,
            "unit_left": "원",
            "unit_right": None,
        }
        return json.dumps(spec, ensure_ascii=False)
