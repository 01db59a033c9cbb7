"""Which articles a run keeps, by host and date, decided before anything costly: inside a WARC archive
from the record's headers (WARC-Target-URI, WARC-Date) before its HTML is parsed; for other sources
from the article's own URL and date as soon as it is read."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Selection:
    """``hosts``: keep only pages of these hosts or their subdomains ("bbc.co.uk" keeps
    "www.bbc.co.uk"); ``since``/``until``: keep only dates in this range, both ends included
    (YYYY-MM-DD). Without a URL, or without a date, an article cannot be shown to match a filter on it,
    so it is left out."""
    hosts: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "hosts", tuple(h.strip().lower().lstrip(".") for h in self.hosts if h.strip()))

    def __bool__(self) -> bool:
        return bool(self.hosts or self.since or self.until)

    def keeps(self, url: str | None, date: str | None, *, crawled: bool = False) -> bool:
        """Whether an article of this URL and date is kept. ``crawled``: the date is when the page was
        fetched, which is on or after its publication, so only ``since`` can rule on it (a page fetched
        after ``until`` may have been published before)."""
        if self.hosts:
            try:
                host = (urlsplit(url).hostname or "") if url else ""
            except ValueError:
                host = ""
            if not any(host == h or host.endswith("." + h) for h in self.hosts):
                return False
        if self.since or self.until and not crawled:
            day = (date or "")[:10]
            if len(day) != 10:
                return False
            if self.since and day < self.since or self.until and day > self.until and not crawled:
                return False
        return True
