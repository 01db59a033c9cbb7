#!/usr/bin/env python3
"""Fit the event judge (stages/events/judge.py): a logistic regression that says whether a candidate
event is right, from the features the events stage computes for it.

Training data: BBC articles (../shared/corpus/bbc/articles.jsonl) whose events were labelled by hand
for newsgraph, exhaustively, by the rules of the BBC gold's guide (scripts/knowledge_data/
bbc_event_labels.jsonl: article id, part, type, source and target names, sentence; none of the
articles is in ../shared/eval/bbc); the shipped event typer was trained on none of them, so its
probabilities look as they do on new text. A candidate that matches a labelled event of its
sentence (actors and type) is a positive; one that matches no labelled event is a negative; one that
matches only an optional event, or an event labelled in another sentence, is left out. PLV's events
(without its held-out fifth) join as positives and negatives by their labelled pair, unless
--no-plv. The events stage takes the higher of the judge's probability and its rule (1.0 for a
lexicon trigger on an actor), so the judge mainly decides the typed pairs the lexicons do not know.

    .venv/bin/python scripts/train_event_judge.py                  # fit and write stages/events/models/event_judge.json
    .venv/bin/python scripts/train_event_judge.py --cv             # also report 5-fold figures by threshold
    .venv/bin/python scripts/train_event_judge.py --features F.pkl # reuse the features of an earlier run
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
SHARED = ROOT.parent / "shared"
LABELS = ROOT / "scripts" / "knowledge_data" / "bbc_event_labels.jsonl"
OUT = ROOT / "src" / "newsgraph" / "stages" / "events" / "models" / "event_judge.json"
STOP = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "at", "by", "with", "s", "its", "his", "her",
        "their", "this", "that", "these", "those", "mr", "mrs", "ms", "dr"}
L2 = 1.0
BBC_WEIGHT = 2.0          # a hand-labelled BBC candidate counts twice a PLV one: general news is the target


def words(actor) -> set[str]:
    if actor is None:
        return set()
    if isinstance(actor, str):
        text = actor
    else:
        text = f"{actor.text} {actor.name or ''}"
    return {w for w in re.findall(r"\w+", text.lower()) if w not in STOP}


def actor_matches(label, actor) -> bool:
    """A labelled actor ("A|B|C", or None: anyone) against a predicted one: a content word in common."""
    if not label:
        return True
    have = words(actor)
    return any(words(alt) & have for alt in str(label).split("|"))


def root(t: str | None) -> str:
    return "YIELD" if t in ("CONCEDE", "RETREAT") else (t or "")


def label_of(ev, sentence: int, labelled: list[dict]) -> str:
    """pos | neg | skip for a BBC candidate against the article's labelled events."""
    def same(e, a, b):
        return actor_matches(e.get("source"), a) and actor_matches(e.get("target"), b)
    pairs = [e for e in labelled if same(e, ev.source, ev.target) or
             ev.type in ("CONSULT", "COOPERATE") and same(e, ev.target, ev.source)]
    if not pairs:
        return "neg"
    here = [e for e in pairs if e.get("sentence") == sentence]
    if not here:
        return "skip"                  # a later telling of an event labelled once, where first told
    typed = [e for e in here if root(e["type"]) == root(ev.type)]
    if not typed:
        return "neg" if all(not e.get("optional") for e in here) else "skip"
    return "pos" if any(not e.get("optional") for e in typed) else "skip"


def plv_label_of(ev, labelled: list[dict]) -> str:
    pairs = [e for e in labelled if actor_matches(e.get("source"), ev.source) and actor_matches(e.get("target"), ev.target)]
    if not pairs:
        return "skip"
    return "pos" if any(root(e["type"]) == root(ev.type) for e in pairs) else "neg"


def collect(parts: set[int], plv: bool) -> list[dict]:
    """Candidates of every training article with their features and labels."""
    from newsgraph.model import Article
    from newsgraph.pipeline import Pipeline
    from newsgraph.stages.events import candidate_events
    from splits import plv_train

    labels = {}
    with open(LABELS, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                if d["part"] in parts:
                    labels[d["id"]] = d["events"]
    arts, gold = [], {}
    with open(SHARED / "corpus" / "bbc" / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] in labels:
                arts.append((Article(id=d["id"], text=d["text"]), "bbc", d.get("category")))
                gold[d["id"]] = labels[d["id"]]
    if plv:
        with open(SHARED / "eval" / "plv" / "train.jsonl", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if plv_train(d["id"]):
                    arts.append((Article(id=d["id"], text=d["text"], published=d.get("published")), "plv", None))
                    gold[d["id"]] = d["events"]
    pipe = Pipeline(stages=["sentences", "duplicates", "entities", "quotes"])
    rows = []
    stream = ((a.text, (a, src, cat)) for a, src, cat in arts)
    for n, (doc, (art, src, cat)) in enumerate(pipe.nlp.pipe(stream, as_tuples=True, batch_size=32)):
        analysis = pipe.run_stages(doc, art)
        starts = [s.start for s in analysis.sentences]
        seen = set()
        for ev, feats in candidate_events(doc, analysis, pipe.knowledge):
            if id(feats) in seen:
                continue                     # a mirrored meeting shares its features with the first
            seen.add(id(feats))
            k = max(i for i, s0 in enumerate(starts) if s0 <= ev.sentence.start)
            lab = label_of(ev, k, gold[art.id]) if src == "bbc" else plv_label_of(ev, gold[art.id])
            rows.append({"id": art.id, "source": src, "category": cat, "label": lab, "features": feats,
                         "show": f"{ev.type} {ev.source.text if ev.source else None} -> "
                                 f"{ev.target.text if ev.target else None} [{ev.trigger.text if ev.trigger else ''}]"})
        if n % 200 == 0:
            print(f"  {n}/{len(arts)} articles", file=sys.stderr)
    return rows


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2, iters: int = 50) -> np.ndarray:
    """Weighted L2 logistic regression by Newton's method (the bias, column 0, is not penalised)."""
    beta = np.zeros(X.shape[1])
    pen = np.full(X.shape[1], l2)
    pen[0] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(X @ beta, -30, 30)))
        grad = X.T @ (w * (p - y)) + pen * beta
        hess = (X * (w * p * (1 - p))[:, None]).T @ X + np.diag(pen + 1e-6)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return beta


