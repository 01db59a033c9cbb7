#!/usr/bin/env python3
"""Fit the places stage's candidate ranker: one weight per feature of stages/places/'s FEATURES.

For every toponym the pipeline finds that overlaps a gold toponym, the candidates within 161 km of
the gold point (or with its GeoNames id) are the right ones; the weights maximise the softmax
probability of the right candidates among all (L2-regularised, full-batch gradient descent with Adam).
Before the final fit on every article, a two-fold split by article id reports what the ranker does on
articles it has not seen.

    .venv/bin/python scripts/train_place_ranker.py ../shared/eval/geo/lgl.jsonl ../shared/eval/geo/trnews.jsonl

writes src/newsgraph/stages/places/data/place_ranker.json. Gold lines: {"id", "text", "places": [{"start",
"end", "lat", "lon", "geonameid"}]} (the format of ../shared/eval/geo).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.model import Article  # noqa: E402
from newsgraph.pipeline import Pipeline  # noqa: E402
from newsgraph.stages import places  # noqa: E402

OUT = ROOT / "src" / "newsgraph" / "stages" / "places" / "data" / "place_ranker.json"
L2 = 0.01


def articles(paths: list[str]):
    """Per article: (id, toponyms, their context names, 0/1 right-candidate vector per toponym or None)."""
    pipe = Pipeline(stages=["entities"])
    kb = pipe.knowledge
    out = []
    for path in paths:
        docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        stream = ((d["text"], Article(id=d["id"], text=d["text"])) for d in docs)
        for d, (doc, article) in zip(docs, pipe.nlp.pipe(stream, as_tuples=True, batch_size=32)):
            found = places.toponyms(doc, pipe.run_stages(doc, article), kb)
            labels = []
            for t in found:
                gold = next((g for g in d["places"] if g["start"] < t.place.end and t.place.start < g["end"]), None)
                cands = t.candidates[:places.MAX_CANDIDATES]
                right = None
                if gold is not None and len(cands) > 1 and not t.context_only:
                    dist = places._km(np.radians([[g.lat, g.lon] for g in cands]),
                                      np.radians([[gold["lat"], gold["lon"]]]))[:, 0]
                    same = np.array([bool(gold.get("geonameid")) and g.geonameid == gold["geonameid"] for g in cands])
                    right = ((dist <= 161.0) | same).astype(float)
                    if not 0 < right.sum() < len(cands):
                        right = None
                labels.append(right)
            out.append((d["id"], found, places._names(found), labels))
    return out, kb.gazetteer.capitals


def examples(docs, capitals, w1=None):
    """(feature matrix, right vector) per labelled toponym: FEATURES, or FEATURES + CONTEXT after a
    first pass with weights w1."""
    out = []
    for _, found, names, labels in docs:
        chosen = places.first_pass(found, names, capitals, w1) if w1 is not None else None
        for t, right in zip(found, labels):
            if right is not None:
                out.append((places.features(t, names, capitals, chosen), right))
    return out


def fit(data, epochs: int = 500, lr: float = 0.05) -> np.ndarray:
    w = np.zeros(data[0][0].shape[1])
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, epochs + 1):
        grad = L2 * w
        for x, y in data:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            q = p * y / (p * y).sum()          # posterior over the right candidates
            grad -= (q - p) @ x / len(data)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        w -= lr * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return w


def train(docs, capitals) -> tuple[np.ndarray, np.ndarray]:
    w1 = fit(examples(docs, capitals))
    return w1, fit(examples(docs, capitals, w1))


def accuracy(docs, capitals, ranker) -> float:
    data = examples(docs, capitals, ranker[0])
    return sum(y[int(np.argmax(x @ ranker[1]))] for x, y in data) / max(1, len(data))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="+")
    args = ap.parse_args()
    docs, capitals = articles(args.gold)
    fold = [int(hashlib.sha1(d[0].encode()).hexdigest(), 16) % 2 for d in docs]
    cv = []
    for k in (0, 1):
        ranker = train([d for d, f in zip(docs, fold) if f != k], capitals)
        cv.append(accuracy([d for d, f in zip(docs, fold) if f == k], capitals, ranker))
    w1, w2 = train(docs, capitals)
    meta = {
        "about": "Weights of the places stage's two-pass candidate ranker (stages/places/ FEATURES, then "
                 "FEATURES + CONTEXT), fitted by scripts/train_place_ranker.py on the toponyms with more "
                 "than one gazetteer candidate.",
        "trained_on": [Path(p).name for p in args.gold],
        "examples": sum(r is not None for d in docs for r in d[3]),
        "two_fold_accuracy": [round(a, 4) for a in cv],
        "training_accuracy": round(accuracy(docs, capitals, (w1, w2)), 4),
        "features": list(places.FEATURES),
        "context": list(places.CONTEXT),
        "weights": [round(float(x), 4) for x in w1],
        "context_weights": [round(float(x), 4) for x in w2],
    }
    OUT.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: meta[k] for k in ("examples", "two_fold_accuracy", "training_accuracy")}))
    for f, x1, x2 in zip(places.FEATURES + places.CONTEXT, [*w1, *[None] * len(places.CONTEXT)], w2):
        print(f"  {f:16s} {'' if x1 is None else f'{x1:+.3f}':>7s} {x2:+.3f}")


if __name__ == "__main__":
    main()
