"""Match a company query against KRX's list of listed stocks.

Scores (0..1, best first): ticker/ISIN or exact name 1.0, a known alias 0.97, a name that
starts with or contains the query 0.7-0.9, and fuzzy matches on jamo (so a one-key typo
such as 삼성전저 still finds 삼성전자) up to 0.9 times their similarity.
"""

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

from finscribe_krx.jamo import decompose

MARKETS = {"STK": "KOSPI", "KSQ": "KOSDAQ", "KNX": "KONEX"}
_NOISE = re.compile(r"\(주\)|주식회사|㈜|[\s·.,\-_()\[\]]+")
_TICKER = re.compile(r"^a?(?P<code>[0-9][0-9a-z]{5})$")
_ISIN = re.compile(r"^kr[0-9a-z]{10}$")


@dataclass(frozen=True)
class ListedStock:
    ticker: str
    name: str
    isin: str
    market: str  # KOSPI | KOSDAQ | KONEX


@dataclass(frozen=True)
class Match:
    stock: ListedStock
    score: float
    matched: str  # code | name | alias | prefix | contains | fuzzy


def normalize(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFC", text).strip().lower())


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    raw = json.loads(resources.files("finscribe_krx").joinpath("data/aliases.json").read_text("utf-8"))
    return {normalize(alias): ticker for alias, ticker in raw.items() if not alias.startswith("_")}


class _Fuzzy:
    """Jamo similarity of one query against many names.

    SequenceMatcher caches its analysis of the second sequence, so the query goes there;
    the cheap upper bounds (length, then letter counts) skip most names before the real
    ratio is computed, which keeps a search over KRX's ~2,700 names in a few milliseconds.
    """

    def __init__(self, query_jamo: str, floor: float) -> None:
        self._matcher = SequenceMatcher(None, autojunk=False)
        self._matcher.set_seq2(query_jamo)
        self._floor = floor

    def ratio(self, name_jamo: str) -> float:
        matcher = self._matcher
        matcher.set_seq1(name_jamo)
        if matcher.real_quick_ratio() < self._floor or matcher.quick_ratio() < self._floor:
            return 0.0
        return matcher.ratio()


class TickerIndex:
    """An immutable lookup structure over one day's ticker list."""

    def __init__(self, stocks: Iterable[ListedStock], alias_table: Mapping[str, str] | None = None) -> None:
        self.stocks = list(stocks)
        self.by_ticker = {stock.ticker: stock for stock in self.stocks}
        self.by_isin = {stock.isin.lower(): stock for stock in self.stocks}
        self._names = [(stock, normalize(stock.name)) for stock in self.stocks]
        self._jamo = [(stock, name, decompose(name)) for stock, name in self._names]
        table = aliases() if alias_table is None else alias_table
        self._aliases = {alias: self.by_ticker[t] for alias, t in table.items() if t in self.by_ticker}
        self._alias_jamo = [(decompose(alias), stock) for alias, stock in self._aliases.items()]

    def __len__(self) -> int:
        return len(self.stocks)

    def get(self, ticker: str) -> ListedStock | None:
        return self.by_ticker.get(ticker)

    def search(self, query: str, *, limit: int = 10, min_score: float = 0.6) -> list[Match]:
        q = normalize(query)
        if not q:
            return []
        best: dict[str, Match] = {}

        def offer(stock: ListedStock, score: float, how: str) -> None:
            score = round(min(1.0, score), 4)
            current = best.get(stock.ticker)
            if score >= min_score and (current is None or score > current.score):
                best[stock.ticker] = Match(stock, score, how)

        code = _TICKER.match(q)
        if code and code.group("code").upper() in self.by_ticker:
            offer(self.by_ticker[code.group("code").upper()], 1.0, "code")
        if _ISIN.match(q) and q in self.by_isin:
            offer(self.by_isin[q], 1.0, "code")
        if best and q.isdigit():
            return list(best.values())  # a ticker is an answer, not the start of a fuzzy hunt
        if q in self._aliases:
            offer(self._aliases[q], 0.97, "alias")
        fuzzy_name = _Fuzzy(decompose(q), min_score / 0.9)
        fuzzy_alias = _Fuzzy(decompose(q), min_score / 0.85)
        for stock, name, name_jamo in self._jamo:
            if name == q:
                offer(stock, 1.0, "name")
                continue
            if name.startswith(q):
                offer(stock, 0.75 + 0.15 * len(q) / len(name), "prefix")
            elif q in name:
                offer(stock, 0.65 + 0.15 * len(q) / len(name), "contains")
            offer(stock, 0.9 * fuzzy_name.ratio(name_jamo), "fuzzy")
        for alias_jamo, stock in self._alias_jamo:
            offer(stock, 0.85 * fuzzy_alias.ratio(alias_jamo), "fuzzy")
        ranked = sorted(best.values(), key=lambda m: (-m.score, len(m.stock.name), m.stock.ticker))
        return ranked[:limit]
