"""`finscribe draft --review`: approve or edit a draft's outline before it is written.

The proposal (`outline.review`: title, sections with purpose, data and instructions) is
edited as JSON in `$VISUAL`/`$EDITOR` (else `vi`), or the outline is read from a JSON file
(`--review outline.json`). Either way the answer is the kit's `RunResume` body
`{"outline": {"title", "sections": [{section_id?, title, purpose?, instructions?, data?}]}}`,
validated before it is sent to `POST /v1/runs/{run_id}/resume`.
"""

import copy
import json
import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from finscribe_common.contract.runs import RunResume

EDITOR_SENTINEL = "-"
"""`--review` without a file: edit in the editor."""

_HELP = (
    "Reorder, rename, delete or add sections; `instructions` tells the writer what you want. "
    "Keep `section_id` on sections you keep; a new section has none. "
    "`data` lists keys of `datasets` (omit it for all the data). Save and close to approve."
)


def editable(proposal: dict[str, Any]) -> dict[str, Any]:
    """The document the user edits: the proposal plus a help line and the data catalog."""
    return copy.deepcopy(
        {
            "help": _HELP,
            "datasets": proposal.get("datasets") or [],
            "outline": {"title": proposal.get("title", ""), "sections": proposal.get("sections") or []},
        }
    )


def parse_answer(text: str) -> RunResume:
    """The resume body from an edited document or a file: either `{"outline": {...}}`
    (extra keys such as help and datasets are ignored) or the outline itself
    `{"title", "sections"}`. Raises ValueError (bad JSON) or pydantic's ValidationError."""
    document = json.loads(text)
    if not isinstance(document, dict):
        raise ValueError("the outline must be a JSON object")
    outline = document.get("outline", document)
    return RunResume.model_validate({"outline": outline})


def edit_in_editor(proposal: dict[str, Any]) -> str:
    """Open the proposal in the user's editor and return the saved text. The editor command
    comes from the user's own environment, as git does; nothing from the run is executed."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(editable(proposal), handle, ensure_ascii=False, indent=2)
        path = Path(handle.name)
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=True)
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)


def answer_for(proposal: dict[str, Any], source: str) -> RunResume:
    """The user's answer: from the editor (`source` = "-") or from the JSON file `source`."""
    text = edit_in_editor(proposal) if source == EDITOR_SENTINEL else Path(source).read_text(encoding="utf-8")
    return parse_answer(text)
