"""Read articles from files, directories, JSONL, HTML, WARC archives and stdin.

Sources only read: no NLP. Every bad input becomes an ``ArticleError`` in the stream so a run over
thousands of files goes on; only usage errors (a bad ``published`` value) raise.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import io
import json
import os
import sys
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterable, Iterator

from ..errors import (BadDate, BadJSONLine, DateIgnored, BinaryInput, ConfigError, EmptyInput, EncodingError,
                      InputError, MissingSource, TooLarge)
from ..model import Article, ArticleError, content_id
from .html import extract_html
from .select import Selection
from .warc import GZIP_MAGIC, WarcPage, iter_warc_pages

DEFAULT_MAX_BYTES = 5_000_000
STDIN_ORIGIN = "<stdin>"

_BOM = b"\xef\xbb\xbf"
_BINARY_PROBE = 8192        # a NUL in the first 8 KB means binary (or UTF-16) data
_SNIFF_BYTES = 65536
_JSONL_EXT = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_HTML_EXT = (".html", ".htm", ".xhtml")
_WARC_EXT = (".warc", ".warc.gz")
_CSV_EXT = (".csv", ".tsv")
_TEXT_EXT = (".txt", ".text", ".md")        # the only extensions read as text inside a directory
# JSONL keys, first found wins: newsgraph's own, then those of common crawlers (news-please writes
# maintext, date_publish, authors and source_domain; others write body, content, published_at).
_TEXT_KEYS = ("text", "body", "content", "maintext")
_DATE_KEYS = ("published", "date", "published_at", "date_publish")
_AUTHOR_KEYS = ("author", "authors")
_SOURCE_KEYS = ("source", "source_domain")
_DATE_FORMATS = ("%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%d %B %Y", "%d %b %Y",
                 "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")


def sniff_kind(path_or_name: str) -> str:
    """The reader a file name gets by its extension: "jsonl", "html", "warc" or "text"."""
    name = path_or_name.lower()
    if name.endswith(_JSONL_EXT):
        return "jsonl"
    if name.endswith(_HTML_EXT):
        return "html"
    if name.endswith(_WARC_EXT):
        return "warc"
    if name.endswith(_CSV_EXT):
        return "csv"
    return "text"


def normalize_date(value: str | dt.date) -> str:
    """A date or datetime in a common form -> ``YYYY-MM-DD``; raise ``BadDate`` otherwise."""
    if isinstance(value, dt.date):      # datetime is a date subclass too
        return value.isoformat()[:10]
    if not isinstance(value, str) or not value.strip():
        raise BadDate(f"{value!r} is not a date; write it as YYYY-MM-DD (e.g. 2024-05-16)")
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    try:    # RFC 2822, as in RSS feeds and HTTP headers: "Thu, 16 May 2024 09:00:00 GMT"
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    raise BadDate(f"{value!r} is not a date; write it as YYYY-MM-DD (e.g. 2024-05-16)")


@dataclass(frozen=True, slots=True)
class Reading:
    """How sources are read beyond their format: which articles are kept (``select``), and under which
    keys JSONL objects and CSV rows hold the text and the date (``text_keys``, ``date_keys``, in order)."""
    select: Selection | None = None
    text_keys: tuple[str, ...] = _TEXT_KEYS
    date_keys: tuple[str, ...] = _DATE_KEYS


def iter_articles(sources: Iterable[str], *, published: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None,
                  select: Selection | None = None, text_key: str | None = None,
                  date_key: str | None = None) -> Iterator[Article | ArticleError]:
    """Yield an ``Article`` for each article in ``sources`` and an ``ArticleError`` for each bad one.

    ``published`` fills in articles without a date of their own; a bad value raises ``BadDate``.
    ``select`` keeps only articles of some hosts or dates (io/select.py); the others are left out
    silently, WARC records before their HTML is parsed. ``text_key`` and ``date_key`` name the JSONL
    key or CSV column of the text and of the date, tried before the usual ones ("text", "published" ...).
    """
    # Checked here, not in the generator, so a usage error raises at the call, before any reading.
    default_date = None
    if published is not None:
        try:
            default_date = normalize_date(published)
        except BadDate:
            raise BadDate(f"--published {published!r} is not a date; write it as YYYY-MM-DD "
                          "(e.g. 2024-05-16)") from None
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ConfigError(f"max_bytes must be a positive number of bytes, not {max_bytes!r}")
    if isinstance(sources, str):    # a lone path would otherwise be read character by character
        sources = [sources]
    select = select or None
    how = Reading(select, tuple(k for k in (text_key,) if k) + _TEXT_KEYS,
                  tuple(k for k in (date_key,) if k) + _DATE_KEYS)
    items = _iter_all(sources, default_date, max_bytes, stdin, how)
    return items if select is None else (x for x in items if not isinstance(x, Article)
                                         or select.keeps(x.url, x.published))


def _iter_all(sources: Iterable[str], published: str | None, max_bytes: int,
              stdin: BinaryIO | None, how: Reading) -> Iterator[Article | ArticleError]:
    for source in sources:
        if source == "-":
            yield from _iter_stdin(stdin, published, max_bytes, how)
        elif os.path.isdir(source):
            yield from _iter_dir(source, published, max_bytes, how)
        else:
            yield from _iter_file(source, sniff_kind(source), published, max_bytes, how)


# --- building records ---------------------------------------------------------------------------

def _report(exc: InputError, origin: str | None, article_id: str | None = None) -> Iterator[Article | ArticleError]:
    """The error for the run's record, then the article itself when the error only warns (W109)."""
    yield _error(exc, origin, article_id)
    if isinstance(exc, DateIgnored):
        yield exc.article


