"""Speaker names on PolNeAR dev_named: every quote whose gold names its speaker, paired with newsgraph's by
content as score.py pairs them, and printed where the name is wrong, with the speaker span each side gave.

    .venv/bin/python benchmarks/speaker_errors.py                 # the errors, then the figure
    .venv/bin/python benchmarks/speaker_errors.py --pred P.jsonl  # from predictions already written

The figure is score.py's speaker_name_given_content; the accuracy gate's polnear-dev-named entry is the
measure of record (benchmarks/floors.json).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "eval" / "polnear" / "dev_named.jsonl"


def scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pred", help="predictions already written (JSONL, as eval_gate.py writes them)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from eval_gate import predict

    sc = scorer()
    with tempfile.TemporaryDirectory() as tmp:
        pred_path = Path(args.pred) if args.pred else Path(tmp) / "pred.jsonl"
        if not args.pred:
            predict(GOLD, pred_path, None, score_as={"attitudes": "quotes"})
        preds = {d["id"]: d for d in map(json.loads, open(pred_path, encoding="utf-8"))}
    ok = n = 0
    for line in open(GOLD, encoding="utf-8"):
        gold = json.loads(line)
        text = gold["text"]
        pred = preds.get(gold["id"], {})
        gq = [dict(q, _c=sc.chars(text, q.get("content"))) for q in gold.get("quotes", [])]
        pq = [dict(q, _c=sc.chars(text, q.get("content"))) for q in pred.get("quotes", [])]
        gq = [q for q in gq if q["_c"]]
        pq = [q for q in pq if q["_c"]]
        for i, j in sc.match(gq, pq, lambda g, p: sc.ratio(g["_c"], p["_c"]), 0.5):
            g, p = gq[i], pq[j]
            if g.get("optional") or not g.get("speaker_name"):
                continue
            n += 1
            if sc.names_equal(p.get("speaker_name"), g):
                ok += 1
                continue
            gs = "".join(text[s:e] for s, e in (g.get("speaker") or []))
            ps = (p.get("speaker") or {}).get("text") if isinstance(p.get("speaker"), dict) else p.get("speaker")
            cue = (p.get("cue") or {}).get("text") if isinstance(p.get("cue"), dict) else ""
            print(f"{gold['id']}\tgold {g['speaker_name']!r} [{gs}]\tpred {p.get('speaker_name')!r} [{ps}] "
                  f"cue {cue!r}")
    print(f"speaker_name_given_content {ok / n:.4f} ({ok}/{n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
