"""Live run progress on stderr: a progress bar line and the sections' text as it streams."""

import shutil
import sys
from typing import Any, TextIO


class Progress:
    def __init__(self, stream: TextIO = sys.stderr, live_text: bool | None = None) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.live_text = self.tty if live_text is None else live_text
        self.fraction = 0.0
        self.label = ""
        self._bar_shown = False
        self._open_section: str | None = None
        # (code, message) of every warning printed: one Progress lives for the whole run, and a
        # draft resumed after its outline review runs resolve and gather again, whose stream
        # re-sends the warnings the first part already sent (the orchestrator's result keeps
        # them once by the same key: states.add_warnings)
        self._warned: set[tuple[str, str]] = set()

    def _bar(self) -> str:
        width = max(10, min(30, shutil.get_terminal_size((80, 20)).columns - 50))
        filled = round(self.fraction * width)
        return f"[{'#' * filled}{'-' * (width - filled)}] {self.fraction * 100:3.0f}% {self.label}"[:120]

    def _clear_bar(self) -> None:
        if self._bar_shown and self.tty:
            self.stream.write("\r\x1b[2K")
            self._bar_shown = False

    def _show_bar(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K" + self._bar())
            self._bar_shown = True
        self.stream.flush()

    def step(self, data: dict[str, Any]) -> None:
        self.fraction = float(data.get("progress") or self.fraction)
        status = data.get("status", "")
        self.label = f"{data.get('name', '')} {status}".strip()
        if self.tty:
            self._show_bar()
        elif status in ("done", "failed", "skipped"):
            self.stream.write(f"{self.fraction * 100:3.0f}% {self.label}\n")

    def section_delta(self, data: dict[str, Any]) -> None:
        if not self.live_text:
            return
        self._clear_bar()
        if self._open_section != data.get("section_id"):
            self.stream.write("\n")
            self._open_section = data.get("section_id")
        self.stream.write(str(data.get("text", "")))
        self.stream.flush()

    def section_done(self, data: dict[str, Any]) -> None:
        if self.live_text:
            self._clear_bar()
            self.stream.write("\n")
            self._open_section = None
        else:
            self.stream.write(f"  section done: {data.get('title', '')}\n")
        self._show_bar()

    def warning(self, data: dict[str, Any]) -> None:
        """Print a `warning` event's `{code, message}` once per run (a repeat is skipped)."""
        key = (str(data.get("code", "")), str(data.get("message", "")))
        if key in self._warned:
            return
        self._warned.add(key)
        self._clear_bar()
        self.stream.write(f"warning [{data.get('code', '')}]: {data.get('message', '')}\n")
        self._show_bar()

    def finish(self) -> None:
        self._clear_bar()
        self.stream.flush()
