"""Korean-aware tokens for BM25: kiwipiepy morphemes, keeping the content-bearing ones.

Particles and endings (은/는/이/가, -다, -었-) would match everywhere, so only nouns, verb
and adjective stems, roots, foreign words, numbers and hanja count.

English words (Kiwi's SL tokens) are matched as Snowball stems without English stop words
(`match_terms`): "liability" must find "Total liabilities", "acquired" "acquisitions", and
"what/was/the" must not score. That step runs when an index is built and on every query, not
at ingest, so the terms stored in Chroma stay Kiwi's and older collections need no re-index. One Kiwi per process
(it takes ~1 s and ~100 MB to load); calls are serialised with a lock because the
Python binding gives no thread-safety guarantee, and each call is short (~1 ms per
150 characters) so queries interleave with an ingest.
"""

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

KEEP_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "VV", "VA", "XR", "SL", "SH", "SN", "MAG"})
_FALLBACK = re.compile(r"[\uac00-\ud7a3]+|[A-Za-z]+|\d+(?:\.\d+)?")

_lock = threading.Lock()
_kiwi: "Kiwi | None" = None
_ENGLISH_WORD = re.compile(r"[a-z][a-z'&-]*")
_STOP = frozenset(STOPWORDS_EN_PLUS)  # NLTK's English list, as bm25s ships it
_stemmer = Stemmer.Stemmer("english")
_stemmer_lock = threading.Lock()  # PyStemmer objects are not thread-safe


def _get_kiwi() -> "Kiwi":
    global _kiwi
    if _kiwi is None:
        from kiwipiepy import Kiwi  # heavy import, once, when first needed

        # num_workers=-1: no background thread pool; our own thread pools call it.
        kiwi = Kiwi(num_workers=-1)
        kiwi.tokenize("준비")  # the first call loads the language model lazily
        _kiwi = kiwi
    return _kiwi


def load() -> None:
    with _lock:
        _get_kiwi()


def is_loaded() -> bool:
    return _kiwi is not None


def tokenize(text: str) -> list[str]:
    """Blocking: BM25 terms of one text (lower-cased; verbs and adjectives as `stem다`)."""
    if not text.strip():
        return []
    with _lock:
        tokens = _get_kiwi().tokenize(text)
    terms: list[str] = []
    for token in tokens:
        tag = str(token.tag).split("-")[0]  # "VV-R" -> "VV"
        if tag not in KEEP_TAGS:
            continue
        form = token.form.lower()
        if tag in ("VV", "VA"):
            form += "다"  # dictionary form, so 활용한/활용하는 meet as 활용하다 stems
        if form.strip():
            terms.append(form)
    if not terms:  # e.g. only particles or symbols: fall back to plain word pieces
        terms = [m.group(0).lower() for m in _FALLBACK.finditer(text)]
    return terms


def tokenize_many(texts: list[str]) -> list[list[str]]:
    return [tokenize(text) for text in texts]


@lru_cache(maxsize=200_000)
def _match_form(term: str) -> str:
    if not _ENGLISH_WORD.fullmatch(term):
        return term  # Korean, numbers, hanja: Kiwi's morphemes are already base forms
    if term in _STOP:
        return ""
    with _stemmer_lock:
        return str(_stemmer.stemWord(term))


_NUMBER = re.compile(r"\d[\d,.]*")


def match_terms(terms: list[str]) -> list[str]:
    """The terms BM25 matches on: English words stemmed (Snowball), English stop words
    dropped, everything else as Kiwi gave it. `["what", "liabilities", "유동부채"]` ->
    `["liabil", "유동부채"]`.

    A one-letter stop word right after a number is the letter of a name Kiwi split in two
    ("3M" -> `3 m`, "Item 7A" -> `item 7 a`), not an article or a contraction: it stays."""
    matched: list[str] = []
    previous = ""
    for term in terms:
        form = _match_form(term)
        if not form and len(term) == 1 and _NUMBER.fullmatch(previous):
            form = term
        if form:
            matched.append(form)
        previous = term
    return matched


_SPACE_WINDOW = 12  # characters each side of a line break that Kiwi sees


def korean_word_breaks(pairs: list[tuple[str, str]]) -> list[bool]:
    """Blocking: for each (text before, text after) a Korean line break, whether a space
    belongs there (a word ended) -- Kiwi's spacing model on a short window around it.

    PDFium drops the trailing space of many wrapped lines, so "기술의" / "발전으로" and
    "프로" / "그래밍" look alike; Kiwi tells "기술의 발전으로" from "프로그래밍".
    """
    if not pairs:
        return []
    windows = [(left[-_SPACE_WINDOW:], right[:_SPACE_WINDOW]) for left, right in pairs]
    with _lock:
        spaced = list(_get_kiwi().space([left + right for left, right in windows], reset_whitespace=False))
    answers = []
    for (left, _right), text in zip(windows, spaced, strict=True):
        # After as many non-space characters as `left` holds, a space means a word break.
        wanted = sum(not ch.isspace() for ch in left)
        seen = 0
        index = 0
        while index < len(text) and seen < wanted:
            seen += not text[index].isspace()
            index += 1
        answers.append(index < len(text) and text[index].isspace())
    return answers
