"""The local runner: stream articles from sources through the pipeline into the store.

Resumable by construction: the store is the ledger. Each batch is written in one transaction, and
articles whose id is already stored are dropped before any NLP, so rerunning after a crash (even
``kill -9``) finishes the job without losing or duplicating an article.
"""
from __future__ import annotations

import gc
import itertools
import multiprocessing as mp
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..errors import ConfigError, StoreError
from ..io.select import Selection
from ..io.sources import DEFAULT_MAX_BYTES, iter_articles
from ..model import Analysis, Article, ArticleError
from ..pipeline import _shared_pipeline, model_name, process_batch
from ..store import Store


@dataclass
class IngestReport:
    read: int = 0              # articles read from the sources
    stored: int = 0            # newly stored
    skipped: int = 0           # already in the store (or repeated in the input)
    errors: list[ArticleError] = field(default_factory=list)
    seconds: float = 0.0
    words: int = 0

    @property
    def failures(self) -> list[ArticleError]:
        """The errors that cost an article (not the warnings, whose article was still analysed)."""
        return [e for e in self.errors if not e.warning]

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        rate = self.stored / self.seconds if self.seconds else 0.0
        warned = len(self.errors) - len(self.failures)
        hint = " (--force analyses them again)" if self.skipped else ""
        return (f"read {self.read} articles: stored {self.stored} new, skipped {self.skipped} already stored{hint}, "
                f"{len(self.failures)} errors{f', {warned} warnings' if warned else ''}; "
                f"{self.seconds:.1f} s ({rate:.1f} articles/s)")


def batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def count_articles(sources: Iterable[str]) -> int | None:
    """A cheap upper bound for the progress bar: JSONL lines and files in directories; None if unknown."""
    total = 0
    for src in sources:
        if src == "-":
            return None
        if os.path.isdir(src):
            total += sum(len(files) for _, _, files in os.walk(src))
        elif src.endswith((".jsonl", ".ndjson")) and os.path.isfile(src):
            with open(src, "rb") as f:
                total += sum(1 for line in f if line.strip())
        elif src.endswith((".warc", ".warc.gz")):
            return None
        else:
            total += 1
    return total


# A short article the parent analyses before forking workers, so that every model is loaded by then.
WARM_UP = Article(id="warm-up", text="Officials in Paris said on Monday that talks with Germany would resume. "
                  "\"We are ready,\" the minister told reporters.", published="2024-01-01")


def _init_worker(model: str, config: dict | None = None) -> None:
    # Load the model once per worker process (already loaded when the worker was forked).
    _shared_pipeline(model, config)


def open_sink(db, out: str | None, force: bool = False):
    """Where a run writes: (the SQLite store ``db`` or, with ``out``, a folder of Parquet shards, whether
    the caller must close it)."""
    if (db is None) == (out is None):
        raise ConfigError("give a store (--db FILE) or a folder of Parquet shards (--out DIR), not both")
    if out is not None and force:
        raise ConfigError("--force replaces articles in a store; Parquet shards are written once (use a new --out)")
    if out is not None:
        from ..store.parquet import ShardWriter
        return ShardWriter(out), True
    return (db, False) if not isinstance(db, (str, os.PathLike)) else (Store(db), True)


def ingest(sources: Iterable[str], db: str | Store | None = None, *, out: str | None = None,
           published: str | None = None, model: str | None = None,
           batch_size: int = 32, workers: int = 1, progress: bool | Callable[[int], None] = False,
           stdin=None, max_bytes: int = DEFAULT_MAX_BYTES, config: dict | None = None,
           select: Selection | None = None, force: bool = False,
           keys: tuple[str | None, str | None] = (None, None)) -> IngestReport:
    """Read, extract and store every article of ``sources`` into the SQLite store ``db``, or as Parquet
    shards into the folder ``out`` (``config``: stage settings, as for ``Pipeline(config=...)``; ``select``:
    only articles of these hosts and dates; ``force``: analyse articles already stored again and replace
    them, as after a change of their date or of newsgraph; ``keys``: the JSONL key or CSV column of the
    text and of the date, tried before the usual ones)."""
    if batch_size < 1 or workers < 1:
        raise ConfigError("--batch-size and --workers must be at least 1")
    sources = list(sources)
    model = model_name(model)
    store, owned = open_sink(db, out, force)
    report = IngestReport()
    t0 = time.perf_counter()
    bar = _progress_bar(progress, sources)
    seen: set[str] = set()

    def todo() -> Iterator[list[Article]]:
        for chunk in batches(iter_articles(sources, published=published, stdin=stdin, max_bytes=max_bytes,
                                             select=select, text_key=keys[0], date_key=keys[1]), batch_size):
            errors = [x for x in chunk if isinstance(x, ArticleError)]
            arts = [x for x in chunk if isinstance(x, Article)]
            report.read += len(arts)
            if errors:
                store.record_errors(errors)
                report.errors.extend(errors)
                bar(sum(not e.warning for e in errors))
            stored = set() if force else store.stored_ids([a.id for a in arts])
            fresh = []
            for a in arts:
                if a.id in stored or a.id in seen:
                    report.skipped += 1
                else:
                    seen.add(a.id)
                    fresh.append(a)
            bar(len(arts) - len(fresh))
            if fresh:
                yield fresh

    keep = Keeper(store, report, bar, replace=force)

    try:
        if workers == 1:
            for batch in todo():
                keep(process_batch(batch, model, config))
        else:
            _run_parallel(todo(), keep, model, workers, config)
    finally:
        report.seconds = time.perf_counter() - t0
        bar(None)
        if owned:
            store.close()
    return report


