"""Which graph a run drives and with what input: a fresh run, or the continuation of a
checkpointed one (`RunRequest.resume`).

A checkpointed run (draft) uses thread_id = run_id. Resuming rebuilds what lives outside
the graph state — the run's data bundle (company, fetched datasets, their facts and
citation numbers) — by running `resolve` and `gather` again with the same request and
`as_of` (the data services answer the same for the same date), then continues the graph:
`Command(resume=outline or APPROVE)` answers the outline review; `None` re-runs only the tasks the
last checkpoint had not finished (sections whose writes were checkpointed are not written
again).
"""

from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.runtime import Runtime
from langgraph.types import Command

from finscribe_orchestrator.context import Context
from finscribe_orchestrator.durable.checkpoints import CHECKPOINTED_KINDS, Checkpoints
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.graphs import RunGraph
from finscribe_orchestrator.nodes.company import gather, resolve
from finscribe_orchestrator.nodes.review import APPROVE


async def prepare_graph(
    ctx: Context, checkpoints: Checkpoints | None, config: RunnableConfig, plain: RunGraph
) -> tuple[RunGraph, Any]:
    """(graph, input) for `ainvoke`; sets `thread_id` in `config` for checkpointed kinds.

    Raises RunFailed `not_resumable` (a kind without checkpoints, or no checkpoint of this
    run: expired, finished, or kept on another store) and `run_not_waiting` (an outline
    answer for a run that does not wait for one)."""
    kind = ctx.request.kind
    resume = ctx.request.resume
    if checkpoints is None or kind not in CHECKPOINTED_KINDS:
        if resume is not None:
            raise RunFailed("not_resumable", f"{kind} runs are not checkpointed and cannot be resumed")
        return plain, {}
    graph = await checkpoints.graph(kind)
    config["configurable"]["thread_id"] = ctx.request.run_id
    if resume is None:
        return graph, {}
    snapshot = await graph.aget_state(config)
    if not snapshot.values or not snapshot.next:
        raise RunFailed("not_resumable", "this run has no checkpoint to continue from (finished, expired or unknown)")
    waiting = any(task.interrupts for task in snapshot.tasks)
    if resume.mode == "review" and not waiting:
        raise RunFailed("run_not_waiting", "this run is not waiting for an outline review")
    await _rehydrate(ctx)
    if resume.mode == "review":
        # APPROVE: the outline as proposed (LangGraph takes neither None nor {}: an empty
        # dict is an empty map of interrupt ids)
        answer = resume.outline.model_dump(mode="json") if resume.outline is not None else APPROVE
        return graph, Command(resume=answer)
    return graph, None


async def _rehydrate(ctx: Context) -> None:
    # the nodes' state updates are dropped: the checkpoint already holds what they returned
    # (company, datasets, their warnings); only the data bundle is rebuilt
    runtime = Runtime(context=ctx)
    await resolve({}, runtime)
    await gather({}, runtime)
