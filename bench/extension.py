"""The extension's own benchmark (Node): converting a ~200 KB result from the real DART rows
into one Docs batchUpdate, and rendering its preview. Wraps
`node extension/bench/docs-requests.bench.mjs` so `make bench` shows it in the table."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "extension" / "bench" / "docs-requests.bench.mjs"


def run() -> list[dict]:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed")
    out = subprocess.run([node, str(SCRIPT)], capture_output=True, text=True, timeout=300, check=True).stdout
    print(out, file=sys.stderr)
    rows = []
    size = re.search(r"result text \(UTF-8\)\s+(\d+) KB\s+(\d+) blocks", out)
    requests = re.search(r"batchUpdate requests\s+(\d+)\s+(\d+) KB body", out)
    convert = re.search(r"blocks -> requests, median\s+([\d.]+) ms\s+p95 ([\d.]+) ms", out)
    preview = re.search(r"markdown -> preview tree, median\s+([\d.]+) ms\s+p95 ([\d.]+) ms", out)
    if not (size and requests and convert and preview):
        raise RuntimeError(f"unexpected benchmark output:\n{out}")
    bench = "extension"
    rows.append(
        {
            "benchmark": bench,
            "metric": f"result size ({size[2]} blocks)",
            "value": int(size[1]),
            "unit": "KB",
            "target": "",
        }
    )
    rows.append(
        {
            "benchmark": bench,
            "metric": "batchUpdate requests (one batch)",
            "value": int(requests[1]),
            "unit": "requests",
            "target": "",
        }
    )
    rows.append(
        {"benchmark": bench, "metric": "blocks -> requests p50", "value": float(convert[1]), "unit": "ms", "target": ""}
    )
    rows.append(
        {"benchmark": bench, "metric": "blocks -> requests p95", "value": float(convert[2]), "unit": "ms", "target": ""}
    )
    rows.append(
        {
            "benchmark": bench,
            "metric": "markdown -> preview p50",
            "value": float(preview[1]),
            "unit": "ms",
            "target": "",
        }
    )
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['metric']:<40} {row['value']:>10} {row['unit']}")
