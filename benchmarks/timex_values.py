"""Every TIMEX3 value the times stage makes is well formed: the validator (stages/times/timex.py
``valid_value``) over every value made on TimeBank, AQUAINT and the BBC corpus.

    .venv/bin/python benchmarks/timex_values.py            # all three; exit 1 if any value is malformed
    .venv/bin/python benchmarks/timex_values.py --limit 200

The stage keeps a malformed value out (the expression stays, unnormalized); this counts the values it
had to keep out, by recording each verdict of the validator, so a normalizer rule that writes a bad value
shows here instead of being hidden. Only the sentences and times stages run.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))
SOURCES = [SHARED / "eval" / "time" / "timebank.jsonl", SHARED / "eval" / "time" / "aquaint.jsonl",
           SHARED / "corpus" / "bbc" / "articles.jsonl"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="at most this many articles of each source")
    args = ap.parse_args()
    from newsgraph.model import Article
    from newsgraph.pipeline import Pipeline
    from newsgraph.stages.times import timex

    bad: list[tuple[str, str, str]] = []
    checked = {"n": 0}
    real = timex.valid_value

    def recording(kind, value):
        ok = real(kind, value)
        if value is not None:
            checked["n"] += 1
            if not ok:
                bad.append((kind, value, current["id"]))
        return ok
    timex.valid_value = recording
    current = {"id": ""}
    pipeline = Pipeline(stages=["times"])
    t0 = time.perf_counter()
    for src in SOURCES:
        n = 0
        for line in open(src, encoding="utf-8"):
            if args.limit and n >= args.limit:
                break
            d = json.loads(line)
            current["id"] = d.get("id", "")
            pipeline.analyze(Article(id=d.get("id") or str(n), text=d["text"], published=d.get("published")))
            n += 1
        print(f"{src.name}: {n} articles")
    print(f"{checked['n']} values checked in {time.perf_counter() - t0:.0f} s; {len(bad)} malformed")
    for kind, value, aid in bad[:30]:
        print(f"  {aid}: {kind} {value!r}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