def _error(exc: InputError, origin: str | None, article_id: str | None = None) -> ArticleError:
    return ArticleError(exc.code, exc.message, origin=origin, article_id=article_id)


def _article(text: str, *, origin: str, published: str | None, id: str | None = None,
             date: str | None = None, **meta: str | None) -> Article:
    """An Article from decoded text; raise EmptyInput / BadDate for the caller to report."""
    # Offsets are computed on this exact text later, so newlines are the only thing changed.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInput("the article text is empty or only whitespace; remove it or give its text")
    own = None
    if date is not None:
        try:
            own = normalize_date(date)
        except BadDate:
            kept = Article(id=id or content_id(text), text=text, published=published, origin=origin, **meta)
            raise DateIgnored(f"the article's date {date!r} is not a date, so it was analysed without one "
                              "(relative times such as 'Thursday' stay unresolved); write it as YYYY-MM-DD "
                              "(e.g. 2024-05-16)", article=kept) from None
    return Article(id=id or content_id(text), text=text, published=own or published,
                   origin=origin, **meta)


def _decode_text(data: bytes) -> str:
    """Bytes of a plain-text article -> str; raise the E101/E102/E103 error that fits."""
    bom = len(_BOM) if data.startswith(_BOM) else 0
    data = data[bom:]
    if not data.strip():
        raise EmptyInput("the file is empty or only whitespace; remove it or give it some text")
    if b"\x00" in data[:_BINARY_PROBE]:
        raise BinaryInput("binary data (NUL bytes) in the first 8 KB, not text; if it is UTF-16 "
                          "text convert it to UTF-8, otherwise leave the file out")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"not valid UTF-8 at byte offset {exc.start + bom} "
                            f"(byte 0x{data[exc.start]:02x}); convert the file to UTF-8, "
                            "e.g. iconv -f latin1 -t utf-8") from None


