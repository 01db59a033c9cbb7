"""HTML pages out of WARC / WARC.gz archives, with truncation and corruption reported, never raised."""
from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from warcio.archiveiterator import WARCIterator

from ..model import ArticleError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
GZIP_MAGIC = b"\x1f\x8b"
_DRAIN = 1 << 16


@dataclass(slots=True)
class WarcPage:
    """One HTML response found in an archive, not yet extracted."""
    origin: str                 # path#record-id
    html: bytes
    url: str | None
    warc_date: str | None


class _Broken(Exception):
    """The archive stops or is damaged inside a record."""


class _Gunzip:
    """Decompress a (multi-member) gzip stream ourselves.

    warcio swallows gzip errors and reads ``EOFError`` as a clean end of archive, so a truncated
    .warc.gz would silently lose its tail; ``gzip`` raises instead, and we re-raise as ``_Broken``.
    """

    def __init__(self, stream: BinaryIO):
        self._gz = gzip.GzipFile(fileobj=stream, mode="rb")

    def read(self, size: int = -1) -> bytes:
        # read1: short reads hand over each complete member before a broken one raises,
        # so the records before the damage are still read.
        try:
            return self._gz.read1(size)
        except (EOFError, OSError, zlib.error) as exc:
            raise _Broken(f"compressed data is truncated or corrupt: {exc}") from exc


def _record_id(record) -> str | None:
    rid = record.rec_headers.get_header("WARC-Record-ID")
    return rid.strip().strip("<>") if rid else None


def _drain(record) -> None:
    """Read the rest of the record and fail if it ends before its declared Content-Length."""
    raw = record.raw_stream
    while raw.read(_DRAIN):
        pass
    missing = getattr(raw, "limit", 0)
    if missing > 0:
        raise _Broken(f"the record ends {missing} bytes before its declared length")


def _page(record, origin: str, max_bytes: int) -> WarcPage | ArticleError | None:
    """The HTML page of a 200 text/html response record; None for any other record."""
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        _drain(record)
        return None
    ctype = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if http.get_statuscode() != "200" or ctype not in HTML_TYPES:
        _drain(record)
        return None
    body = record.content_stream().read(max_bytes + 1)   # decodes chunked / gzip transfer
    _drain(record)
    if len(body) > max_bytes:
        return ArticleError("E104", f"the page is over the size limit of {max_bytes:,} bytes; "
                            "raise max_bytes to read it", origin=origin)
    return WarcPage(origin=origin, html=body,
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    warc_date=record.rec_headers.get_header("WARC-Date"))


def iter_warc_pages(stream: BinaryIO, *, origin: str, max_bytes: int) -> Iterator[WarcPage | ArticleError]:
    """Yield each HTML response of a WARC or WARC.gz stream; a damaged archive ends with one E107."""
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)
    head = stream.peek(2)[:2]
    if not head:
        yield ArticleError("E101", "the archive is empty", origin=origin)
        return
    source = _Gunzip(stream) if head == GZIP_MAGIC else stream
    done = 0                                   # records read to their end
    where = "at record 1"
    broken_at = f"{origin}#1"
    try:
        records = iter(WARCIterator(source))   # WARC only: ArchiveIterator would read any text as ARC
        while True:
            # Until the next record's header parses, its number is all we can name.
            where, broken_at = (f"after record {done}" if done else "at record 1"), f"{origin}#{done + 1}"
            try:
                record = next(records)
            except StopIteration:
                return
            broken_at = f"{origin}#{_record_id(record) or done + 1}"
            where = f"in record {done + 1}"
            page = _page(record, broken_at, max_bytes)
            done += 1
            if page is not None:
                yield page
    except Exception as exc:  # warcio raises many types on damaged input; the run must go on
        text = str(exc).strip()
        reason = text.splitlines()[0] if text else type(exc).__name__
        yield ArticleError("E107", f"the archive is truncated or corrupt {where} ({reason}); "
                           f"the {done} record(s) before that were read; re-fetch or repair the "
                           "archive to read the rest", origin=broken_at)
