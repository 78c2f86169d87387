"""The client subcommands and how their answers are shown."""

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from pydantic import ValidationError

from finscribe_common.cli.client.api import GatewayClient, GatewayError, default_token
from finscribe_common.cli.client.progress import Progress
from finscribe_common.cli.client.review import EDITOR_SENTINEL, answer_for
from finscribe_common.contract.runs import run_create_adapter
from finscribe_common.contract.templates import PEER_TEMPLATE_ID, builtin_templates
from finscribe_common.demo.label import DEMO_NOTICE, DEMO_NOTICE_EN
from finscribe_common.sse import SseEvent

EXIT_OK, EXIT_RUN_FAILED, EXIT_ERROR, EXIT_UNREACHABLE = 0, 1, 2, 3


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gateway",
        default=os.environ.get("FINSCRIBE_GATEWAY_URL", "http://127.0.0.1:8000"),
        help="gateway URL (default: the local `make run` stack)",
    )
    parser.add_argument(
        "--token", default=None, help="bearer token (default FINSCRIBE_TOKEN, else dev auth as dev:<you>@example.com)"
    )
    parser.add_argument(
        "--doc",
        default=os.environ.get("FINSCRIBE_DOC", "cli"),
        help="document id the session belongs to (default 'cli')",
    )


def _run_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, help="write the markdown here and chart PNGs beside it")
    parser.add_argument("--json", action="store_true", help="print the raw result JSON")


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    draft = sub.add_parser(
        "draft",
        help="draft a whole report on a company, or a peer comparison of 2-5 "
        "(--template peer_comparison --company 현대자동차 --company 기아)",
    )
    draft.add_argument("prompt", nargs="?", default="", help="what the report should cover")
    named = draft.add_mutually_exclusive_group(required=True)
    named.add_argument(
        "--company",
        action="append",
        dest="company_list",
        help="company name or ticker, e.g. 삼성전자 or 005930; repeat it (2-5 times) for a peer comparison",
    )
    named.add_argument("--companies", help="a peer comparison's 2-5 companies, comma-separated: 삼성전자,SK하이닉스")
    draft.add_argument("--length", choices=["short", "standard", "long"], default="standard")
    draft.add_argument("--language", choices=["ko", "en"], default="ko")
    draft.add_argument("--section", action="append", dest="sections", help="a section title (repeatable)")
    draft.add_argument("--as-of", help="YYYY-MM-DD")
    draft.add_argument(
        "--review",
        nargs="?",
        const=EDITOR_SENTINEL,
        metavar="OUTLINE.json",
        help="approve the outline before anything is written: edit it in $EDITOR, or give a JSON file",
    )
    draft.add_argument("--template", help="a report template id (see `finscribe templates`)")
    resume = sub.add_parser("resume", help="answer the outline review of a waiting draft (see `history`)")
    resume.add_argument("run_id")
    resume.add_argument(
        "--review",
        default=EDITOR_SENTINEL,
        metavar="OUTLINE.json",
        help="the outline as a JSON file (default: $EDITOR)",
    )
    paragraph = sub.add_parser("paragraph", help="write one grounded paragraph (from your uploaded PDFs)")
    paragraph.add_argument("prompt")
    paragraph.add_argument("--company")
    paragraph.add_argument("--no-files", action="store_true", help="do not use the session's PDFs")
    paragraph.add_argument("--language", choices=["ko", "en"], default="ko")
    paragraph.add_argument("--as-of", help="YYYY-MM-DD")
    rewrite = sub.add_parser("rewrite", help="rewrite text (summarize, expand, polish, formal, translate)")
    rewrite.add_argument("text", nargs="?", help="the text (or --file, or stdin)")
    rewrite.add_argument("--file", type=Path)
    rewrite.add_argument(
        "--mode", default="polish", choices=["summarize", "expand", "polish", "formal", "translate_ko", "translate_en"]
    )
    rewrite.add_argument("--target-chars", type=int)
    rewrite.add_argument(
        "--language",
        choices=["ko", "en"],
        default="ko",
        help="of the run's title, warnings and steps (the text's own follows --mode)",
    )
    chart = sub.add_parser("chart", help="draw a chart from market data or an uploaded CSV")
    chart.add_argument("prompt")
    chart.add_argument("--company")
    chart.add_argument("--file-id", help="an uploaded CSV's file_id")
    chart.add_argument("--as-of", help="YYYY-MM-DD")
    chart.add_argument(
        "--language", choices=["ko", "en"], default="ko", help="of the title, axes, legend and data table"
    )
    ask = sub.add_parser("ask", help="ask a question (uses this session's earlier runs)")
    ask.add_argument("prompt")
    ask.add_argument("--company")
    ask.add_argument("--language", choices=["ko", "en"], default="ko")
    ask.add_argument("--as-of", help="YYYY-MM-DD")
    for parser in (draft, resume, paragraph, rewrite, chart, ask):
        _common(parser)
        _run_output(parser)
        parser.set_defaults(handler=run_command)
    history = sub.add_parser("history", help="this session's runs, newest first")
    _common(history)
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=run_command)
    templates = sub.add_parser("templates", help="report templates: list, save your own (JSON file), delete")
    _common(templates)
    templates.add_argument("--save", type=Path, metavar="TEMPLATE.json", help="save a template for your account")
    templates.add_argument("--delete", metavar="ID", help="delete one of your saved templates")
    templates.add_argument("--json", action="store_true")
    templates.set_defaults(handler=run_command)
    upload = sub.add_parser("upload", help="upload a PDF (indexed for paragraphs) or a CSV (for charts)")
    upload.add_argument("file", type=Path)
    _common(upload)
    upload.set_defaults(handler=run_command)