def _from_bytes(data: bytes, kind: str, origin: str, published: str | None) -> Article:
    """One text or HTML article from its bytes."""
    if kind == "text":
        return _article(_decode_text(data), origin=origin, published=published)
    if not data.removeprefix(_BOM).strip():
        raise EmptyInput("the page is empty or only whitespace; remove it")
    if b"\x00" in data[:_BINARY_PROBE]:
        raise BinaryInput("binary data (NUL bytes) in the first 8 KB, not an HTML page; leave it out")
    page = extract_html(data)       # trafilatura reads the charset the page declares
    return _article(page.text, origin=origin, published=published, date=page.date,
                    title=page.title, url=page.url, author=page.author, source=page.sitename)


def _crawl_day(warc_date: str | None) -> str | None:
    try:
        return normalize_date(warc_date) if warc_date else None
    except BadDate:
        return None


def _from_warc_page(page: WarcPage, published: str | None) -> Article:
    html = extract_html(page.html, url=page.url)
    # The page's own date wins; the crawl date is a better default than nothing (it bounds it).
    fallback = _crawl_day(page.warc_date) or published
    return _article(html.text, origin=page.origin, published=fallback, date=html.date,
                    title=html.title, url=page.url or html.url, author=html.author,
                    source=html.sitename)


# --- files and directories ----------------------------------------------------------------------

def _read_limited(path: str, max_bytes: int) -> bytes:
    """The whole file, or TooLarge before reading it when it is over the limit."""
    size = os.stat(path).st_size
    if size > max_bytes:
        raise TooLarge(f"the file is {size:,} bytes, over the limit of {max_bytes:,}; "
                       "split it or raise max_bytes")
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)   # the size may have grown, or it is a pipe/device
    if len(data) > max_bytes:
        raise TooLarge(f"the file is over the limit of {max_bytes:,} bytes; split it or raise max_bytes")
    return data


def _iter_file(path: str, kind: str, published: str | None,
               max_bytes: int, how: Reading = Reading()) -> Iterator[Article | ArticleError]:
    try:
        if not os.path.exists(path):
            raise MissingSource("no such file or directory; check the path")
        if kind in ("text", "html"):
            yield _from_bytes(_read_limited(path, max_bytes), kind, path, published)
        elif kind == "jsonl":
            opener = gzip.open if path.lower().endswith(".gz") else open
            with opener(path, "rb") as fh:
                yield from _iter_jsonl(fh, path, published, max_bytes, how)
        elif kind == "csv":
            with open(path, "rb") as fh:
                yield from _iter_csv(fh, path, published, max_bytes, "\t" if path.lower().endswith(".tsv") else ",",
                                     how)
        else:
            with open(path, "rb") as fh:
                yield from _iter_warc(fh, path, published, max_bytes, how.select)
    except InputError as exc:
        yield from _report(exc, path)
    except OSError as exc:
        yield ArticleError("E108", f"cannot read it ({exc.strerror or exc}); check the path and "
                           "its permissions", origin=path)


def _dir_kind(name: str) -> str | None:
    """The kind of a file met while walking a directory; None to skip it."""
    kind = sniff_kind(name)
    if kind == "text" and not name.lower().endswith(_TEXT_EXT):
        return None     # images, PDFs, .DS_Store... in a news folder are not articles
    return kind


def _iter_dir(root: str, published: str | None, max_bytes: int,
              how: Reading = Reading()) -> Iterator[Article | ArticleError]:
    """Every readable file under ``root``, sorted by path, hidden files and folders skipped."""
    found: list[tuple[list[str], str, str]] = []
    problems: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=problems.append):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            kind = None if name.startswith(".") else _dir_kind(name)
            if kind:
                path = os.path.join(dirpath, name)
                found.append((os.path.relpath(path, root).split(os.sep), path, kind))
    for err in problems:
        yield ArticleError("E108", f"cannot read the folder ({err.strerror or err}); check its "
                           "permissions", origin=err.filename or root)
    for _, path, kind in sorted(found):
        yield from _iter_file(path, kind, published, max_bytes, how)


# --- JSONL --------------------------------------------------------------------------------------

