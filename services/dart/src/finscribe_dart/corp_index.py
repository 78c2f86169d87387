"""The in-memory index of Open DART's corp code list and the name search over it.

Names are not unique (several companies are called 신한 or 에이텍), so a search returns
every company that matches, ranked by how it matched, listed companies (those with a
stock code) before unlisted ones, then by score.

Fuzzy matching compares Hangul decomposed into jamo, so a one-letter typo such as
삼성전저 still finds 삼성전자; candidates come from a syllable-bigram index so a query
never scans all ~110k names.
"""

import datetime as dt
import difflib
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

MatchKind = Literal["corp_code", "stock_code", "exact", "normalized", "prefix", "contains", "fuzzy"]

# ranking tiers: identifiers and exact names first, then partial names, then typos
_TIER: dict[str, int] = {
    "corp_code": 3,
    "stock_code": 3,
    "exact": 3,
    "normalized": 3,
    "prefix": 2,
    "contains": 2,
    "fuzzy": 1,
}
FUZZY_MIN_RATIO = 0.75

CORP_CODE_RE = re.compile(r"^\d{8}$")
STOCK_CODE_RE = re.compile(r"^[0-9][0-9A-Z]{5}$")
_LEGAL_FORMS = re.compile(
    r"\(주\)|㈜|주식회사|\(유\)|유한회사|\(사\)|사단법인|\(재\)|재단법인|co\.,?\s*ltd\.?|inc\.?|corp\.?"
)
_SPACES_PUNCT = re.compile(r"[\s·.,'\"`_\-/&()\[\]]+")

_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


AddMatch = Callable[[int, float, MatchKind], None]


class CorpListError(ValueError):
    """The corp code file is not the zip with CORPCODE.xml that Open DART serves."""


@dataclass(frozen=True, slots=True)
class Corp:
    corp_code: str
    corp_name: str
    stock_code: str | None
    modify_date: dt.date | None

    @property
    def listed(self) -> bool:
        return self.stock_code is not None


@dataclass(frozen=True, slots=True)
class CorpMatchResult:
    corp: Corp
    score: float
    match: MatchKind


def normalize_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).lower()
    text = _LEGAL_FORMS.sub("", text)
    return _SPACES_PUNCT.sub("", text)


