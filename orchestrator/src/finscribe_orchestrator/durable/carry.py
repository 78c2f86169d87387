"""What a draft node raised besides its state (warnings, LLM usage) goes into the checkpoint
with the node's writes, so a run continued after a crash still reports it.

Warnings and usage are collected on the run context, which dies with the process; a section
written before the orchestrator died is not written again on resume (its writes are in the
checkpoint), so without this its `unverified_number` warnings and its LLM calls would be
missing from the final result. `carry(node)` runs the node with a per-node collector and
adds `{warnings, usage}` to the node's state update (`DraftState.carried`, a list reducer);
`restore(ctx, values)` puts what the checkpoint holds back on a resumed run's context
(without emitting the warnings again: the client saw them before the crash).
"""

import functools
from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

from langchain_core.runnables import RunnableConfig

from finscribe_orchestrator.context import NODE_WARNINGS, RunContext
from finscribe_orchestrator.usage import UsageMeter

State = TypeVar("State", contravariant=True)


class Node(Protocol[State]):
    """A node as LangGraph calls it (named parameters: LangGraph's own protocol has them)."""

    def __call__(self, state: State, config: RunnableConfig) -> Awaitable[Any]: ...


def carry(node: Node[State]) -> Node[State]:
    """`node` with its warnings and usage added to its state update as one `carried` entry."""

    @functools.wraps(node)
    async def wrapped(state: State, config: RunnableConfig) -> Any:
        warnings: list[dict[str, Any]] = []
        token = NODE_WARNINGS.set(warnings)
        try:
            with UsageMeter.node_scope() as meter:
                update = await node(state, config)
        finally:
            NODE_WARNINGS.reset(token)
        if not warnings and not meter.llm_calls:
            return update
        entry = {"node": getattr(node, "__name__", "node"), "warnings": warnings, "usage": meter.as_dict()}
        return {**(update or {}), "carried": [entry]}

    return wrapped


def restore(ctx: RunContext, values: dict[str, Any]) -> None:
    """Put the warnings and usage of the nodes finished before a resume back on `ctx`."""
    for entry in values.get("carried") or []:
        for warning in entry.get("warnings") or []:
            ctx.keep_warning(warning)
        ctx.usage.merge(entry.get("usage") or {})
