#!/usr/bin/env python3
"""Accuracy gate: run newsgraph over the gold sets in ../shared/eval, score them with
../shared/eval/score.py, and fail when a metric falls below its floor in benchmarks/floors.json.

    python benchmarks/eval_gate.py                 # every gate
    python benchmarks/eval_gate.py --only seed     # one gate
    python benchmarks/eval_gate.py --keep out/     # keep the prediction files

A floor may only go down when floors.json lists it under "lowered" with a reason, so that every
lowered bar is explicit in the diff; the gate compares against every committed version of the floors.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
FLOORS = HERE / "floors.json"


def metric(result: dict, name: str) -> float | None:
    """'attribution.f1' -> result['attribution']['f1'] (metric names may hold dots: 'content_0.3.f1')."""
    key, _, field = name.rpartition(".")
    value = result.get(key, {}).get(field) if key else result.get(name)
    return None if value is None else float(value)


def predict(gold: Path, out: Path, subset: str | None, score_as: dict[str, str] | None = None,
            places_role: str | None = None, quote_kinds: list[str] | None = None) -> float:
    """Write predictions for every article of ``gold`` into ``out``; return seconds taken.

    ``score_as`` appends one list of the output to another before scoring, for a gold set whose
    annotation scheme joins what newsgraph keeps apart ({"attitudes": "quotes"}: PolNeAR annotates
    attitudes and intentions as attributions, the seed does not). ``places_role`` keeps only the places
    of that role ("literal"), for a gold set that does not annotate demonyms (LGL, TR-News, the seed).
    ``quote_kinds`` keeps only the quotes whose cue reports one of these kinds (the BBC gold annotates
    speech and writing; thoughts are optional there)."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsgraph.model import ArticleError
    from newsgraph.run.local import extract_sources

    src = gold
    if subset:
        src = out.with_suffix(".input.jsonl")
        with open(gold, encoding="utf-8") as f, open(src, "w", encoding="utf-8") as g:
            for line in f:
                if line.strip() and json.loads(line).get("split", subset) == subset:
                    g.write(line)
    t0 = time.perf_counter()
    warnings: list[ArticleError] = []
    with open(out, "w", encoding="utf-8") as f:
        for item in extract_sources([str(src)]):
            if isinstance(item, ArticleError):
                if item.warning:
                    warnings.append(item)
                else:
                    print(f"  error: {item}", file=sys.stderr)
                continue
            d = item.to_dict(include_text=False)
            if places_role:
                d["places"] = [p for p in d.get("places", []) if p.get("role", "literal") == places_role]
            if quote_kinds:
                d["quotes"] = [q for q in d.get("quotes", []) if q.get("cue_kind", "speech") in quote_kinds]
            # The event dataset a user gets (listings, GDELT rows) leaves out what the text says did not
            # happen ("has never condemned"): PLOVER's manual allows it, and score.py has no field for it.
            d["events"] = [e for e in d.get("events", []) if not e.get("negated")]
            for extra, into in (score_as or {}).items():
                d[into] = d.get(into, []) + d.get(extra, [])
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    if warnings:
        codes = sorted({w.code for w in warnings})
        print(f"  {len(warnings)} warnings ({', '.join(codes)}), the first: {warnings[0]}", file=sys.stderr)
    return time.perf_counter() - t0


