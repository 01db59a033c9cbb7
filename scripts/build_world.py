#!/usr/bin/env python3
"""Generator for src/newsgraph/web/static/world.json: the country outlines the web UI's map draws.

The outlines are Natural Earth's Admin 0 countries at 1:110m (public domain), as the npm package
``world-atlas`` (version 2) carries them in TopoJSON. This script decodes the TopoJSON arcs itself and
writes each country as an SVG path in the map's own plane: equirectangular, x = longitude + 180 and
y = 90 - latitude, to one decimal place, so the UI draws them with no projection code and no request
to any tile server.

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/build_world.py package/countries-110m.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "web" / "static" / "world.json"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Each arc as (lon, lat) points: undo the delta coding and the quantisation."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    """A closed ring from its arc indexes (a negative index ~i is arc i reversed)."""
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def path(rings: list[list[tuple[float, float]]]) -> str:
    out = []
    for r in rings:
        xy = [(round(lon + 180, 1), round(90 - lat, 1)) for lon, lat in r]
        kept = [p for i, p in enumerate(xy) if i == 0 or p != xy[i - 1]]
        if len(kept) < 3:
            continue
        out.append("M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z")
    return "".join(out)


def main(src: str) -> None:
    topology = json.loads(Path(src).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    countries = []
    for g in topology["objects"]["countries"]["geometries"]:
        polygons = g.get("arcs") or []
        if g["type"] == "Polygon":
            polygons = [polygons]
        rings = [ring(r, arcs) for polygon in polygons for r in polygon]
        d = path(rings)
        if d:
            countries.append({"id": g.get("id"), "name": g.get("properties", {}).get("name"), "d": d})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "source": "Natural Earth Admin 0 countries 1:110m (public domain), via the world-atlas 2 package; "
                  "built by scripts/build_world.py",
        "projection": "equirectangular: x = lon + 180, y = 90 - lat",
        "countries": countries}, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT}: {len(countries)} countries, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