def run_body(args: argparse.Namespace) -> dict[str, Any]:
    """The run request for the command, checked against the kit's run contract (the
    gateway's own rules) so a bad one is refused before anything is sent; raises
    pydantic's ValidationError."""
    body = _raw_body(args)
    return run_create_adapter.validate_python(body).model_dump(mode="json", exclude_none=True)


def draft_companies(args: argparse.Namespace) -> list[str]:
    """The companies a draft names: every `--company`, or `--companies` split at commas (the
    parser requires one of them). Raises SystemExit when they name none (`--companies ,`)."""
    names = [*(args.company_list or []), *(args.companies or "").split(",")]
    names = [name.strip() for name in names if name.strip()]
    if not names:
        raise SystemExit("finscribe draft: name a company (--company), or 2-5 for a peer comparison")
    return names


# the built-in whose title says what a one-company draft without a template writes
COMPANY_TEMPLATE_ID = "company_analysis"


def default_draft_prompt(names: list[str], template: str | None, language: str) -> str:
    """What a draft asks when the command line gives no prompt (it is the run's line in
    history): the template's report title over the companies in the run's language, e.g.
    "기아 실적 리뷰", "현대자동차·기아 비교 분석", "Kia earnings review". No template: a company
    analysis of one company, a peer comparison of several (the gateway's defaults); a user's
    saved template (not known here): "<companies> 보고서" / "<companies> report"."""
    joined = ("·" if language == "ko" else ", ").join(names)
    chosen = template or (COMPANY_TEMPLATE_ID if len(names) == 1 else PEER_TEMPLATE_ID)
    known = builtin_templates().get(chosen)
    if known is None:
        return f"{joined} 보고서" if language == "ko" else f"{joined} report"
    return known.report_title(joined, language)


