"""`make demo` on a fresh clone: seconds from the command to a cited Samsung report (target < 120 s).

Clones the committed HEAD of this repository into a temporary folder (no .venv, no
.finscribe), runs `make demo` there as a new user would (no credentials, no FinScribe
variables; ports offset so a running stack is left alone), waits for the banner, runs the
Samsung draft it suggests and checks the report is cited and labelled. Phases, each printed:
the clone; the venv and its installer (`python -m venv`, pip installing uv); the packages
(uv, or pip with INSTALLER=pip; the pip and uv caches of this machine are warm, as they are
on a developer's machine after any earlier install); the stack to its banner; the first
report. Runs on its own: `python bench/demo.py` (INSTALLER=pip in the environment measures
the pip fallback).
"""

import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "common" / "src"))

from finscribe_common.demo.label import DEMO_NOTICE  # noqa: E402
from finscribe_testkit.common.demo import free_port_offset, new_user_env  # noqa: E402

TARGET_S = 120.0


def measure() -> tuple[dict[str, float], str]:
    """Seconds from the start of the clone to each phase's end, and the installer make used."""
    with tempfile.TemporaryDirectory(prefix="finscribe-fresh-clone-") as tmp:
        clone = Path(tmp) / "finscribe"
        started = time.monotonic()
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        figures: dict[str, float] = {"clone_s": time.monotonic() - started}
        offset = free_port_offset(41_000, 50_000)
        installer = os.environ.get("INSTALLER", "uv")
        proc = subprocess.Popen(
            ["make", "demo", f"INSTALLER={installer}", f"DEMO_ARGS=--port-offset {offset} --no-color"],
            cwd=clone,
            env=new_user_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # make and the stack in one process group of our own
        )
        lines: list[str] = []
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.append(line.rstrip("\n"))
                if line.startswith("installing with") and "installer_s" not in figures:
                    figures["installer_s"] = time.monotonic() - started  # the venv made, uv installed
                if "finscribe up --demo" in line and "install_s" not in figures:
                    figures["install_s"] = time.monotonic() - started
                if line.startswith("  stop"):
                    break
                if time.monotonic() - started > 600:
                    break
            figures["banner_s"] = time.monotonic() - started
            command = next(
                (m.group(1) for m in (re.search(r"finscribe (draft .*samsung\.md.*)$", x) for x in lines) if m), None
            )
            if command is None:
                raise RuntimeError(f"no Samsung suggestion in the banner ({figures}):\n" + "\n".join(lines[-40:]))
            done = subprocess.run(
                [str(clone / ".venv" / "bin" / "finscribe"), *shlex.split(command)],
                cwd=clone,
                env=new_user_env(),
                capture_output=True,
                text=True,
                timeout=300,
            )
            figures["cited_report_s"] = time.monotonic() - started
            markdown = (clone / "samsung.md").read_text(encoding="utf-8") if done.returncode == 0 else ""
            if not (
                markdown.startswith(f"> {DEMO_NOTICE}") and re.search(r"\[\d+\]", markdown) and "## 출처" in markdown
            ):
                raise RuntimeError(f"no cited, labelled report: {done.returncode} {done.stderr[-1500:]}")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        used = next((x.split()[2] for x in lines if x.startswith("installing with")), "nothing (already installed)")
        return figures, used


def run() -> list[dict]:
    figures, installer = measure()
    installer_s = figures.get("installer_s", figures["clone_s"])
    rows = [
        ("phase 1: git clone", figures["clone_s"], "s", ""),
        ("phase 2: venv + installer", installer_s - figures["clone_s"], "s", ""),
        (f"phase 3: packages installed with {installer} (warm cache)", figures["install_s"] - installer_s, "s", ""),
        ("phase 4: stack start to the banner", figures["banner_s"] - figures["install_s"], "s", ""),
        ("phase 5: the Samsung draft", figures["cited_report_s"] - figures["banner_s"], "s", ""),
        ("fresh clone: make demo installs .venv", figures["install_s"], "s", ""),
        ("fresh clone: make demo to the banner", figures["banner_s"], "s", ""),
        ("fresh clone: make demo to a cited Samsung report", figures["cited_report_s"], "s", f"< {TARGET_S:g} s"),
        ("cited report / target", figures["cited_report_s"] / TARGET_S, "x", "< 1"),
        ("load average (1 min) at the end", os.getloadavg()[0], f"on {os.cpu_count()} cores", ""),
    ]
    return [
        {"benchmark": "demo", "metric": metric, "value": round(value, 2), "unit": unit, "target": target}
        for metric, value, unit, target in rows
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['metric']}: {row['value']} {row['unit']} {row['target']}")
