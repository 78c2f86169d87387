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
            raise DirectoryBusy(
                f"another process already owns the {self.what} directory {self.directory}; run the rag service "
                "as a single worker, or give each process its own directory (CHROMA_URL for a shared Chroma)"
            ) from exc
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