def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(1-based line number, line bytes), with None for a line over max_bytes (skipped unread)."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):    # skip the rest without holding it
                line = stream.readline(_SNIFF_BYTES)
            yield number, None
        else:
            yield number, line


def _text_field(obj: dict, keys: tuple[str, ...] = _TEXT_KEYS) -> object:
    for key in keys:
        if obj.get(key) is not None:
            return obj[key]
    return None


def _meta(obj: dict, *keys: str) -> str | None:
    value = next((obj[k] for k in keys if obj.get(k) not in (None, "", [])), None)
    if isinstance(value, list):     # several authors
        value = ", ".join(str(v) for v in value if v is not None)
    if value is None or isinstance(value, (dict, bool)):
        return None
    return str(value).strip() or None


def _jsonl_line(raw: bytes, number: int, origin: str, published: str | None, how: Reading) -> Article:
    if number == 1 and raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"line {number}: not valid UTF-8 at byte {exc.start} of the line; "
                            "convert the file to UTF-8") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadJSONLine(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno}); "
                       "fix or remove the line") from None
    except (ValueError, RecursionError) as exc:
        raise BadJSONLine(f"line {number}: not valid JSON ({exc}); fix or remove the line") from None
    if not isinstance(obj, dict):
        raise BadJSONLine(f'line {number}: expected a JSON object like {{"id": ..., "text": ...}}, '
                       f"got {type(obj).__name__}; one article per line")
    return _record(obj, number, origin, published, how)


def _record(obj: dict, number: int, origin: str, published: str | None, how: Reading) -> Article:
    """The article of one JSONL object or CSV row (its text and date under how's keys)."""
    aid = None if obj.get("id") in (None, "") else str(obj["id"])
    text = _text_field(obj, how.text_keys)
    try:
        if text is None:
            raise BadJSONLine(f"line {number}: no text (looked for {', '.join(repr(k) for k in how.text_keys)}); "
                              "give each line the article text, or name its key with --text-key")
        if not isinstance(text, str):
            raise BadJSONLine(f'line {number}: "text" must be a string, not {type(text).__name__}')
        date = next((obj[k] for k in how.date_keys if obj.get(k) not in (None, "")), None)
        if date is not None and not isinstance(date, str):
            date = repr(date)           # not a date string: kept as a warning like any unreadable date
        return _article(text, origin=origin, published=published, id=aid, date=date,
                        title=_meta(obj, "title"), url=_meta(obj, "url"),
                        source=_meta(obj, *_SOURCE_KEYS), author=_meta(obj, *_AUTHOR_KEYS))
    except InputError as exc:
        if not exc.message.startswith("line "):
            exc.message = f"line {number}: {exc.message}"
        exc.article_id = aid
        raise


def _iter_jsonl(stream: BinaryIO, origin: str, published: str | None,
                max_bytes: int, how: Reading = Reading()) -> Iterator[Article | ArticleError]:
    number = 0
    try:
        for number, raw in _lines(stream, max_bytes):
            where = f"{origin}:{number}"
            if raw is None:
                yield ArticleError("E104", f"line {number}: longer than the limit of {max_bytes:,} "
                                   "bytes; split the article or raise max_bytes", origin=where)
                continue
            if not raw.strip():
                continue
            try:
                yield _jsonl_line(raw, number, where, published, how)
            except InputError as exc:
                yield from _report(exc, where, getattr(exc, "article_id", None))
    except (OSError, EOFError, zlib.error) as exc:   # a truncated or corrupt .jsonl.gz
        yield ArticleError("E106", f"the file cannot be read past line {number} ({exc}); "
                           "re-create or repair it to read the rest", origin=f"{origin}:{number + 1}")


# --- CSV ----------------------------------------------------------------------------------------

