#!/usr/bin/env python3
"""Throughput: bare spaCy (full pipeline, nlp.pipe) against newsgraph end to end (read, extract,
write SQLite), on the same corpus in one run. Prints articles/s, words/s, peak RSS and the ratio.

    python benchmarks/throughput.py                       # ../shared/corpus/bbc/articles.jsonl
    python benchmarks/throughput.py --limit 200           # a quick look
    python benchmarks/throughput.py --workers 2           # newsgraph with two worker processes

Each phase runs in its own child process so that its peak RSS is its own.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "src"))


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _read(path: Path, limit: int | None) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
                if limit and len(rows) >= limit:
                    break
    return rows


def bare_spacy(path: str, limit: int | None, model: str | None, queue) -> None:
    from newsgraph.pipeline import load_model

    texts = [r["text"] for r in _read(Path(path), limit)]
    nlp = load_model(model)
    t0 = time.perf_counter()
    n_tokens = 0
    for doc in nlp.pipe(texts, batch_size=32):
        n_tokens += len(doc)
    queue.put({"seconds": time.perf_counter() - t0, "articles": len(texts),
               "words": sum(len(t.split()) for t in texts), "rss_mb": _peak_rss_mb()})


def newsgraph_ingest(path: str, limit: int | None, model: str | None, workers: int, queue) -> None:
    from newsgraph.pipeline import load_model
    from newsgraph.run.local import ingest

    src = path
    if limit:
        src = os.path.join(tempfile.mkdtemp(), "subset.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            for r in _read(Path(path), limit):
                f.write(json.dumps(r) + "\n")
    load_model(model)  # model loading is timed in neither phase
    db = os.path.join(tempfile.mkdtemp(), "bench.db")
    t0 = time.perf_counter()
    report = ingest([src], db, model=model, workers=workers)
    seconds = time.perf_counter() - t0
    from newsgraph.store import Store
    stage_s: dict[str, float] = {}
    with Store(db, readonly=True) as store:
        for a in store.iter_analyses():
            for name, ms in a.meta.get("stage_ms", {}).items():
                stage_s[name] = stage_s.get(name, 0.0) + ms / 1000
    queue.put({"seconds": seconds, "articles": report.stored, "words": report.words,
               "errors": len(report.errors), "rss_mb": _peak_rss_mb(),
               "db_mb": os.path.getsize(db) / 2 ** 20, "stage_seconds": stage_s})


def run(target, *args) -> dict:
    queue = mp.get_context("fork").Queue()
    proc = mp.get_context("fork").Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(SHARED / "corpus" / "bbc" / "articles.jsonl"))
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--model", help="spaCy model (default as newsgraph's)")
    ap.add_argument("--workers", type=int, default=1, help="newsgraph worker processes (1)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    bare = run(bare_spacy, args.corpus, args.limit, args.model)
    ours = run(newsgraph_ingest, args.corpus, args.limit, args.model, args.workers)
    result = {"corpus": args.corpus, "cpus": os.cpu_count(), "workers": args.workers, "spacy": bare,
              "newsgraph": ours, "ratio": bare["seconds"] / ours["seconds"] if ours["seconds"] else None}
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"corpus: {args.corpus} ({bare['articles']} articles, {bare['words']:,} words)")
    for name, r in (("bare spaCy nlp.pipe", bare), (f"newsgraph ingest (workers={args.workers})", ours)):
        print(f"  {name:34s} {r['seconds']:8.1f} s  {r['articles'] / r['seconds']:7.2f} articles/s  "
              f"{r['words'] / r['seconds']:8.0f} words/s  peak RSS {r['rss_mb']:.0f} MB")
    print(f"  newsgraph speed / bare spaCy speed: {result['ratio']:.2f}"
          f"   (store {ours['db_mb']:.1f} MB, {ours['errors']} errors)")
    stages = ours.get("stage_seconds", {})
    print("  share of newsgraph's time: " + ", ".join(
        f"{name} {100 * sec / ours['seconds']:.1f}%" for name, sec in stages.items()) +
          f", spaCy, reading and writing {100 * (1 - sum(stages.values()) / ours['seconds']):.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
