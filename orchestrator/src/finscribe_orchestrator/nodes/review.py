"""Draft: the user reviews the outline (option `review_outline`) before any section is written.

Built on LangGraph's `interrupt`: the node stops the run with the proposed outline as the
interrupt value (the service turns it into the `outline.review` event and `run.waiting`);
`Command(resume=<ReviewedOutline as a dict, or APPROVE>)` on the same thread (= run_id) re-runs
this node, `interrupt` then returns the user's answer and the edited sections are written.
"""

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from finscribe_common.contract.runs import ReviewedOutline
from finscribe_orchestrator.context import Context
from finscribe_orchestrator.nodes.outline import TOTAL_CHARS
from finscribe_orchestrator.states import DraftState

APPROVE = {"approve": True}
"""The resume value that approves the outline as proposed."""
PUBLIC_FIELDS = ("section_id", "title", "purpose", "data", "instructions")


def proposal(state: DraftState, catalog: dict[str, str]) -> dict[str, Any]:
    """The `outline.review` payload: `{title, sections: [{section_id, title, purpose, data,
    instructions}], datasets: [{key, title}]}` (data = dataset keys the section will use)."""
    sections = [{k: s.get(k, "" if k != "data" else []) for k in PUBLIC_FIELDS} for s in state.get("outline") or []]
    return {
        "title": state.get("title", ""),
        "sections": sections,
        "datasets": [{"key": k, "title": t} for k, t in sorted(catalog.items())],
    }


def apply_review(state: DraftState, answer: ReviewedOutline, length: str, all_keys: list[str]) -> DraftState:
    """The outline to write: the user's sections in the user's order, ids renumbered s1..sn;
    a kept section keeps its data unless the user changed it, a new one gets all the data."""
    before = {s["section_id"]: s for s in state.get("outline") or []}
    per_section = max(300, TOTAL_CHARS.get(length, TOTAL_CHARS["standard"]) // len(answer.sections))
    sections = []
    for i, edited in enumerate(answer.sections):
        kept = before.get(edited.section_id or "", {})
        data = edited.data if edited.data is not None else kept.get("data", all_keys)
        sections.append(
            {
                "index": i,
                "section_id": f"s{i + 1}",
                "target_chars": per_section,
                "title": edited.title,
                "purpose": edited.purpose or kept.get("purpose", "") or edited.title,
                "instructions": edited.instructions,
                "data": list(data),
            }
        )
    return {"title": (answer.title or "").strip() or state.get("title", ""), "outline": sections}


async def review(state: DraftState, runtime: Runtime[Context]) -> DraftState:
    ctx = runtime.context
    if not getattr(ctx.options, "review_outline", False):
        return {}
    answer = interrupt(proposal(state, ctx.bundle.catalog()))
    if answer == APPROVE:
        return {}
    reviewed = ReviewedOutline.model_validate(answer)
    length = str(getattr(ctx.options, "length", "standard"))
    return apply_review(state, reviewed, length, sorted(ctx.bundle.datasets))
