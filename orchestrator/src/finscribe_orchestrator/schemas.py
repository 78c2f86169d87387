"""The run request and options the orchestrator serves: the kit's run contract, re-exported."""

from finscribe_common.contract.runs import (
    OPTIONS_BY_KIND,
    AnyRunRequest,
    AskOptions,
    ChartOptions,
    DraftOptions,
    FileRef,
    HistoryItem,
    ParagraphOptions,
    RewriteOptions,
    RunKind,
    RunOptions,
    RunRequest,
    UserRef,
)

__all__ = [
    "OPTIONS_BY_KIND",
    "AnyRunRequest",
    "AskOptions",
    "ChartOptions",
    "DraftOptions",
    "FileRef",
    "HistoryItem",
    "ParagraphOptions",
    "RewriteOptions",
    "RunKind",
    "RunOptions",
    "RunRequest",
    "UserRef",
]
