#!/usr/bin/env python3
"""Build src/newsgraph/knowledge/plover_types.tsv: the PLOVER quad class and conflict-cooperation
score of every event type and of every (type, mode) the PLOVER manual scores.

Inputs (read-only; the shared folder is the repository's sibling ``shared``, or $NEWSGRAPH_SHARED):
  reference/plover/PLOVER_MANUAL.tex          the table "PLOVER conflict--cooperation scores" (CC BY-SA 4.0)
  reference/plover/plover_spec_extract.json   the quad class and the modes of each PLOVER type

The scores table is a LaTeX tabular of three column pairs (label, score). A label is a type
(``ASSAULT``, its cells shaded with \\cellcolor) or a type and a mode (``ASSAULT: Heavy-weapons``).
The quad class of a type comes from the spec: verbal_coop=1, material_coop=2, verbal_conflict=3,
material_conflict=4, the numbering of GDELT's QuadClass.

Output: ``type  mode  quad  score``, one row with an empty mode per type (the type's own score),
then one row per (type, mode) of the table, modes lower-cased as the spec spells them. Every type of
the spec must have a row and every mode of the table must be one of its type's modes in the spec;
otherwise the script stops. Output is sorted, so a rerun on the same inputs gives an identical file.
Only the scores are transcribed, as the manual prints them (no value is corrected here).
Run with the project venv:  .venv/bin/python scripts/build_plover_tables.py
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED") or ROOT.parent / "shared")
MANUAL = SHARED / "reference" / "plover" / "PLOVER_MANUAL.tex"
SPEC = SHARED / "reference" / "plover" / "plover_spec_extract.json"
OUT = ROOT / "src" / "newsgraph" / "knowledge" / "plover_types.tsv"
SCRIPT = "scripts/build_plover_tables.py"
CAPTION = r"\caption{PLOVER conflict--cooperation scores}"
QUADS = {"verbal_coop": 1, "material_coop": 2, "verbal_conflict": 3, "material_conflict": 4}
SHADE = re.compile(r"\\cellcolor\{[^}]*\}")


def score_cells(tex: str) -> list[tuple[str, str, bool]]:
    """(label, score, shaded) for every filled label/score pair of the (uncommented) scores table."""
    lines = [ln for ln in tex.splitlines() if not ln.lstrip().startswith("%")]
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == CAPTION)
    except StopIteration:
        sys.exit(f"{MANUAL}: no line {CAPTION!r}")
    end = next(i for i in range(start, len(lines)) if lines[i].strip().startswith(r"\end{tabular}"))
    cells = []
    for ln in lines[start:end]:
        ln = ln.strip()
        if not ln.endswith("\\\\") or r"\textbf" in ln:
            continue                                  # \begin, \hline, the header row
        parts = [p.strip() for p in ln[:-2].split("&")]
        for label, score in zip(parts[0::2], parts[1::2]):
            shaded = bool(SHADE.search(label))
            label, score = SHADE.sub("", label).strip(), SHADE.sub("", score).strip()
            if label or score:
                if not (label and score):
                    sys.exit(f"{MANUAL}: half-filled cell pair {label!r} {score!r} in {ln!r}")
                cells.append((label, score, shaded))
    return cells


def main() -> None:
    for path in (MANUAL, SPEC):
        if not path.is_file():
            sys.exit(f"missing input {path} (set NEWSGRAPH_SHARED to the shared folder)")
    spec = json.loads(SPEC.read_text(encoding="utf-8"))["events"]
    rows: dict[tuple[str, str], float] = {}
    for label, score, shaded in score_cells(MANUAL.read_text(encoding="utf-8")):
        type_, _, mode = (x.strip() for x in label.partition(":"))
        mode = mode.lower()
        if type_ not in spec:
            sys.exit(f"scores table: {label!r}: {type_} is not a PLOVER type of the spec")
        if shaded != (mode == ""):
            sys.exit(f"scores table: {label!r}: type rows are shaded, mode rows are not")
        if mode and mode not in spec[type_]["modes"]:
            sys.exit(f"scores table: {label!r}: {mode!r} is not a mode of {type_} in the spec")
        if (type_, mode) in rows:
            sys.exit(f"scores table: {label!r} appears twice")
        rows[(type_, mode)] = float(score)
    missing = sorted(t for t in spec if (t, "") not in rows)
    if missing:
        sys.exit(f"scores table: no score for the types {missing}")
    unscored = sorted(f"{t}/{m}" for t, d in spec.items() for m in d["modes"] if (t, m) not in rows)

    order = {t: i for i, t in enumerate(spec)}            # the spec's (and the manual's) type order
    out = [
        "# PLOVER quad class and conflict-cooperation score per event type and (type, mode). Scores from the table "
        "'PLOVER conflict--cooperation scores' of PLOVER_MANUAL.tex (openeventdata/PLOVER, CC BY-SA 4.0); quad classes "
        "from the manual's categories (plover_spec_extract.json): 1 verbal cooperation, 2 material cooperation, "
        f"3 verbal conflict, 4 material conflict. Built by {SCRIPT}; shared under CC BY-SA 4.0.",
        "# A row with an empty mode is the type's own score; modes without a row take it: "
        + (", ".join(unscored) or "none") + ".",
    ]
    for type_ in spec:                                # flag type scores whose sign disagrees with the quad class
        quad, score = QUADS[spec[type_]["quad"]], rows[(type_, "")]
        if (quad <= 2 and score < 0) or (quad >= 3 and score > 0):
            modes = [s for (t, m), s in rows.items() if t == type_ and m]
            span = f"; its modes score {min(modes):g} to {max(modes):g}" if modes else ""
            out.append(f"# Transcribed as printed: the manual scores {type_} {score:+g}, although it is "
                       f"{spec[type_]['quad'].replace('_', ' ')}{span}. The value is not changed here.")
    out.append("type\tmode\tquad\tscore")
    for (type_, mode), score in sorted(rows.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        out.append(f"{type_}\t{mode}\t{QUADS[spec[type_]['quad']]}\t{score:g}")
    OUT.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} rows ({len(spec)} types, {len(rows) - len(spec)} modes); "
          f"modes without a score: {unscored or 'none'}")


if __name__ == "__main__":
    main()