def _raw_body(args: argparse.Namespace) -> dict[str, Any]:
    kind = args.command
    if kind == "draft":
        names = draft_companies(args)
        options: dict[str, Any] = {"length": args.length, "language": args.language}
        # one company: a report on it; several: a peer comparison (the gateway's default template)
        options.update({"company": names[0]} if len(names) == 1 else {"companies": names})
        if args.sections:
            options["sections"] = args.sections
        if args.as_of:
            options["as_of"] = args.as_of
        if args.review:
            options["review_outline"] = True
        if args.template:
            options["template"] = args.template
        prompt = args.prompt or default_draft_prompt(names, args.template, args.language)
    elif kind == "paragraph":
        options = {"use_files": not args.no_files, "language": args.language}
        if args.company:
            options["company"] = args.company
        prompt = args.prompt
    elif kind == "rewrite":
        text = args.text
        if args.file:
            text = args.file.read_text(encoding="utf-8")
        elif text is None:
            text = sys.stdin.read()
        options = {"text": text, "mode": args.mode, "language": args.language}
        if args.target_chars:
            options["target_chars"] = args.target_chars
        prompt = f"rewrite: {args.mode}"
    elif kind == "chart":
        options = {k: v for k, v in {"company": args.company, "file_id": args.file_id}.items() if v}
        options["language"] = args.language
        prompt = args.prompt
    else:
        options = {"company": args.company} if args.company else {}
        options["language"] = args.language
        prompt = args.prompt
    if kind in ("paragraph", "chart", "ask") and args.as_of:
        options["as_of"] = args.as_of
    return {"kind": kind, "prompt": prompt, "options": options}


_HINTED = frozenset(
    {
        "unreachable",
        "not_configured",
        "rate_limited",
        "unauthenticated",
        "upstream_error",
        "upstream_timeout",
        "unavailable",
        "too_large",
        "not_found",
    }
)


def explain(error: GatewayError, gateway: str) -> str:
    by_status = {401: "unauthenticated", 413: "too_large", 429: "rate_limited"}
    code = error.code if error.code in _HINTED else by_status.get(error.status, error.code)
    hints = {
        "unreachable": f"cannot reach the gateway at {gateway}. Is `make run` running?",
        "not_configured": f"not configured: {error.message}",
        "rate_limited": f"rate limited: {error.message}"
        + (f" (retry in {error.retry_after} s)" if error.retry_after else ""),
        "unauthenticated": f"the gateway refused the token: {error.message}. Set FINSCRIBE_TOKEN or --token.",
        "upstream_error": f"an upstream service failed: {error.message}",
        "upstream_timeout": f"an upstream service timed out: {error.message}",
        "unavailable": f"a service is unavailable: {error.message}",
        "too_large": f"too large: {error.message}",
        "not_found": f"not found: {error.message}",
    }
    text = hints.get(code, f"{error.code}: {error.message}")
    return text + (f" [request {error.request_id}]" if error.request_id else "")


async def save_outputs(client: GatewayClient, result: dict[str, Any], out: Path) -> list[Path]:
    """Write the markdown and each chart's PNG beside it. A chart that cannot be fetched
    (expired link, a public URL this machine cannot reach) keeps its URL in the markdown
    and gets a warning on stderr; the report is written all the same."""
    markdown = str(result.get("markdown", ""))
    images: list[tuple[Path, bytes]] = []
    for index, chart in enumerate(result.get("charts") or [], start=1):
        url = chart.get("url")
        if not url:
            continue
        try:
            content = await client.download(url)
        except (GatewayError, httpx.HTTPError) as exc:
            reason = str(exc) or type(exc).__name__
            print(f"warning: chart {index} could not be fetched from {url} ({reason}); kept as a link", file=sys.stderr)
            continue
        png = out.with_name(f"{out.stem}-chart-{index}.png")
        images.append((png, content))
        markdown = link_chart(markdown, index, url, png.name, str(chart.get("title") or f"chart {index}"))
    return await asyncio.to_thread(_write_files, out, markdown, images)


_CHART_PLACEHOLDER = r"\*\[(?:차트|Chart) {index}: [^\]]*\]\*"


