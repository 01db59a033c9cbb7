#!/usr/bin/env python3
"""Train the quote role tagger (a CRF) on PolNeAR train and write it into the package. (The cue tagger
is a transformer: scripts/train_cue_transformer.py.)

    python scripts/train_quotes.py                       # ../shared/eval/polnear/train.jsonl
    python scripts/train_quotes.py --limit 100 --out /tmp/models   # a quick try

Deterministic: the same data, model and options give the same files (L-BFGS, fixed order). It never
reads the dev split. About 10 minutes on 2 cores, most of it parsing.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
OUT = ROOT / "src" / "newsgraph" / "knowledge" / "models"

ROLE_PARAMS = {"c1": 0.1, "c2": 0.3, "max_iterations": 150, "feature.possible_transitions": True}


def token_ranges(doc, spans):
    """Token indices whose alphanumeric characters fall inside the character spans."""
    out = set()
    for s, e in spans or []:
        for tok in doc.char_span(s, e, alignment_mode="expand") or []:
            if any(ch.isalnum() for ch in tok.text) or (s <= tok.idx and tok.idx + len(tok) <= e):
                out.add(tok.i)
    return out


def bio(indices, start, end, tag):
    labels = []
    for i in range(start, end):
        if i in indices:
            labels.append(("I-" if i - 1 in indices and i - 1 >= start else "B-") + tag)
        else:
            labels.append("O")
    return labels


def examples(rows, docs, kb):
    """One role-tagging sequence per gold attribution: the window around its cue, labelled by role."""
    from newsgraph.model import Analysis, Article
    from newsgraph.stages.quote_features import doc_info, role_features, window
    from newsgraph.stages.sentences import split_sentences

    role_x, role_y = [], []
    for row, doc in zip(rows, docs):
        sents = split_sentences(doc, Analysis(Article("x", doc.text)), kb)
        info = doc_info(doc, [(s.start, s.end) for s in sents])
        for q in row["quotes"]:
            toks = token_ranges(doc, q["cue"][:1])
            if not toks:
                continue
            cue = range(min(toks), max(toks) + 1)
            ws, we = window(info, cue.start)
            spk = token_ranges(doc, q.get("speaker"))
            con = token_ranges(doc, q.get("content"))
            labels = []
            for i in range(ws, we):
                if i in spk and i not in cue:
                    labels.append(("I-" if labels and labels[-1].endswith("SPK") else "B-") + "SPK")
                elif i in con and i not in cue:
                    labels.append(("I-" if labels and labels[-1].endswith("CON") else "B-") + "CON")
                else:
                    labels.append("O")
            role_x.append(role_features(info, cue, ws, we))
            role_y.append(labels)
    return role_x, role_y


def train(xs, ys, params, path):
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(xs, ys):
        trainer.append(x, y)
    trainer.set_params(params)
    trainer.train(str(path))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default=str(SHARED / "eval" / "polnear" / "train.jsonl"))
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--docbin", help="parsed documents cached by an earlier run (spaCy DocBin)")
    ap.add_argument("--holdout", type=int, default=0, metavar="N",
                    help="leave the last N training articles out and write them to OUT/holdout.jsonl, "
                         "for tuning without touching dev")
    ap.add_argument("--c1", type=float, help="L1 penalty (tuning)")
    ap.add_argument("--c2", type=float, help="L2 penalty (tuning)")
    args = ap.parse_args()

    import spacy
    from spacy.tokens import DocBin

    from newsgraph.knowledge import default_knowledge
    from newsgraph.pipeline import load_model

    t0 = time.perf_counter()
    rows = [json.loads(line) for line in open(args.train, encoding="utf-8") if line.strip()]
    rows = [r for r in rows if r.get("split", "train") == "train"][:args.limit or None]
    nlp = load_model()
    if args.docbin and os.path.exists(args.docbin):
        docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))[:len(rows)]
    else:
        docs = list(nlp.pipe((r["text"] for r in rows), batch_size=16))
        if args.docbin:
            db = DocBin(store_user_data=False)
            for d in docs:
                db.add(d)
            db.to_disk(args.docbin)
    print(f"parsed {len(docs)} articles in {time.perf_counter() - t0:.0f} s", flush=True)
    kb = default_knowledge()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.holdout:
        with open(out / "holdout.jsonl", "w", encoding="utf-8") as f:
            for r in rows[-args.holdout:]:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        rows, docs = rows[:-args.holdout], docs[:-args.holdout]
    role_x, role_y = examples(rows, docs, kb)
    print(f"{len(role_x)} attributions; features in {time.perf_counter() - t0:.0f} s", flush=True)
    ROLE_PARAMS.update({k: v for k, v in (("c1", args.c1), ("c2", args.c2)) if v is not None})
    train(role_x, role_y, ROLE_PARAMS, out / "quote_roles.crfsuite")
    print(f"role tagger trained at {time.perf_counter() - t0:.0f} s", flush=True)
    meta = {"trained_on": "PolNeAR train split", "articles": len(rows), "attributions": len(role_x),
            "model": nlp.meta.get("name"), "model_version": nlp.meta.get("version"),
            "role_params": ROLE_PARAMS, "script": "scripts/train_quotes.py"}
    (out / "quotes.meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