class Keeper:
    """Writes what the workers return: analyses to the store (one transaction per batch) or to Parquet
    shards, failures and warnings to its errors table, and counts to the report. Every runner's driver
    uses it."""

    def __init__(self, store, report: IngestReport, bar: Callable[[int | None], None], replace: bool = False):
        self.store, self.report, self.bar, self.replace = store, report, bar, replace

    def __call__(self, results: list[Analysis | ArticleError]) -> None:
        done = [r for r in results if isinstance(r, Analysis)]
        failed = [r for r in results if isinstance(r, ArticleError)]
        failed += [ArticleError(w["code"], w["message"], origin=a.article.origin, article_id=a.id)
                   for a in done for w in a.meta.get("warnings", ())]     # cut to the budget (W110)
        if failed:
            self.store.record_errors(failed)
            self.report.errors.extend(failed)
        try:
            new, refused = self.store.write(done, replace=self.replace), 0
        except StoreError:
            new, refused = self._one_by_one(done)
        self.report.stored += len(new)
        self.report.skipped += len(done) - len(new) - refused
        self.report.words += sum(len(a.text.split()) for a in done)
        self.bar(sum(not (isinstance(r, ArticleError) and r.warning) for r in results))

    def _one_by_one(self, done: list[Analysis]) -> tuple[list[str], int]:
        """A batch the store refused, written article by article: the article it cannot take becomes
        an error row (E202) and the others are stored. The ids stored, and how many were refused."""
        new, refused = [], 0
        for a in done:
            try:
                new += self.store.write([a], replace=self.replace)
            except StoreError as exc:
                err = ArticleError("E202", f"the store cannot take this article's analysis: {exc.message}",
                                   origin=a.article.origin, article_id=a.id)
                self.store.record_errors([err])
                self.report.errors.append(err)
                refused += 1
        return new, refused


def _run_parallel(work: Iterator[list[Article]], keep, model: str, workers: int, config: dict | None) -> None:
    """Batches go to worker processes (one model each); results are written in input order here."""
    pending: list[Future] = []
    ctx = mp.get_context()
    if ctx.get_start_method() == "fork":
        # Load everything read-only (spaCy, knowledge, gazetteer, the taggers) once here, before the
        # workers fork, so they share its pages instead of each building a copy; frozen out of the
        # garbage collector's reach so that its passes do not touch (and so copy) those pages.
        _shared_pipeline(model, config).analyze(WARM_UP)
        gc.freeze()
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(model, config)) as pool:
        for batch in work:
            pending.append(pool.submit(process_batch, batch, model, config))
            while len(pending) > 2 * workers:   # bounded: memory stays flat on any corpus size
                keep(pending.pop(0).result())
        for fut in pending:
            keep(fut.result())


def _progress_bar(progress, sources: list[str]) -> Callable[[int | None], None]:
    """A callable taking the number of articles just finished (None to close)."""
    if callable(progress):
        return lambda n: n is not None and progress(n)
    if not progress:
        return lambda n: None
    from tqdm import tqdm

    bar = tqdm(total=count_articles(sources), unit="art", dynamic_ncols=True, smoothing=0.1,
               desc="ingest")

    def update(n: int | None) -> None:
        if n is None:
            bar.close()
        elif n:
            bar.update(n)
    return update


def extract_sources(sources: Iterable[str], *, published: str | None = None, model: str | None = None,
                    batch_size: int = 16, stdin=None, max_bytes: int = DEFAULT_MAX_BYTES,
                    config: dict | None = None, select: Selection | None = None,
                    keys: tuple[str | None, str | None] = (None, None)) -> Iterator[Analysis | ArticleError]:
    """Analyses of every article in ``sources``, in input order, with read errors in their place."""
    model = model_name(model)
    for chunk in batches(iter_articles(list(sources), published=published, stdin=stdin,
                                       max_bytes=max_bytes, select=select, text_key=keys[0],
                                       date_key=keys[1]), batch_size):
        arts = [x for x in chunk if isinstance(x, Article)]
        results = iter(process_batch(arts, model, config) if arts else [])
        for item in chunk:
            yield next(results) if isinstance(item, Article) else item
