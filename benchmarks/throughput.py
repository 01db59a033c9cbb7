#!/usr/bin/env python3
"""Throughput: bare spaCy (full pipeline, nlp.pipe) against newsgraph end to end (read, extract,
write SQLite), on the same corpus in one run. Prints articles/s, words/s, peak RSS and the ratio.

    python benchmarks/throughput.py                       # ../shared/corpus/bbc/articles.jsonl
    python benchmarks/throughput.py --limit 200           # a quick look
    python benchmarks/throughput.py --workers 1           # skip the two-worker run
    python benchmarks/throughput.py --copies 10 --json    # also ten copies of the corpus; one JSON object

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


def newsgraph_ingest(path: str, limit: int | None, model: str | None, workers: int, copies: int, queue) -> None:
    """newsgraph end to end over the corpus (with ``copies`` > 1: that many copies of it, each article
    under a new id, to show that memory stays flat however long the run)."""
    from newsgraph.pipeline import load_model
    from newsgraph.run.local import ingest

    src = path
    if limit or copies > 1:
        src = os.path.join(tempfile.mkdtemp(), "subset.jsonl")
        rows = _read(Path(path), limit)
        with open(src, "w", encoding="utf-8") as f:
            for k in range(copies):
                for r in rows:
                    f.write(json.dumps({**r, "id": f"{r['id']}~{k}" if k else r["id"]}) + "\n")
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
    while True:                         # a phase that dies (an exception in the child) ends the benchmark
        try:
            result = queue.get(timeout=5)
            break
        except Exception:
            if not proc.is_alive():
                raise SystemExit(f"benchmark phase {target.__name__} failed (exit code {proc.exitcode}); see above")
    proc.join()
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(SHARED / "corpus" / "bbc" / "articles.jsonl"))
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--model", help="spaCy model (default as newsgraph's)")
    ap.add_argument("--workers", type=int, default=2,
                    help="also run newsgraph with this many worker processes and report the speedup (2; 1 skips)")
    ap.add_argument("--copies", type=int, default=0,
                    help="also run newsgraph over this many copies of the corpus (new ids) and report its "
                         "peak RSS beside the single run's (0 skips; the issue's check uses 10)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    bare = run(bare_spacy, args.corpus, args.limit, args.model)
    ours = run(newsgraph_ingest, args.corpus, args.limit, args.model, 1, 1)
    many = run(newsgraph_ingest, args.corpus, args.limit, args.model, args.workers, 1) if args.workers > 1 else None
    long = run(newsgraph_ingest, args.corpus, args.limit, args.model, 1, args.copies) if args.copies > 1 else None
    result = {"corpus": args.corpus, "cpus": os.cpu_count(), "spacy": bare, "newsgraph": ours,
              "ratio_vs_spacy": _rate(ours) / _rate(bare),
              "peak_rss_mb": ours["rss_mb"], "spacy_peak_rss_mb": bare["rss_mb"],
              "workers": args.workers, "newsgraph_workers": many,
              "workers2_speedup": _rate(many) / _rate(ours) if many else None,
              "copies": args.copies if long else None, "newsgraph_copies": long,
              "peak_rss_mb_10x": long["rss_mb"] if long else None}
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"corpus: {args.corpus} ({bare['articles']} articles, {bare['words']:,} words)")
    rows = [("bare spaCy nlp.pipe", bare), ("newsgraph ingest (1 worker)", ours)]
    if many:
        rows.append((f"newsgraph ingest ({args.workers} workers)", many))
    if long:
        rows.append((f"newsgraph ingest, {args.copies} copies", long))
    for name, r in rows:
        print(f"  {name:34s} {r['seconds']:8.1f} s  {r['articles'] / r['seconds']:7.2f} articles/s  "
              f"{_rate(r):8.0f} words/s  peak RSS {r['rss_mb']:.0f} MB")
    print(f"  newsgraph speed / bare spaCy speed: {result['ratio_vs_spacy']:.2f}"
          f"   (store {ours['db_mb']:.1f} MB, {ours['errors']} errors)")
    if many:
        print(f"  {args.workers} workers / 1 worker: {result['workers2_speedup']:.2f}x")
    if long:
        change = long["rss_mb"] / ours["rss_mb"] - 1
        print(f"  peak RSS over {args.copies} copies vs one: {long['rss_mb']:.0f} MB vs {ours['rss_mb']:.0f} MB "
              f"({100 * change:+.1f}%)")
    stages = ours.get("stage_seconds", {})
    print("  ms per article by stage: " + ", ".join(
        f"{name} {1000 * sec / max(1, ours['articles']):.1f}" for name, sec in stages.items()) +
          f"; spaCy, reading and writing {1000 * (ours['seconds'] - sum(stages.values())) / max(1, ours['articles']):.1f}")
    print("  share of newsgraph's time: " + ", ".join(
        f"{name} {100 * sec / ours['seconds']:.1f}%" for name, sec in stages.items()) +
          f", spaCy, reading and writing {100 * (1 - sum(stages.values()) / ours['seconds']):.1f}%")
    return 0


def _rate(r: dict) -> float:
    return r["words"] / r["seconds"] if r["seconds"] else 0.0


if __name__ == "__main__":
    sys.exit(main())