def link_chart(markdown: str, index: int, url: str, file_name: str, title: str) -> str:
    """Point the markdown at the chart file: its URL if the markdown has it, else the
    orchestrator's `*[차트 n: title]*` placeholder, else a line at the end."""
    image = f"![{title}]({file_name})"
    if url in markdown:
        return markdown.replace(url, file_name)
    replaced, count = re.subn(_CHART_PLACEHOLDER.format(index=index), lambda _: image, markdown)
    if count:
        return replaced
    return markdown.rstrip("\n") + f"\n\n{image}\n"


def _write_files(out: Path, markdown: str, images: list[tuple[Path, bytes]]) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    for path, content in images:
        path.write_bytes(content)
    out.write_text(markdown, encoding="utf-8")
    return [out, *(path for path, _ in images)]


class _Outcome:
    """How one event stream ended: a result, a failure, or an outline waiting for review."""

    def __init__(self) -> None:
        self.result: dict[str, Any] | None = None
        self.failure: dict[str, Any] | None = None
        self.review: dict[str, Any] | None = None
        self.run_id: str | None = None
        self.waiting = False


async def _consume(events: AsyncIterator[SseEvent], progress: Progress) -> _Outcome:
    outcome = _Outcome()
    async for event in events:
        data = event.json()
        outcome.run_id = data.get("run_id") or outcome.run_id
        if event.event == "step":
            progress.step(data)
        elif event.event == "section.delta":
            progress.section_delta(data)
        elif event.event == "section.done":
            progress.section_done(data)
        elif event.event == "warning":
            progress.warning(data)
        elif event.event == "outline.review":
            outcome.review = data
        elif event.event == "run.waiting":
            outcome.waiting = True
        elif event.event == "run.completed":
            outcome.result = data.get("result") or {}
        elif event.event == "run.failed":
            outcome.failure = data.get("error") or {}
    return outcome


async def _review_loop(client: GatewayClient, outcome: _Outcome, source: str, progress: Progress) -> _Outcome:
    """Answer outline reviews until the run ends (one review per draft today)."""
    while outcome.waiting and outcome.run_id:
        proposal = outcome.review or {}
        try:
            answer = await asyncio.to_thread(answer_for, proposal, source)
        except (ValueError, ValidationError, OSError, subprocess.CalledProcessError) as exc:
            print(
                f"outline not sent ({exc}); the run still waits: `finscribe resume {outcome.run_id}`", file=sys.stderr
            )
            return outcome
        body = answer.model_dump(mode="json", exclude_none=True)
        outcome = await _consume(client.resume_run(outcome.run_id, body), progress)
    return outcome


async def _stream(client: GatewayClient, session_id: str, args: argparse.Namespace) -> int:
    progress = Progress(live_text=None if not args.json else False)
    try:
        body = run_body(args)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in exc.errors())
        print(f"invalid request: {problems}", file=sys.stderr)
        return EXIT_ERROR
    outcome = await _consume(client.stream_run(session_id, body), progress)
    if outcome.waiting:
        outcome = await _review_loop(client, outcome, args.review or EDITOR_SENTINEL, progress)
    return await _report(client, outcome, args, progress)


async def _resume(client: GatewayClient, args: argparse.Namespace) -> int:
    progress = Progress(live_text=None if not args.json else False)
    run = await client.run(args.run_id)
    if run.get("status") != "waiting":
        print(f"run {args.run_id} is not waiting for a review ({run.get('status')})", file=sys.stderr)
        return EXIT_ERROR
    outcome = _Outcome()
    outcome.run_id, outcome.review, outcome.waiting = args.run_id, run.get("review") or {}, True
    return await _report(client, await _review_loop(client, outcome, args.review, progress), args, progress)


