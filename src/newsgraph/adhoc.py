"""Ad-hoc extraction for the server (``POST /api/extract``): one text in, its analysis out, within a
size limit and a time limit.

The pipeline runs in one worker process of its own, started on the first request and kept for the next:
the server's threads stay free to answer the read-only endpoints, the pipeline's own time limit
(budget.py, which needs a process's main thread) applies inside it, and a worker that does not answer
within the hard limit is killed and replaced, so a runaway text never holds the server. Requests take
turns; one that cannot get the worker within the wait is told the server is busy.
"""
from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass

from .errors import ConfigError

MAX_CHARS = 20_000          # characters of one ad-hoc text (a long news article)
SECONDS = 20.0              # the analysis's own time limit (the pipeline's budget)
LOAD_SECONDS = 180.0        # a new worker's allowance to load the model and knowledge
WAIT_SECONDS = 30.0         # how long a request waits for its turn


class Busy(Exception):
    """The worker is in use by other requests past the wait."""


class TooSlow(Exception):
    """The analysis ran past its time limit."""


def _serve(conn, config: dict) -> None:
    """The worker's loop: load the pipeline once, then answer each (text, published, title) with
    ("ok", analysis dict) or ("error", code, message)."""
    from .model import Article, ArticleError, content_id
    from .pipeline import process_batch

    process_batch([Article(id="warm-up", text="The minister said on Monday that talks would resume.")],
                  config=config)
    conn.send(("ready",))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        text, published, title = request
        out = process_batch([Article(id=content_id(text), text=text, published=published, title=title)],
                            config=config)[0]
        if isinstance(out, ArticleError):
            conn.send(("error", out.code, out.message))
        else:
            conn.send(("ok", out.to_dict()))


@dataclass
class Extractor:
    """The server's handle on its extraction worker."""
    max_chars: int = MAX_CHARS
    seconds: float = SECONDS
    load_seconds: float = LOAD_SECONDS
    wait_seconds: float = WAIT_SECONDS

    def __post_init__(self):
        self._lock = threading.Lock()
        self._proc = None
        self._conn = None

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")       # a fresh interpreter: no threads of the server's
        parent, child = ctx.Pipe()
        config = {"pipeline": {"time_limit": self.seconds}}
        self._proc = ctx.Process(target=_serve, args=(child, config), daemon=True, name="newsgraph-extract")
        self._proc.start()
        child.close()
        self._conn = parent
        if not parent.poll(self.load_seconds):
            self.close()
            raise TooSlow(f"the extraction worker did not load within {self.load_seconds:g} s")
        try:
            parent.recv()
        except EOFError:
            self.close()
            raise TooSlow("the extraction worker stopped while loading") from None

    def close(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def extract(self, text: str, published: str | None = None, title: str | None = None) -> dict:
        """The analysis of ``text`` (Analysis.to_dict()). Raises ConfigError for a text that is empty
        or past ``max_chars``, TooSlow past the time limit, Busy when the worker stays taken."""
        if not text or not text.strip():
            raise ConfigError("text is empty")
        if len(text) > self.max_chars:
            raise ConfigError(f"text has {len(text):,} characters, more than the limit of {self.max_chars:,} for "
                              "ad-hoc extraction; use `newsgraph extract` or `newsgraph ingest` for long texts")
        if not self._lock.acquire(timeout=self.wait_seconds):
            raise Busy(f"the extraction worker is busy; try again (waited {self.wait_seconds:g} s)")
        try:
            if self._proc is None or not self._proc.is_alive():
                self._start()
            self._conn.send((text, published, title))
            # The pipeline stops itself at its time limit; this is the guard for a worker that cannot.
            if not self._conn.poll(self.seconds * 2 + 5):
                self.close()
                raise TooSlow(f"the analysis took longer than {self.seconds * 2 + 5:g} s and was stopped")
            try:
                reply = self._conn.recv()
            except EOFError:
                self.close()
                raise TooSlow("the extraction worker stopped during the analysis") from None
        finally:
            self._lock.release()
        if reply[0] == "ok":
            return reply[1]
        code, message = reply[1], reply[2]
        if code == "E201":
            raise TooSlow(f"the analysis took longer than {self.seconds:g} s and was stopped: {message}")
        raise ConfigError(f"[{code}] {message}")