def fold(article_id: str, k: int = 5) -> int:
    return int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % k


def matrix(rows: list[dict], names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = np.array([[r["features"].get(n, 0.0) for n in names] for r in rows])
    y = np.array([1.0 if r["label"] == "pos" else 0.0 for r in rows])
    w = np.array([BBC_WEIGHT if r["source"] == "bbc" else 1.0 for r in rows])
    return X, y, w


def report(rows: list[dict], p: np.ndarray) -> dict:
    """Precision and recall of the BBC candidates (and PLV positives kept) at each threshold."""
    out = {}
    bbc = np.array([r["source"] == "bbc" for r in rows])
    y = np.array([r["label"] == "pos" for r in rows])
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        keep = p >= t
        tp = int((keep & y & bbc).sum())
        pred = int((keep & bbc).sum())
        out[str(t)] = {"bbc_precision": round(tp / pred, 3) if pred else 0.0,
                       "bbc_recall_of_candidates": round(tp / max(1, int((y & bbc).sum())), 3),
                       "plv_positives_kept": round(float((keep & y & ~bbc).sum() / max(1, (y & ~bbc).sum())), 3),
                       "bbc_kept": pred}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--features", metavar="FILE", help="read (or, when missing, write) the candidates here")
    ap.add_argument("--cv", action="store_true", help="report 5-fold cross-validated figures")
    ap.add_argument("--threshold", type=float, default=0.5, help="the threshold written with the weights")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--bbc-parts", default="1,2,3,4,5,6", help="parts of the labelled BBC articles to fit on (all)")
    ap.add_argument("--no-plv", dest="plv", action="store_false", help="fit on the BBC labels only, not on PLV")
    args = ap.parse_args()
    parts = {int(p) for p in args.bbc_parts.split(",") if p.strip()}
    if args.features and Path(args.features).exists():
        rows = pickle.loads(Path(args.features).read_bytes())
    else:
        rows = collect(parts, args.plv)
        if args.features:
            Path(args.features).write_bytes(pickle.dumps(rows))
    rows = [r for r in rows if r["label"] != "skip"]
    names = sorted({k for r in rows for k in r["features"]}, key=lambda k: (k != "bias", k))
    X, y, w = matrix(rows, names)
    counts = {src: {lab: sum(1 for r in rows if r["source"] == src and r["label"] == lab) for lab in ("pos", "neg")}
              for src in ("bbc", "plv")}
    print("training candidates:", counts)
    cv = None
    if args.cv:
        p = np.zeros(len(rows))
        folds = np.array([fold(r["id"]) for r in rows])
        for k in range(5):
            beta = fit(X[folds != k], y[folds != k], w[folds != k])
            p[folds == k] = 1 / (1 + np.exp(-np.clip(X[folds == k] @ beta, -30, 30)))
        cv = report(rows, p)
        for t, r in cv.items():
            print(f"  cv threshold {t}: {r}")
    beta = fit(X, y, w)
    spec = {"about": "Weights of the event judge (stages/events/judge.py), fitted by scripts/train_event_judge.py "
                     "on hand-labelled BBC events (scripts/knowledge_data/bbc_event_labels.jsonl) and PLV without "
                     "its held-out fifth.",
            "threshold": args.threshold, "l2": L2, "bbc_weight": BBC_WEIGHT, "bbc_parts": sorted(parts),
            "plv": args.plv, "training": counts,
            "cross_validation": cv,
            "weights": {n: round(float(b), 5) for n, b in zip(names, beta) if abs(b) > 1e-9}}
    Path(args.out).write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    top = sorted(zip(names, beta), key=lambda x: -abs(x[1]))[:25]
    print("strongest weights:", ", ".join(f"{n} {b:+.2f}" for n, b in top))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