async def _report(client: GatewayClient, outcome: _Outcome, args: argparse.Namespace, progress: Progress) -> int:
    result, failure = outcome.result, outcome.failure
    progress.finish()
    if outcome.waiting:  # not answered (the reason was printed); the run waits at the gateway
        return EXIT_RUN_FAILED
    if failure is not None:
        print(f"run failed: {failure.get('code', 'error')}: {failure.get('message', '')}", file=sys.stderr)
        return EXIT_RUN_FAILED
    if result is None:
        print("the event stream ended without a result; fetch it later with `finscribe history`", file=sys.stderr)
        return EXIT_RUN_FAILED
    if result.get("demo") is True:
        # on stderr too, so it shows whatever stdout is piped into; in the document's language
        print(demo_line(result, getattr(args, "language", None)), file=sys.stderr)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif args.out:
        for path in await save_outputs(client, result, args.out):
            print(f"wrote {path}")
    else:
        print(result.get("markdown", ""))
    if result.get("warnings") and not args.json:
        print(f"{len(result['warnings'])} warning(s); see --json for details", file=sys.stderr)
    return EXIT_OK


def demo_line(result: dict[str, Any], language: str | None) -> str:
    """The CLI's line for a demo result, in the language of its notice (a resumed run has no
    --language: the notice the result starts with tells)."""
    english = str(result.get("markdown", "")).startswith(f"> {DEMO_NOTICE_EN}") or (
        language == "en" and not str(result.get("markdown", "")).startswith(f"> {DEMO_NOTICE}")
    )
    if english:
        return f"[DEMO] {DEMO_NOTICE_EN}: recorded data, not live"
    return f"[DEMO] {DEMO_NOTICE}: 실시간 데이터가 아닌 기록된 데이터입니다"


async def _templates(client: GatewayClient, args: argparse.Namespace) -> int:
    if args.save:
        body = json.loads(args.save.read_text(encoding="utf-8"))
        saved = await client.request_json("POST", "/v1/templates", json=body)
        print(f"saved {saved['id']}  {saved['name']}")
        return EXIT_OK
    if args.delete:
        await client.request_json("DELETE", f"/v1/templates/{args.delete}")
        print(f"deleted {args.delete}")
        return EXIT_OK
    items = (await client.request_json("GET", "/v1/templates"))["items"]
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return EXIT_OK
    for item in items:
        titles = " / ".join(s["title"] for s in item["sections"])
        print(f"{item['id']:<36} {item['name']:<12} {titles}")
    return EXIT_OK


def _history_rows(listing: Any) -> list[dict[str, Any]]:
    if isinstance(listing, dict):
        for key in ("runs", "items", "data"):
            rows = listing.get(key)
            if isinstance(rows, list):
                return rows
    return listing if isinstance(listing, list) else []


async def _main(args: argparse.Namespace) -> int:
    token = args.token or default_token()
    async with GatewayClient(args.gateway, token) as client:
        try:
            session = await client.session(args.doc)
            session_id = session["session_id"]
            if args.command == "history":
                listing = await client.runs(session_id)
                if args.json:
                    print(json.dumps(listing, ensure_ascii=False, indent=2))
                    return EXIT_OK
                for run in _history_rows(listing):
                    prompt = re.sub(r"\s+", " ", str(run.get("prompt", "")))[:60]
                    print(
                        f"{run.get('created_at', '')[:19]}  {run.get('run_id', '')}  {run.get('kind', ''):<9} "
                        f"{run.get('status', ''):<9} {prompt}"
                    )
                return EXIT_OK
            if args.command == "templates":
                return await _templates(client, args)
            if args.command == "resume":
                return await _resume(client, args)
            if args.command == "upload":
                info = await client.upload(session_id, args.file)
                print(json.dumps(info, ensure_ascii=False))
                return EXIT_OK
            return await _stream(client, session_id, args)
        except GatewayError as error:
            print(explain(error, args.gateway), file=sys.stderr)
            return EXIT_UNREACHABLE if error.code == "unreachable" else EXIT_ERROR


def run_command(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_main(args))
    except KeyboardInterrupt:
        print("\ninterrupted; the run goes on at the gateway (see `finscribe history`)", file=sys.stderr)
        return 130
