"""How well corpus entities merge: precision and recall of "these two mentions are one entity" on
golds of mention pairs drawn from BBC articles.

    .venv/bin/python benchmarks/entity_merge.py --set test        # ingests its 400 articles (~2 min)
    .venv/bin/python benchmarks/entity_merge.py --set dev --db X  # a store that holds them already

Two golds, each of name mentions in two different articles, sampled by names that share a word (same
name, a surname alone against a full name, two full names with one surname, a person against a place
or an organization, organizations and places sharing a word) and labelled by reading both articles:
same, different, or not_entity (a mention that names no real entity; left out of the scores).
``dev`` (entity_pairs.tsv, 230 pairs, the first 400 articles) is the set the linking rules were
written on; ``test`` (entity_pairs_test.tsv, 130 pairs, articles 1001-1400) was drawn and labelled
afterwards and changed nothing. A pair is predicted "same" when both mentions' entities link to one
corpus entity of a store that ingested the set's articles in order.
"""
from __future__ import annotations

import argparse
import collections
import csv
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = ROOT / "benchmarks" / "data"
SETS = {"dev": (DATA / "entity_pairs.tsv", 0, 400), "test": (DATA / "entity_pairs_test.tsv", 1000, 1400)}


def build_store(path: Path, first: int, last: int) -> None:
    """A store of the BBC articles on lines first+1 .. last of the corpus file, ingested in order."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsgraph.run.local import ingest
    src = path.parent / "articles.jsonl"
    with open(SHARED / "corpus" / "bbc" / "articles.jsonl", encoding="utf-8") as f, \
            open(src, "w", encoding="utf-8") as out:
        for k, line in enumerate(f):
            if first <= k < last:
                out.write(line)
    report = ingest([str(src)], str(path))
    print(report.summary(), file=sys.stderr)


def corpus_id(conn: sqlite3.Connection, article: str, start: int, end: int) -> int | None:
    """The corpus entity of the entity holding this mention (exact offsets, else the overlapping one)."""
    row = conn.execute("SELECT entity_id FROM mentions WHERE article_id = ? AND start = ? AND \"end\" = ?",
                       (article, start, end)).fetchone() or conn.execute(
        "SELECT entity_id FROM mentions WHERE article_id = ? AND start < ? AND \"end\" > ? AND kind = 'name' "
        "ORDER BY abs(start - ?) LIMIT 1", (article, end, start, start)).fetchone()
    if row is None:
        return None
    link = conn.execute("SELECT corpus_id FROM entity_links WHERE article_id = ? AND entity_id = ?",
                        (article, row[0])).fetchone()
    return link[0] if link else None


def score(conn: sqlite3.Connection, gold: list[dict]) -> dict:
    counts = collections.defaultdict(collections.Counter)
    for g in gold:
        if g["label"] not in ("same", "different"):
            continue
        a = corpus_id(conn, g["article_a"], int(g["start_a"]), int(g["end_a"]))
        b = corpus_id(conn, g["article_b"], int(g["start_b"]), int(g["end_b"]))
        merged = a is not None and a == b
        cell = ("tp" if merged else "fn") if g["label"] == "same" else ("fp" if merged else "tn")
        for group in ("all", g["stratum"]):
            counts[group][cell] += 1
        counts["all"]["unlinked"] += a is None or b is None

    def prf(c: collections.Counter) -> dict:
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
        f = 2 * p * r / (p + r) if p and r else None
        return {"precision": p, "recall": r, "f1": f, **dict(c)}
    return {group: prf(c) for group, c in sorted(counts.items(), key=lambda kv: kv[0] != "all")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=sorted(SETS), default="test")
    ap.add_argument("--db", help="a store holding the set's articles (else one is built)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    gold_path, first, last = SETS[args.set]
    with open(gold_path, encoding="utf-8") as f:
        gold = list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bbc.db"
        if not args.db:
            build_store(db, first, last)
        else:                       # brought to this version's schema (an older store gets its links)
            sys.path.insert(0, str(ROOT / "src"))
            from newsgraph.store import Store
            Store(db).close()
        conn = sqlite3.connect(db)
        result = score(conn, gold)
        conn.close()
    labels = collections.Counter(g["label"] for g in gold)
    if args.json:
        print(json.dumps({"labels": labels, "scores": result}, indent=2))
        return 0
    print(f"{args.set} gold: {len(gold)} pairs ({', '.join(f'{n} {k}' for k, n in labels.items())}); scored: same/different")
    for group, r in result.items():
        fmt = lambda x: "-" if x is None else f"{x:.3f}"  # noqa: E731
        print(f"  {group:22s} P {fmt(r['precision'])}  R {fmt(r['recall'])}  F1 {fmt(r['f1'])}  "
              f"(tp {r.get('tp', 0)}, fp {r.get('fp', 0)}, fn {r.get('fn', 0)}, tn {r.get('tn', 0)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
