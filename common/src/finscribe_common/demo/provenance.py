"""What each demo source really is and when it was recorded, so a demo citation says so.

The replays answer in their upstream's protocol, so a service reports what it would report
live: the KRX replay's 2024 Samsung series are Yahoo Finance adjusted closes reshaped as KRX
rows (the service says "KRX"), and DART's company profile is dated by the day it was fetched
(in the demo, today). Each replay therefore declares its `Recording`s (fixtures/real/
PROVENANCE.md); `finscribe up --demo` hands them to the orchestrator (`FINSCRIBE_DEMO_RECORDINGS`,
JSON) and the orchestrator relabels every source of a demo run with `relabel` before it is
numbered, so the citations, the key-figures table, the charts and the prompt's data block all
name the real provider and the recording date.
"""

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

ENV = "FINSCRIBE_DEMO_RECORDINGS"
# the title note of a demo source no recording describes, by document language
UNKNOWN_RECORDING = "데모 기록 데이터"
UNKNOWN_RECORDING_EN = "demo recording"
RECORDED_WORD = {"ko": "기록 {recorded}", "en": "recorded {recorded}"}


@dataclass(frozen=True)
class Recording:
    """One recorded upstream answer (or family of answers) as a service reports it.

    - `provider`, `dataset`: the service's `source.provider` and `source.dataset` this applies
      to (`dataset` matches the whole name or the part before a space: `fnlttSinglAcnt`
      matches `fnlttSinglAcnt (key metrics computed by FinScribe)`, not `fnlttSinglAcntAll`);
    - `first`, `last` (ISO dates, optional): only sources whose `as_of` lies in this span;
    - `recorded`: when the upstream answered, an ISO date or, when only that is known, a
      period such as `2025년 초`;
    - `shown_as`: the provider the data really came from when the service names another;
    - `note`: what the data is (`수정 종가`), Korean, shown in the citation;
    - `note_en`, `recorded_en`: the same in an English document (`adjusted close`, `early 2025`;
      `recorded_en` empty: `recorded` is a date and stays as it is);
    - `dated_by_recording`: the service dates this source by its own fetch (DART's company
      profile): a demo cites the recording's date instead."""

    provider: str
    dataset: str
    recorded: str
    first: str | None = None
    last: str | None = None
    shown_as: str | None = None
    note: str = ""
    dated_by_recording: bool = False
    note_en: str = ""
    recorded_en: str = ""

    def matches(self, source: Mapping[str, Any]) -> bool:
        dataset = str(source.get("dataset") or "")
        if source.get("provider") != self.provider or not (
            dataset == self.dataset or dataset.startswith(self.dataset + " ")
        ):
            return False
        as_of = str(source.get("as_of") or "")[:10]
        if self.first and (not as_of or as_of < self.first):
            return False
        return not (self.last and (not as_of or as_of > self.last))


def encode(recordings: Iterable[Recording]) -> str:
    """The recordings as the JSON value of `FINSCRIBE_DEMO_RECORDINGS`."""
    return json.dumps([asdict(r) for r in recordings], ensure_ascii=False)


def decode(text: str | None) -> tuple[Recording, ...]:
    """`FINSCRIBE_DEMO_RECORDINGS` back to recordings; ValueError when it is not that JSON."""
    if not text:
        return ()
    try:
        items = json.loads(text)
        return tuple(Recording(**item) for item in items)
    except (TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{ENV} is not a JSON list of recordings: {exc}") from exc


def relabel(
    recordings: Iterable[Recording], title: str, source: Mapping[str, Any], language: str = "ko"
) -> tuple[str, dict[str, Any]]:
    """A demo source as it should be cited: `(title, source)` with the real provider, the
    recording date in the title (`삼성전자 일별 주가 (005930.KS 수정 종가, 기록 2025년 초)`;
    `language` `en`: `… (005930.KS adjusted close, recorded early 2025)`) and, for sources the
    service dates by its fetch, `as_of` set to the recording date. A source no recording
    describes is still marked (`… (데모 기록 데이터)` / `… (demo recording)`)."""
    out = dict(source)
    english = language == "en"
    recording = next((r for r in recordings if r.matches(source)), None)
    if recording is None:
        return f"{title} ({UNKNOWN_RECORDING_EN if english else UNKNOWN_RECORDING})", out
    if recording.shown_as:
        out["provider"] = recording.shown_as
    if recording.dated_by_recording and _is_date(recording.recorded):
        out["as_of"] = recording.recorded
    what = recording.note_en if english else recording.note
    recorded = (recording.recorded_en or recording.recorded) if english else recording.recorded
    note = f"{what}, " if what else ""
    return f"{title} ({note}{RECORDED_WORD['en' if english else 'ko'].format(recorded=recorded)})", out


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
