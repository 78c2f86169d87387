"""Where uploaded bytes live on disk: `<FILES_DIR>/<session_id>/<file_id>.<ext>`.

The user's file name never becomes part of a path, so no name can escape the folder.
"""

import os
import shutil
import tempfile
from pathlib import Path


class FileStorage:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def ensure(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".incoming").mkdir(exist_ok=True)

    def temp_path(self) -> Path:
        fd, name = tempfile.mkstemp(dir=self.root / ".incoming", suffix=".part")
        os.close(fd)
        return Path(name)

    def relative_path(self, session_id: str, file_id: str, kind: str) -> str:
        return f"{session_id}/{file_id}.{kind}"

    def absolute(self, relative: str) -> Path:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError("storage path escapes the files folder")
        return path

    def commit(self, temp: Path, relative: str) -> Path:
        target = self.absolute(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, target)
        return target

    def remove(self, relative: str) -> None:
        self.absolute(relative).unlink(missing_ok=True)

    def remove_session(self, session_id: str) -> None:
        shutil.rmtree(self.absolute(session_id), ignore_errors=True)
