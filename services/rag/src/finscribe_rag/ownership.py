"""One process owns the embedded Chroma directory and the BM25 directory.

Chroma's embedded (SQLite + HNSW files) client is not safe across processes, and the
BM25 files are rewritten whole; a second worker would corrupt or silently fork them. An
exclusive `flock` held for the life of the process makes a second owner fail at startup
with a clear message instead.
"""

import fcntl
import os
from pathlib import Path

LOCK_NAME = ".finscribe-rag.lock"


class DirectoryBusy(RuntimeError):
    pass


class DirectoryLock:
    def __init__(self, directory: Path, what: str) -> None:
        self.directory = directory
        self.what = what
        self._fd: int | None = None

    def acquire(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(fd)
            pid = _recorded_pid(self.directory)
            raise DirectoryBusy(
                f"another process{f' (pid {pid})' if pid else ''} already owns the {self.what} directory "
                f"{self.directory}; stop it (another `finscribe up` or `make demo`?), run the rag service as a "
                "single worker, or give each process its own directory (CHROMA_URL for a shared Chroma)"
            ) from exc
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _recorded_pid(directory: Path) -> int | None:
    try:
        text = (directory / LOCK_NAME).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def owner(directory: Path) -> int | None:
    """The pid of the live process that owns `directory` (0 when its pid is unknown), or None
    when none does. A lock file left behind by a process that died holds nothing (a flock
    ends with its holder), so it is never "stale" and never needs removing."""
    path = directory / LOCK_NAME
    if not path.is_file():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _recorded_pid(directory) or 0
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