def select(gold: Path, selector: str, out: Path) -> Path:
    """The lines of ``gold`` whose id the named selector of benchmarks/splits.py keeps (a held-out part)."""
    sys.path.insert(0, str(HERE))
    from splits import SELECTORS

    keep = SELECTORS[selector]
    with open(gold, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as g:
        for line in f:
            if line.strip() and keep(json.loads(line)["id"]):
                g.write(line)
    return out


def as_list(gold: str | list[str]) -> list[str]:
    """A gate's "gold": one file, or a list of files scored as one."""
    return [gold] if isinstance(gold, str) else list(gold)


def concatenate(golds: list[Path], out: Path) -> Path:
    """The gold files one after another in one file (their ids must not clash), so they score as one set."""
    with open(out, "w", encoding="utf-8") as g:
        for path in golds:
            text = path.read_text(encoding="utf-8")
            g.write(text if text.endswith("\n") or not text else text + "\n")
    return out


def score(gold: Path, pred: Path) -> dict:
    run = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(pred), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def history() -> list[dict]:
    """Every committed version of floors.json (newest first); [] without git history."""
    try:
        revs = subprocess.run(["git", "rev-list", "HEAD", "--", "benchmarks/floors.json"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.split()
        out = []
        for rev in revs:
            text = subprocess.run(["git", "show", f"{rev}:benchmarks/floors.json"], cwd=ROOT,
                                  capture_output=True, text=True, check=True).stdout
            out.append(json.loads(text))
        return out
    except (subprocess.CalledProcessError, FileNotFoundError, json.JSONDecodeError):
        return []


def unexplained_lowerings(floors: dict, versions: list[dict]) -> list[str]:
    """Floors now below the highest they have ever been committed at, with no entry under "lowered"."""
    lowered = floors.get("lowered", {})
    best: dict[str, float] = {}
    for v in versions:
        for gate, spec in v.get("gates", {}).items():
            for name, value in spec.get("floors", {}).items():
                key = f"{gate}:{name}"
                best[key] = max(best.get(key, value), value)
    now = {f"{g}:{n}": v for g, spec in floors.get("gates", {}).items() for n, v in spec.get("floors", {}).items()}
    out = []
    for key, value in best.items():
        if key in lowered:
            continue
        if key not in now:
            out.append(f"{key} floor removed without an entry in floors.json 'lowered'")
        elif now[key] < value:
            out.append(f"{key} lowered from {value} to {now[key]} without an entry in floors.json 'lowered'")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", help="run only this gate (repeatable)")
    ap.add_argument("--keep", metavar="DIR", help="keep predictions and scores in DIR")
    ap.add_argument("--floors", metavar="FILE", default=str(FLOORS),
                    help="gates and floors to use (default: benchmarks/floors.json)")
    args = ap.parse_args()

    floors = json.loads(Path(args.floors).read_text(encoding="utf-8"))
    problems = unexplained_lowerings(floors, history())
    out_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="newsgraph-gate-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    for gate, spec in floors["gates"].items():
        if args.only and gate not in args.only:
            continue
        golds = [SHARED / "eval" / g for g in as_list(spec["gold"])]
        missing = [g for g in golds if not g.exists()]
        if missing:
            print(f"[{gate}] FAIL: gold file {', '.join(map(str, missing))} is missing")
            failed = True
            continue
        gold = golds[0] if len(golds) == 1 else concatenate(golds, out_dir / f"{gate}.gold.jsonl")
        if spec.get("select"):
            gold = select(gold, spec["select"], out_dir / f"{gate}.gold.jsonl")
        pred = out_dir / f"{gate}.pred.jsonl"
        seconds = predict(gold, pred, spec.get("split"), spec.get("score_as"), spec.get("places_role"),
                          spec.get("quote_kinds"))
        result = score(gold, pred)
        (out_dir / f"{gate}.score.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        part = spec.get("split") or spec.get("select")
        print(f"[{gate}] {' + '.join(as_list(spec['gold']))}{' (' + part + ')' if part else ''}: "
              f"{result['articles']} articles in {seconds:.1f} s, {result['missing_predictions']} missing")
        if result["missing_predictions"]:
            failed = True
            print(f"  FAIL  {result['missing_predictions']} articles have no prediction")
        for name, floor in spec.get("floors", {}).items():
            value = metric(result, name)
            ok = value is not None and value + 1e-9 >= floor
            failed |= not ok
            shown = "missing" if value is None else f"{value:.4f}"
            print(f"  {'ok  ' if ok else 'FAIL'}  {name:36s} {shown:>8}  floor {floor:.4f}")
        for name, wanted in spec.get("issue_floors", {}).items():
            value = metric(result, name)
            if value is None or value + 1e-9 < wanted:
                shown = "missing" if value is None else f"{value:.4f}"
                print(f"  SHORT {name:36s} {shown:>8}  issue asks {wanted:.4f} (see 'short_of_issue' in floors.json)")
        for name in spec.get("report", []):
            value = metric(result, name)
            print(f"  info  {name:36s} {'missing' if value is None else f'{value:.4f}':>8}")
    for p in problems:
        print(f"FAIL  {p}")
    failed |= bool(problems)
    print("accuracy gate:", "FAILED" if failed else "passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
