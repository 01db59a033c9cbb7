#!/usr/bin/env python3
"""The entity checks of issue 2 on the seed article (../shared/corpus/seed.txt), printed one by one.

    python benchmarks/seed_entities.py

Exits 1 when a check fails. These are the foundation's acceptance checks; score.py does not score
entities, so they are spelled out here rather than in a gold file.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    import newsgraph

    text = (SHARED / "corpus" / "seed.txt").read_text(encoding="utf-8")
    a = newsgraph.extract(text, published="2024-05-16", id="seed")
    names = {e.name: e for e in a.entities}
    checks = []

    def check(label, ok):
        checks.append(ok)
        print(f"  {'ok  ' if ok else 'FAIL'}  {label}")

    putin = names.get("Vladimir Putin")
    mentions = [m.text for m in putin.mentions] if putin else []
    check("one entity 'Vladimir Putin'", sum(e.name == "Vladimir Putin" for e in a.entities) == 1)
    for form in ("Russian President Vladimir Putin", "Putin", "the Russian leader", "he", "He"):
        check(f"  with mention {form!r}", form in mentions)
    check("  with country RUS and title President", bool(putin) and putin.country == "RUS"
          and (putin.title or "").lower() == "president")
    check("one entity 'Xi Jinping', apart from Putin", "Xi Jinping" in names)
    for place in ("Russia", "China", "Ukraine", "Moscow", "Beijing", "Kyiv"):
        check(f"entity {place!r}", place in names)
    for capital, state in (("Moscow", "Russia"), ("Kyiv", "Ukraine")):
        e = names.get(capital)
        check(f"{capital!r} as an actor stands for {state!r}",
              bool(e) and e.stands_for == getattr(names.get(state), "id", "?")
              and any(m.acts_as for m in e.mentions))
    dup = [[(s.start, s.end) for s in d.spans] for d in a.duplicates]
    lines = text.split("\n")
    line1 = (0, len(lines[0]))
    line3_start = len(lines[0]) + len(lines[1]) + 2
    line3 = (line3_start, line3_start + len(lines[2]))
    check("lines 1 and 3 marked as duplicates", [line1, line3] in dup)
    print(f"seed entities: {sum(checks)}/{len(checks)} checks passed")
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
