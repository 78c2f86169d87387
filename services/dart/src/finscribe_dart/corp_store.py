"""The corp code list: downloaded once with DART_API_KEY, kept on disk, parsed once per process.

- The zip is stored as Open DART served it (`<cache dir>/corpCode.zip`, written to a temp
  file and renamed so a crash never leaves half a file) and is re-downloaded when older
  than DART_CORP_CODES_MAX_AGE_H.
- A stale list keeps serving while a refresh runs in the background; a failed refresh is
  retried after DART_CORP_CODES_RETRY_S, never on every request.
- Parsed indexes are shared per process by the zip's sha256, so several apps in one
  process (tests, benchmarks) parse one file once.
"""

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from finscribe_common.errors import NotConfigured, RateLimited, UpstreamError, UpstreamTimeout
from finscribe_common.threads import run_blocking
from finscribe_dart.config import DartSettings
from finscribe_dart.corp_index import CorpIndex, CorpListError, parse_corp_zip
from finscribe_dart.upstream import POOL, DartUpstream

logger = logging.getLogger("finscribe.dart.corps")

CORP_CODES_PATH = "/api/corpCode.xml"
FILE_NAME = "corpCode.zip"
PARSE_TIMEOUT_S = 60.0
# after a failed first load, callers within this window get the same error without a new
# download, so a DART outage does not turn every resolve into another 2 MB request
FAILURE_HOLD_S = 30.0

_parsed: dict[str, CorpIndex] = {}


def _parse_shared(content: bytes) -> CorpIndex:
    digest = hashlib.sha256(content).hexdigest()
    index = _parsed.get(digest)
    if index is None:
        index = CorpIndex(parse_corp_zip(content))
        _parsed.clear()  # one list per process is enough; an old one is garbage
        _parsed[digest] = index
    return index


@dataclass(frozen=True)
class LoadedCorpList:
    index: CorpIndex
    downloaded_at: dt.datetime  # UTC, the file's modification time


class CorpStore:
    def __init__(self, settings: DartSettings, upstream: DartUpstream) -> None:
        self.settings = settings
        self.upstream = upstream
        self.path: Path = settings.cache_dir / FILE_NAME
        self._loaded: LoadedCorpList | None = None
        self._lock = asyncio.Lock()
        self._refresh_task: asyncio.Task[None] | None = None
        self._retry_after = 0.0  # monotonic time before which no new download is tried
        self._failure: tuple[float, Exception] | None = None

    @property
    def loaded(self) -> LoadedCorpList | None:
        return self._loaded

    def _max_age_s(self) -> float:
        return self.settings.dart_corp_codes_max_age_h * 3600

    def _file_age_s(self) -> float | None:
        try:
            return time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return None

    def _is_stale(self, loaded: LoadedCorpList) -> bool:
        age = (dt.datetime.now(dt.UTC) - loaded.downloaded_at).total_seconds()
        return age > self._max_age_s()

    async def get(self) -> LoadedCorpList:
        loaded = self._loaded
        if loaded is not None:
            if self._is_stale(loaded):
                self._refresh_in_background()
            return loaded
        async with self._lock:
            if self._loaded is None:
                if self._failure is not None and time.monotonic() - self._failure[0] < FAILURE_HOLD_S:
                    raise self._failure[1]
                try:
                    self._loaded = await self._load_initial()
                except (UpstreamError, UpstreamTimeout, RateLimited, NotConfigured) as exc:
                    self._failure = (time.monotonic(), exc)
                    raise
                self._failure = None
            return self._loaded

    async def _load_initial(self) -> LoadedCorpList:
        age = self._file_age_s()
        if age is not None and (age <= self._max_age_s() or not self.upstream.configured):
            try:
                loaded = await self._read_file()
            except CorpListError as exc:
                logger.warning("cached corp list %s is unusable (%s); downloading again", self.path, exc)
            else:
                if age > self._max_age_s():
                    logger.warning("DART_API_KEY is not set: serving the cached corp list, %.0f h old", age / 3600)
                return loaded
        if not self.upstream.configured:
            raise NotConfigured(
                "Open DART is not configured: set DART_API_KEY to download the corp code list "
                "(free at https://opendart.fss.or.kr)"
            )
        try:
            return await self._download()
        except (UpstreamError, CorpListError) as exc:
            if age is None:
                raise
            logger.warning("corp list download failed (%s); serving the stale cached copy", exc)
            self._retry_after = time.monotonic() + self.settings.dart_corp_codes_retry_s
            return await self._read_file()

    async def _read_file(self) -> LoadedCorpList:
        content = await asyncio.to_thread(self.path.read_bytes)
        index = await run_blocking(_parse_shared, content, timeout=PARSE_TIMEOUT_S, pool=POOL, what="parse corp list")
        mtime = dt.datetime.fromtimestamp(self.path.stat().st_mtime, dt.UTC).replace(microsecond=0)
        return LoadedCorpList(index, mtime)

    async def _download(self) -> LoadedCorpList:
        content = await self.upstream.get_zip(CORP_CODES_PATH)
        index = await run_blocking(_parse_shared, content, timeout=PARSE_TIMEOUT_S, pool=POOL, what="parse corp list")
        await asyncio.to_thread(self._write_atomically, content)
        logger.info("downloaded the DART corp list: %d companies, %d listed", len(index), index.listed_count)
        return LoadedCorpList(index, dt.datetime.now(dt.UTC).replace(microsecond=0))

    def _write_atomically(self, content: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, self.path)

    def _refresh_in_background(self) -> None:
        if not self.upstream.configured or time.monotonic() < self._retry_after:
            return
        if self._refresh_task is not None and not self._refresh_task.done():
            return
        self._refresh_task = asyncio.get_running_loop().create_task(self._refresh())

    async def _refresh(self) -> None:
        try:
            self._loaded = await self._download()
        except Exception as exc:  # a background refresh reports, the stale list keeps serving
            retry = self.settings.dart_corp_codes_retry_s
            logger.warning("corp list refresh failed (%s); retrying in %g s", exc, retry)
            self._retry_after = time.monotonic() + retry

    async def aclose(self) -> None:
        if self._refresh_task is not None and not self._refresh_task.done():
            self._refresh_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._refresh_task