def to_jamo(text: str) -> str:
    out: list[str] = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            out.append(_CHO[code // 588])
            out.append(_JUNG[(code % 588) // 28])
            if code % 28:
                out.append(_JONG[code % 28])
        else:
            out.append(char)
    return "".join(out)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _parse_date(raw: str | None) -> dt.date | None:
    # slicing, not strptime: this runs 100k times per load and strptime is the slow part
    text = (raw or "").strip()
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def parse_corp_zip(content: bytes) -> list[Corp]:
    """Read CORPCODE.xml out of the zip Open DART's corpCode.xml endpoint returns."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = [n for n in archive.namelist() if n.upper().endswith(".XML")]
        if not names:
            raise CorpListError("the corp code zip holds no XML file")
        xml_bytes = archive.read(names[0])
    except zipfile.BadZipFile as exc:
        raise CorpListError("the corp code file is not a zip archive") from exc
    corps: list[Corp] = []
    try:
        # iterparse + clear keeps memory flat over the ~20 MB document
        for _, element in ET.iterparse(io.BytesIO(xml_bytes)):  # noqa: S314 - Open DART's own file, no DTD
            if element.tag != "list":
                continue
            code = (element.findtext("corp_code") or "").strip()
            name = (element.findtext("corp_name") or "").strip()
            stock = (element.findtext("stock_code") or "").strip() or None
            if CORP_CODE_RE.match(code) and name:
                corps.append(Corp(code, name, stock, _parse_date(element.findtext("modify_date"))))
            element.clear()
    except ET.ParseError as exc:
        raise CorpListError(f"CORPCODE.xml is not well-formed XML: {exc}") from exc
    if not corps:
        raise CorpListError("CORPCODE.xml lists no companies")
    return corps


class CorpIndex:
    def __init__(self, corps: list[Corp]) -> None:
        self.corps = corps
        self._pos_by_corp_code: dict[str, int] = {}
        self.by_stock_code: dict[str, list[int]] = defaultdict(list)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_norm: dict[str, list[int]] = defaultdict(list)
        self._norms: list[str] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for i, corp in enumerate(corps):
            self._pos_by_corp_code[corp.corp_code] = i
            if corp.stock_code:
                self.by_stock_code[corp.stock_code].append(i)
            self.by_name[corp.corp_name].append(i)
            norm = normalize_name(corp.corp_name)
            self._norms.append(norm)
            self.by_norm[norm].append(i)
            for gram in _bigrams(norm):
                self._postings[gram].append(i)

    def __len__(self) -> int:
        return len(self.corps)

    @property
    def listed_count(self) -> int:
        return len(self.by_stock_code)

    def get(self, corp_code: str) -> Corp | None:
        pos = self._pos_by_corp_code.get(corp_code)
        return None if pos is None else self.corps[pos]

    def search(self, query: str, limit: int = 20) -> list[CorpMatchResult]:
        """Every exact match (all companies sharing the name), then up to `limit` others."""
        q = unicodedata.normalize("NFKC", query).strip()
        found: dict[int, CorpMatchResult] = {}

        def add(index: int, score: float, kind: MatchKind) -> None:
            current = found.get(index)
            if current is None or (_TIER[kind], score) > (_TIER[current.match], current.score):
                found[index] = CorpMatchResult(self.corps[index], round(score, 4), kind)

        upper = q.upper()
        if CORP_CODE_RE.match(q) and q in self._pos_by_corp_code:
            add(self._pos_by_corp_code[q], 1.0, "corp_code")
        if STOCK_CODE_RE.match(upper):
            for i in self.by_stock_code.get(upper, ()):
                add(i, 1.0, "stock_code")
        for i in self.by_name.get(q, ()):
            add(i, 1.0, "exact")
        nq = normalize_name(q)
        if nq:
            for i in self.by_norm.get(nq, ()):
                add(i, 0.97, "normalized")
            candidates = self._candidates(nq)
            self._partial(nq, candidates, add)
            self._fuzzy(nq, candidates, add)
        ranked = sorted(
            found.values(),
            key=lambda m: (-_TIER[m.match], not m.corp.listed, -m.score, m.corp.corp_name, m.corp.corp_code),
        )
        exact = [m for m in ranked if _TIER[m.match] == 3]
        rest = [m for m in ranked if _TIER[m.match] < 3]
        return exact + rest[: max(0, limit - len(exact))]

    def _candidates(self, nq: str) -> dict[int, int]:
        """How many of the query's bigrams each name shares (names sharing none are absent)."""
        counts: Counter[int] = Counter()
        for gram in _bigrams(nq):
            counts.update(self._postings.get(gram, ()))
        return counts

    def _partial(self, nq: str, candidates: dict[int, int], add: AddMatch) -> None:
        if len(nq) < 2:
            return
        grams = _bigrams(nq)
        for i, shared in candidates.items():
            if shared < len(grams):
                continue
            name = self._norms[i]
            if name == nq or nq not in name:
                continue
            coverage = len(nq) / len(name)
            if name.startswith(nq):
                add(i, 0.6 + 0.35 * coverage, "prefix")
            else:
                add(i, 0.5 + 0.3 * coverage, "contains")

    def _fuzzy(self, nq: str, candidates: dict[int, int], add: AddMatch) -> None:
        grams = _bigrams(nq)
        if not grams:
            return
        needed = max(1, len(grams) // 2)
        slack = max(2, len(nq) // 2)
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(to_jamo(nq))  # seq2 is the side difflib preprocesses: the query, once
        for i, shared in candidates.items():
            name = self._norms[i]
            # a typo keeps the length close; much longer names are partial matches, not typos
            if shared < needed or abs(len(name) - len(nq)) > slack or name == nq or nq in name:
                continue
            matcher.set_seq1(to_jamo(name))
            if matcher.real_quick_ratio() < FUZZY_MIN_RATIO or matcher.quick_ratio() < FUZZY_MIN_RATIO:
                continue
            ratio = matcher.ratio()
            if ratio >= FUZZY_MIN_RATIO:
                add(i, 0.85 * ratio, "fuzzy")