def _iter_csv(stream: BinaryIO, origin: str, published: str | None, max_bytes: int,
              delimiter: str, how: Reading = Reading()) -> Iterator[Article | ArticleError]:
    """One article per row of a CSV (or TSV) file with a header row naming the same columns as JSONL
    keys (text or body/content/maintext, id, title, url, published ...); errors name the file's line."""
    import csv
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    csv.field_size_limit(max(max_bytes, 131072))
    reader = csv.DictReader(text, delimiter=delimiter)
    line = 1                                    # the last line read (the header's, first)
    try:
        for row in reader:
            start, line = line + 1, reader.line_num     # a quoted cell may run over several lines
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            try:
                yield _record({k: v for k, v in row.items() if k is not None and v != ""}, start,
                              f"{origin}:{start}", published, how)
            except InputError as exc:
                yield from _report(exc, f"{origin}:{start}", getattr(exc, "article_id", None))
    except UnicodeDecodeError as exc:
        yield ArticleError("E103", f"not valid UTF-8 after line {line} ({exc.reason}); convert the file to UTF-8",
                           origin=f"{origin}:{line + 1}")
    except csv.Error as exc:
        yield ArticleError("E106", f"the CSV cannot be read past line {line} ({exc}); fix the file",
                           origin=f"{origin}:{line + 1}")


# --- WARC ---------------------------------------------------------------------------------------

def _iter_warc(stream: BinaryIO, origin: str, published: str | None,
               max_bytes: int, select: Selection | None = None) -> Iterator[Article | ArticleError]:
    for item in iter_warc_pages(stream, origin=origin, max_bytes=max_bytes):
        if isinstance(item, ArticleError):
            yield item
            continue
        if select is not None and not select.keeps(item.url, _crawl_day(item.warc_date), crawled=True):
            continue                # before trafilatura parses the page: the costly step
        try:
            yield _from_warc_page(item, published)
        except InputError as exc:
            yield from _report(exc, item.origin)


# --- stdin --------------------------------------------------------------------------------------

class _Prefixed(io.RawIOBase):
    """The bytes already read for sniffing, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n], self._head = self._head[:n], self._head[n:]
            return n
        data = self._rest.read(len(buf))
        buf[:len(data)] = data
        return len(data)


def _sniff_bytes(head: bytes) -> str:
    """The kind of a stream from its first bytes."""
    head = head[len(_BOM):] if head.startswith(_BOM) else head
    if head.startswith(GZIP_MAGIC) or head.lstrip().startswith(b"WARC/"):
        return "warc"
    first = head.lstrip()[:1]
    return {b"{": "jsonl", b"<": "html"}.get(first, "text")


def _iter_stdin(stdin: BinaryIO | None, published: str | None,
                max_bytes: int, how: Reading = Reading()) -> Iterator[Article | ArticleError]:
    origin = STDIN_ORIGIN
    try:
        stream = stdin if stdin is not None else sys.stdin.buffer
        head = stream.read(_SNIFF_BYTES)
    except (OSError, AttributeError, ValueError) as exc:    # no stdin (None), closed, or a tty error
        yield ArticleError("E108", f"cannot read standard input ({exc}); pipe the articles in "
                           "or give file paths", origin=origin)
        return
    kind = _sniff_bytes(head)
    try:
        if kind in ("jsonl", "warc"):   # streamed: these hold many articles
            rest = io.BufferedReader(_Prefixed(head, stream))
            if kind == "jsonl":
                yield from _iter_jsonl(rest, origin, published, max_bytes, how)
            else:
                yield from _iter_warc(rest, origin, published, max_bytes, how.select)
            return
        data = head + stream.read(max(0, max_bytes + 1 - len(head)))
        if len(data) > max_bytes:
            raise TooLarge(f"the input is over the limit of {max_bytes:,} bytes; "
                           "split it or raise max_bytes")
        yield _from_bytes(data, kind, origin, published)
    except InputError as exc:
        yield from _report(exc, origin)
    except OSError as exc:
        yield ArticleError("E108", f"cannot read standard input ({exc.strerror or exc})", origin=origin)
