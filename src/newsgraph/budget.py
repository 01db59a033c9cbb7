"""Every article gets a budget, so that one article never stalls a run: text past a length limit is
cut (with a warning the run records), runs of words with no sentence end are split into sentences
before the parser reads them, and an article whose analysis takes too long becomes an error row.

The limits are the pipeline's own settings, ``Pipeline(config={"pipeline": {...}})`` or a
``[pipeline]`` table in ``--config FILE``; ``DEFAULTS`` lists them.
"""
from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import replace

from .model import Article

DEFAULTS = {
    # Characters of an article that are analysed (about 15,000 words; a long news feature has 6,000).
    # The rest is cut at a paragraph or sentence end, with warning W110.
    "max_chars": 100_000,
    # Tokens a sentence may run to before a sentence start is set for the parser: a text with no
    # sentence ends (a list, a table, a scraped page's menu) is read in pieces of at most this size.
    "max_sentence_tokens": 200,
    # Seconds an article's analysis may take before it becomes an error row (E201); 0 for no limit.
    "time_limit": 120,
    # An article in another language with at least this probability (language.py) is stored without
    # extraction, with warning W111; 0 analyses every article as English.
    "language_threshold": 0.9,
}

def cut(article: Article, max_chars: int) -> tuple[Article, str | None]:
    """The article, cut to at most ``max_chars`` characters at the last paragraph break (else line
    break, else sentence end, else space) before the limit, and the warning to record; unchanged
    (and no warning) when it is short enough."""
    text = article.text
    if max_chars <= 0 or len(text) <= max_chars:
        return article, None
    head = text[:max_chars]
    end = 0
    for pattern in (r"\n\s*\n", r"\n", r"(?<=[.!?])[\"'”’)]?\s", r"\s"):
        found = [m.start() for m in re.finditer(pattern, head)]
        if found and found[-1] > max_chars // 2:
            end = found[-1]
            break
    end = end or max_chars
    kept = text[:end].rstrip()
    return replace(article, text=kept), (
        f"the article has {len(text):,} characters, more than the limit of {max_chars:,}: the first "
        f"{len(kept):,} were analysed and stored, the rest dropped; raise the limit with a [pipeline] "
        f"max_chars setting in --config, or split the document")


def cap_sentences(doc, max_tokens: int):
    """Set sentence starts on a Doc before the parser so that no sentence exceeds ``max_tokens``
    tokens: a run longer than that, between line breaks or sentence-final punctuation, is split at its
    last comma, semicolon or dash in reach, else at the limit. Runs within the limit are left to the
    parser."""
    if max_tokens <= 0 or len(doc) <= max_tokens:
        return doc
    start = 0
    for i, tok in enumerate(doc):
        if i == start:
            continue
        prev = doc[i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_ or prev.text[-1:] in (".", "!", "?") or \
                prev.is_quote or prev.is_bracket:
            start = i                       # a place the parser will likely end a sentence anyway
            continue
        if i - start >= max_tokens:
            cut_at = next((k + 1 for k in range(i - 1, start + max_tokens // 2, -1)
                           if doc[k].text in (",", ";", ":", "-", "—", "–")), i)
            doc[cut_at].is_sent_start = True
            start = cut_at
    return doc


class TimeLimit(BaseException):
    """An article's analysis ran past the time limit. A BaseException, so that the pipeline's guard
    around each stage (``except Exception``) does not take it for a stage's failure."""


@contextmanager
def deadline(seconds: float):
    """Raise TimeLimit in this block after ``seconds`` (wall clock). Works in the main thread of a
    Unix process, where the runners call the pipeline; elsewhere (a server's worker thread) no limit."""
    usable = seconds and seconds > 0 and hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum, frame):
        raise TimeLimit(f"took longer than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
