"""Numbered sources of one run: every `[n]` in a document points at something the run fetched."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Citation:
    n: int
    provider: str
    title: str
    url: str | None
    as_of: str | None
    # an uploaded PDF: the page and the start of the passage cited (the panel's citation card)
    page: int | None = None
    passage: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "n": self.n,
            "provider": self.provider,
            "title": self.title,
            "url": self.url,
            "as_of": self.as_of,
        }
        if self.page is not None:
            out["page"] = self.page
        if self.passage:
            out["passage"] = self.passage
        return out


@dataclass
class SourceRegistry:
    citations: list[Citation] = field(default_factory=list)
    _by_key: dict[tuple[str, str, str | None, str | None], int] = field(default_factory=dict)

    def add(self, source: dict[str, Any], title: str) -> int:
        """Register a fetched payload's `source`; the same source twice keeps one number."""
        provider = str(source.get("provider") or "unknown")
        url = source.get("url")
        as_of = str(source["as_of"]) if source.get("as_of") else None
        key = (provider, title, url, as_of)
        if key in self._by_key:
            return self._by_key[key]
        n = len(self.citations) + 1
        page = source.get("page")
        passage = source.get("passage")
        self.citations.append(
            Citation(
                n=n,
                provider=provider,
                title=title,
                url=url,
                as_of=as_of,
                page=page if isinstance(page, int) and not isinstance(page, bool) else None,
                passage=str(passage) if passage else None,
            )
        )
        self._by_key[key] = n
        return n

    def known(self, n: int) -> bool:
        return 1 <= n <= len(self.citations)

    def as_list(self) -> list[dict[str, Any]]:
        return [c.as_dict() for c in self.citations]
