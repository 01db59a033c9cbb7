"""The Ray runner: the same per-batch function as the local runner (``pipeline.process_batch``), run by
Ray Data in a pool of actors that each load the model once, with the driver writing the results to the
store in batches. For corpora that outgrow one machine: ``--address`` joins a running cluster;
without it a local Ray starts with ``--workers`` actors.

    sources --(read tasks: io.iter_articles, one per source)--> articles
            --(actor pool: process_batch)--> analyses and errors --(driver)--> SQLite store

Resumable as the local runner is: the ids already stored are handed to the actors, which skip them
before any NLP, and each batch is written in one transaction. Rows travel between Ray's processes
pickled, so an analysis arrives exactly as the local runner would have made it.
Needs the extra: ``pip install 'newsgraph[ray]'``.
"""
from __future__ import annotations

import logging
import os
import pickle
import time
from dataclasses import dataclass
from typing import Iterable

from ..errors import ConfigError
from ..io.select import Selection
from ..io.sources import DEFAULT_MAX_BYTES, iter_articles
from ..model import Analysis, Article, ArticleError
from ..pipeline import model_name, process_batch
from ..store import Store
from .local import IngestReport, Keeper, _progress_bar, open_sink


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article whose id the store held when the run began (repeats within the run are left to the
    store, which skips them on writing)."""
    article_id: str


def _read_source(row: dict, published: str | None, max_bytes: int, select: Selection | None,
                 keys: tuple[str | None, str | None]) -> list[dict]:
    """One read task: every article and read error of one source, pickled."""
    return [{"obj": pickle.dumps(x)}
            for x in iter_articles([row["source"]], published=published, max_bytes=max_bytes, select=select,
                                   text_key=keys[0], date_key=keys[1])]


class Analyzer:
    """One actor of the pool: loads the pipeline once, then analyses batch after batch."""

    def __init__(self, model: str, config: dict | None, stored: frozenset[str]):
        self.model, self.config, self.stored = model, config, stored
        process_batch([], model, config)                # load the model before the first batch

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        items = [pickle.loads(b) for b in batch["obj"]]
        fresh = [x for x in items if isinstance(x, Article) and x.id not in self.stored]
        results = iter(process_batch(fresh, self.model, self.config) if fresh else [])
        out = []
        for x in items:
            if not isinstance(x, Article):
                out.append(x)                          # a read error travels on to the store
            elif x.id in self.stored:
                out.append(Skipped(x.id))
            else:
                out.append(next(results))
        return {"obj": np.array([pickle.dumps(x) for x in out], dtype=object)}


def ingest_ray(sources: Iterable[str], db: str | Store | None = None, *, out: str | None = None,
               published: str | None = None, model: str | None = None, batch_size: int = 32, workers: int = 1, address: str | None = None, progress=False,
               max_bytes: int = DEFAULT_MAX_BYTES, config: dict | None = None,
               select: Selection | None = None, force: bool = False,
               keys: tuple[str | None, str | None] = (None, None)) -> IngestReport:
    """``ingest`` on Ray Data: the same store (or Parquet shards, with ``out``), the same analyses, the
    same report."""
    try:
        import ray
    except ImportError:
        raise ConfigError("--engine ray needs Ray: pip install 'newsgraph[ray]'") from None
    if batch_size < 1 or workers < 1:
        raise ConfigError("--batch-size and --workers must be at least 1")
    sources = list(sources)
    if "-" in sources:
        raise ConfigError("--engine ray reads files and folders, not standard input")
    model = model_name(model)
    store, owned = open_sink(db, out, force)
    report = IngestReport()
    t0 = time.perf_counter()
    bar = _progress_bar(progress, sources)
    started = False
    try:
        if not ray.is_initialized():
            # A local Ray: one logical CPU per actor and one for the read tasks.
            ray.init(address=address, num_cpus=None if address else workers + 1, include_dashboard=False,
                     logging_level=logging.WARNING, log_to_driver=False, configure_logging=False)
            started = True
        logging.getLogger("ray.data").setLevel(logging.ERROR)     # no progress notices on stderr
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        stored = frozenset() if force else frozenset(store.all_ids())
        ds = ray.data.from_items([{"source": os.path.abspath(s)} for s in sources], override_num_blocks=len(sources))
        ds = ds.flat_map(_read_source, fn_kwargs={"published": published, "max_bytes": max_bytes,
                                                   "select": select, "keys": keys})
        ds = ds.map_batches(Analyzer, fn_constructor_kwargs={"model": model, "config": config, "stored": stored},
                            batch_size=batch_size, batch_format="numpy",
                            compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1)
        keep = Keeper(store, report, bar, replace=force)
        for batch in ds.iter_batches(batch_size=batch_size, batch_format="numpy", prefetch_batches=1):
            items = [pickle.loads(b) for b in batch["obj"]]
            skipped = [x for x in items if isinstance(x, Skipped)]
            report.read += sum(_one_article(x) for x in items)
            report.skipped += len(skipped)
            bar(len(skipped))
            keep([x for x in items if not isinstance(x, Skipped)])
    finally:
        report.seconds = time.perf_counter() - t0
        bar(None)
        if started:
            ray.shutdown()
        if owned:
            store.close()
    return report


def _one_article(x) -> bool:
    """True for what stands for one article read: its analysis, its analysis's failure, its skip (a
    read error stands for none)."""
    return isinstance(x, (Analysis, Skipped)) or isinstance(x, ArticleError) and x.code.startswith("E2")
