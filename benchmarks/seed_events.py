#!/usr/bin/env python3
"""Issue 4's country check on the seed: every gold event that newsgraph finds (same PLOVER root,
source and target sharing a word with the gold's, as score.py pairs them) must carry the gold's
source and target countries. score.py scores the events themselves (event_exhaustive, in the
accuracy gate); it does not read countries, so they are checked here, one line per gold event.

    python benchmarks/seed_events.py

Exits 1 when a found event has a wrong country. Gold events that are not found are listed as
misses (they count against event_exhaustive, not here).
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "src"))
MERGED = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
STOP = {"the", "a", "an", "of", "and", "in", "on", "to", "for", "s"}


def words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"\w+", (text or "").lower()) if w not in STOP}


def pairs(gold_actor: str, actor) -> bool:
    if actor is None:
        return False
    have = words(actor.text) | words(actor.name)
    return any(words(alt) & have for alt in gold_actor.split("|"))


def main() -> int:
    import newsgraph

    gold = json.loads((SHARED / "eval" / "seed" / "seed.gold.jsonl").read_text(encoding="utf-8").splitlines()[0])
    a = newsgraph.extract(gold["text"], published=gold["published"], id="seed")
    failed = 0
    for g in gold["events"]:
        root = MERGED.get(g["type"], g["type"])
        hits = [e for e in a.events if MERGED.get(e.type, e.type) == root
                and pairs(g["source"], e.source) and pairs(g["target"], e.target)]
        label = f"{g['type']:9s} {g['source'].split('|')[0]} -> {g['target'].split('|')[0]}"
        if not hits:
            print(f"  miss  {label}{' (optional)' if g.get('optional') else ''}")
            continue
        e = hits[0]
        want = (g.get("source_country") or None, g.get("target_country") or None)
        have = (e.source.country, e.target.country if e.target else None)
        ok = want == have
        failed += not ok
        print(f"  {'ok  ' if ok else 'FAIL'}  {label}: countries {have[0]} -> {have[1]}"
              f"{'' if ok else f' (gold {want[0]} -> {want[1]})'}")
    print(f"seed events: {'all found events have the gold countries' if not failed else f'{failed} with wrong countries'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
