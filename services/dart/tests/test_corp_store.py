import os
import re
import time
from pathlib import Path

import pytest
import requests
import responses

from finscribe_common.errors import NotConfigured, UpstreamError
from finscribe_dart.config import DartSettings
from finscribe_dart.corp_store import CorpStore
from finscribe_dart.upstream import DartUpstream
from finscribe_testkit.dart import DartReplayCounter, register_dart_replay, test_settings
from finscribe_testkit.dart.replay import corp_code_zip

CORP_PATH = "/api/corpCode.xml"


def store_for(settings: DartSettings) -> CorpStore:
    return CorpStore(settings, DartUpstream(settings))


def age_file(path: Path, hours: float) -> None:
    old = time.time() - hours * 3600
    os.utime(path, (old, old))


async def test_downloaded_once_and_kept_on_disk(settings: DartSettings, replay: DartReplayCounter) -> None:
    store = store_for(settings)
    first = await store.get()
    again = await store.get()
    assert first is again
    assert first.index.get("00126380").stock_code == "005930"
    assert replay.by_path[CORP_PATH] == 1
    path = settings.cache_dir / "corpCode.zip"
    assert path.read_bytes() == corp_code_zip()
    assert not list(settings.cache_dir.glob("*.tmp"))
    # a new process (a new store) reads the file instead of downloading again
    await store_for(settings).get()
    assert replay.by_path[CORP_PATH] == 1


async def test_stale_file_is_downloaded_again(settings: DartSettings, replay: DartReplayCounter) -> None:
    await store_for(settings).get()
    age_file(settings.cache_dir / "corpCode.zip", settings.dart_corp_codes_max_age_h + 1)
    await store_for(settings).get()
    assert replay.by_path[CORP_PATH] == 2


async def test_stale_list_in_memory_refreshes_in_background(settings: DartSettings, replay: DartReplayCounter) -> None:
    store = store_for(settings.model_copy(update={"dart_corp_codes_max_age_h": 1e-9}))
    first = await store.get()
    served = await store.get()
    assert served is first  # the stale list serves while the refresh runs
    assert store._refresh_task is not None
    await store._refresh_task
    assert replay.by_path[CORP_PATH] == 2
    assert store.loaded is not first


async def test_without_key_and_without_file_is_not_configured(tmp_path: Path, rsps: responses.RequestsMock) -> None:
    store = store_for(test_settings(data_dir=tmp_path, dart_api_key=None))
    with pytest.raises(NotConfigured, match="DART_API_KEY"):
        await store.get()
    assert len(rsps.calls) == 0


async def test_without_key_a_cached_file_still_serves(tmp_path: Path, rsps: responses.RequestsMock) -> None:
    settings = test_settings(data_dir=tmp_path, dart_api_key=None)
    settings.cache_dir.mkdir(parents=True)
    (settings.cache_dir / "corpCode.zip").write_bytes(corp_code_zip())
    age_file(settings.cache_dir / "corpCode.zip", 24 * 30)
    loaded = await store_for(settings).get()
    assert loaded.index.get("00126380") is not None
    assert len(rsps.calls) == 0


async def test_failed_refresh_serves_the_stale_file(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    settings.cache_dir.mkdir(parents=True)
    (settings.cache_dir / "corpCode.zip").write_bytes(corp_code_zip())
    age_file(settings.cache_dir / "corpCode.zip", settings.dart_corp_codes_max_age_h + 1)
    rsps.add(responses.GET, re.compile(r"https://opendart\.fss\.or\.kr/.*"), body=requests.ConnectionError("down"))
    store = store_for(settings)
    loaded = await store.get()
    assert loaded.index.get("00126380") is not None
    assert len(rsps.calls) == 1


async def test_failed_first_download_is_an_upstream_error(settings: DartSettings, rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, re.compile(r"https://opendart\.fss\.or\.kr/.*"), body=requests.ConnectionError("down"))
    with pytest.raises(UpstreamError):
        await store_for(settings).get()
    assert not (settings.cache_dir / "corpCode.zip").exists()


async def test_corrupt_cached_file_is_replaced(settings: DartSettings, replay: DartReplayCounter) -> None:
    settings.cache_dir.mkdir(parents=True)
    (settings.cache_dir / "corpCode.zip").write_bytes(b"truncated")
    loaded = await store_for(settings).get()
    assert loaded.index.get("00126380") is not None
    assert replay.by_path[CORP_PATH] == 1
    assert (settings.cache_dir / "corpCode.zip").read_bytes() == corp_code_zip()


async def test_unregistered_key_is_not_configured(tmp_path: Path, rsps: responses.RequestsMock) -> None:
    register_dart_replay(rsps)
    store = store_for(test_settings(data_dir=tmp_path, dart_api_key="not-a-registered-key"))
    with pytest.raises(NotConfigured, match="010"):
        await store.get()


async def test_failed_first_download_is_not_retried_per_request(
    settings: DartSettings, rsps: responses.RequestsMock
) -> None:
    rsps.add(responses.GET, re.compile(r"https://opendart\.fss\.or\.kr/.*"), body=requests.ConnectionError("down"))
    store = store_for(settings)
    for _ in range(3):
        with pytest.raises(UpstreamError):
            await store.get()
    assert len(rsps.calls) == 1
