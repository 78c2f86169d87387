"""Write the run contract's JSON Schema to docs/run-contract.schema.json.

Run after changing `finscribe_common.contract.runs`:
`.venv/bin/python -m finscribe_common.contract.export`. A test fails while the
committed file differs from the models, and the extension's tests read the file.
"""

import json
import sys
from pathlib import Path

from finscribe_common.contract.runs import run_contract_schema

SCHEMA_PATH = Path("docs") / "run-contract.schema.json"


def render() -> str:
    return json.dumps(run_contract_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_PATH
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
