"""`make bench`: run every benchmark in this folder and print one table (`run_all.py NAME ...`:
only those; `make bench-rag-eval` runs the slow retrieval evaluation alone).

Each benchmark module defines `run() -> list[dict]` with rows
{"benchmark", "metric", "value", "unit", "target"}; it also runs on its own. A row with
`"gate": True` is a quality target (retrieval recall, never a speed): when its value misses
its target (">= 0.70", or a bare number it must equal) the run exits 1 and says which.
"""

import datetime as dt
import importlib.util
import os
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["gateway", "data_services", "krx_resolve", "rag", "llm_router", "draft"]


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GB, Python {platform.python_version()}, {platform.system()}"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(rows: list[dict]) -> str:
    header = ["benchmark", "metric", "value", "unit", "target"]
    cells = [[fmt(r.get(h, "")) for h in header] for r in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c) + " |" for c in cells]
    return "\n".join(lines)


def missed(row: dict) -> bool:
    """Whether a gated row's value misses its target (">= x" or "x")."""
    if not row.get("gate"):
        return False
    target = str(row["target"]).strip()
    if target.startswith(">="):
        return not float(row["value"]) >= float(target[2:])
    return float(row["value"]) != float(target)


def main() -> int:
    names = [n for n in ORDER if (HERE / f"{n}.py").exists()]
    names += sorted(
        p.stem for p in HERE.glob("*.py") if p.stem not in names and p.stem != "run_all" and not p.stem.startswith("_")
    )
    if sys.argv[1:]:  # `run_all.py rag_eval rag_large_filing`: only these, in this order
        unknown = [n for n in sys.argv[1:] if n not in names]
        if unknown:
            print(f"no such benchmark: {', '.join(unknown)} (known: {', '.join(names)})", file=sys.stderr)
            return 2
        names = sys.argv[1:]
    rows: list[dict] = []
    failed = []
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", file=sys.stderr, flush=True)
        try:
            rows.extend(load(name).run())
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"   {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    out = [f"Measured {dt.date.today().isoformat()} on {machine()}.", "", table(rows)]
    if failed:
        out += ["", f"failed: {', '.join(failed)}"]
    misses = [r for r in rows if missed(r)]
    for r in misses:
        out += [f"TARGET MISSED: {r['benchmark']}: {r['metric']} = {fmt(r['value'])}, target {r['target']}"]
    text = "\n".join(out)
    print(text)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(text + "\n", encoding="utf-8")
    return 1 if failed or misses else 0


if __name__ == "__main__":
    sys.exit(main())
